"""What the DDF catalog and lint cost.

Run: ``python benchmarks/bench_ddf.py [--rounds N]``.  Reports the best of N
rounds (thread CPU time) of:

- ``Catalog.builtin()`` from cold (the packaged file read and indexed; each
  CSP's tree unpacks when first used);
- unpacking the largest built-in tree (Policy, about 2 900 nodes), which the
  first lookup under ``./Vendor/MSFT/Policy`` pays once;
- ``lint`` of a 1000-command profile against the warm built-in catalog, and
  the same per 100 commands;
- ``ddf.load`` of the 2024 DMClient DDF and the 2019 Policy DDF (2.6 MB,
  which also takes the repair path), when ../shared/ddf is present.

Targets (issue 16): ``Catalog.builtin()`` under 50 ms; lint under 20 ms per
100 commands.  Timings are for information only and never asserted in tests.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from syncml import ddf
from syncml import model as m
from syncml.ddf import _catalog

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "ddf"


def best_of(fn: Callable[[], object], rounds: int) -> float:
    """Best thread CPU time of *rounds* calls, in milliseconds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        fn()
        best = min(best, time.thread_time() - start)
    return best * 1000


def _item(uri: str, data: m.Data | None, fmt: str | None) -> m.Item:
    return m.Item(target=m.Target(loc_uri=uri), meta=m.Meta(format=fmt) if fmt else None, data=data)


#: A profile's usual commands: policies, BitLocker, DMClient, Wi-Fi, an Exec, some with findings.
_TEMPLATES: list[tuple[type[m.Replace | m.Add | m.Exec | m.Delete], str, m.Data | None, str | None]] = [
    (m.Replace, "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera", "0", "int"),
    (m.Replace, "./Vendor/MSFT/Policy/Config/Browser/AllowCookies", "2", "int"),
    (m.Replace, "./Device/Vendor/MSFT/BitLocker/RequireDeviceEncryption", "1", "int"),
    (
        m.Replace,
        "./Device/Vendor/MSFT/BitLocker/EncryptionMethodByDriveType",
        '<enabled/><data id="x" value="7"/>',
        "chr",
    ),
    (m.Replace, "./Vendor/MSFT/DMClient/Provider/MDM1/ConfigRefresh/Cadence", "90", "int"),
    (m.Add, "./Vendor/MSFT/WiFi/Profile/Corp/WlanXml", m.CData(text="<WLANProfile/>"), "chr"),
    (m.Exec, "./Vendor/MSFT/DMClient/Provider/MDM1/Unenroll", "MDM1", "chr"),
    (m.Replace, "./DevInfo/DevId", "x", None),
    (m.Delete, "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera", None, None),
    (m.Replace, "./Device/Vendor/MSFT/NoSuchCsp/Setting", "1", "int"),
]


def profile(n: int) -> list[m.Command]:
    """*n* commands cycling through the templates."""
    out: list[m.Command] = []
    for i in range(n):
        kind, uri, data, fmt = _TEMPLATES[i % len(_TEMPLATES)]
        out.append(kind(cmd_id=str(i + 1), items=(_item(uri, data, fmt),)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rounds = args.rounds

    def cold_builtin() -> None:
        _catalog._builtin.cache_clear()
        ddf.Catalog.builtin()

    print(f"Catalog.builtin() cold           {best_of(cold_builtin, rounds):8.2f} ms  (target < 50)")

    def unpack_policy() -> None:
        _catalog._builtin.cache_clear()
        ddf.Catalog.builtin().lookup("./Vendor/MSFT/Policy/Config/Camera/AllowCamera")

    print(f"  + first Policy lookup (unpack)  {best_of(unpack_policy, max(3, rounds // 4)):8.2f} ms")
    catalog = ddf.Catalog.builtin()
    commands = profile(1000)
    ddf.lint(commands, catalog=catalog)  # warm: every tree used is unpacked
    findings = len(ddf.lint(commands, catalog=catalog))
    per_1000 = best_of(lambda: ddf.lint(commands, catalog=catalog, options=ddf.LintOptions(profile=True)), rounds)
    print(f"lint, 1000-command profile       {per_1000:8.2f} ms  ({findings} findings)")
    print(f"  per 100 commands               {per_1000 / 10:8.2f} ms  (target < 20)")
    if SHARED.is_dir():
        for name in ("dmclient.ddf.xml", "legacy-2019/policy.ddf.xml"):
            data = (SHARED / name).read_bytes()
            ms = best_of(lambda data=data: ddf.load(data), max(3, rounds // 4))  # type: ignore[misc]
            print(f"ddf.load {name:<28}{ms:8.2f} ms  ({len(data) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
