"""The built-in DDF catalog and its NOTICE ship inside the wheel, and load from it.

The wheel is built for real (about half a second), unpacked away from the
checkout and used from a fresh interpreter, as tests/test_schema_packaging.py
does for the XSDs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import pathlib, sys
import syncml.ddf as ddf
site = pathlib.Path(sys.argv[1]).resolve()
assert pathlib.Path(ddf.__file__).resolve().is_relative_to(site), ddf.__file__
node = ddf.Catalog.builtin().lookup("./Vendor/MSFT/DMClient/Provider/MDM1/Unenroll")
print(node.path, ",".join(sorted(node.access)), node.format)
"""


def test_a_built_wheel_has_the_catalog_and_the_notice(tmp_path: Path) -> None:
    builders = pytest.importorskip("hatchling.builders.wheel")
    built = builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"), versions=["standard"])
    wheel = Path(next(iter(built)))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "syncml/ddf/catalog.ddfpack" in names
    notice = next(name for name in names if name.endswith("/NOTICE"))
    assert "CC BY 4.0" in (site / notice).read_text()
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site)],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        timeout=300,  # a hang guard only
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split() == [
        "./Device/Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll",
        "Exec,Get",
        "null",
    ]
