"""The XSDs ship inside the wheel and are found there at run time.

``schemas/`` sits at the top of the repository; hatch's ``force-include``
copies it to ``syncml/schemas`` in the wheel, where :func:`syncml.validate`
looks first (an editable install falls back to the checkout's copy).  The
wheel test builds the real wheel (about half a second), unpacks it away
from the checkout and validates from a fresh interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from syncml import _schema

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent

# Run by a fresh interpreter that sees only the unpacked wheel (and the
# dependencies); prints what it found.
SCRIPT = """
import pathlib, sys
import syncml
from syncml import _schema
site = pathlib.Path(sys.argv[1]).resolve()
assert pathlib.Path(syncml.__file__).resolve().is_relative_to(site), syncml.__file__
assert _schema.schema_dir() == site / "syncml" / "schemas", _schema.schema_dir()
syncml.validate(sys.stdin.buffer.read())
try:
    syncml.validate(b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/><SyncBody/></SyncML>')
except syncml.SchemaError as exc:
    print(len(exc.violations), "violations")
"""


def test_hatch_puts_the_schemas_into_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"schemas": "syncml/schemas"}
    assert "schemas" in config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_the_checkout_lookup_is_the_fallback() -> None:
    # In this (editable) environment the package has no copy; the checkout's is used.
    assert _schema.schema_dir() in (_schema._PACKAGED, _schema._CHECKOUT)
    assert _schema._CHECKOUT == ROOT / "schemas"
    assert Path(_schema.__file__).resolve().parent / "schemas" == _schema._PACKAGED


def test_a_built_wheel_validates_without_the_checkout(tmp_path: Path) -> None:
    builders = pytest.importorskip("hatchling.builders.wheel")
    built = builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"), versions=["standard"])
    wheel = Path(next(iter(built)))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name.removeprefix("syncml/schemas/") for name in archive.namelist() if "/schemas/" in name}
        archive.extractall(site)
    assert shipped == {path.name for path in (ROOT / "schemas").glob("*.xsd")}

    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site)],
        input=(EXAMPLES / "client-unenroll-request.xml").read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=300,  # a hang guard only
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split()[1] == "violations"
