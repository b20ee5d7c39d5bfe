"""Shared test set-up: hypothesis profiles and the shared corpus location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No test may depend on wall-clock timing, so hypothesis deadlines are off.
settings.register_profile("default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: The read-only corpus of real messages next to the repository (absent on
#: some machines: tests that need it skip cleanly).
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
