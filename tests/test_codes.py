"""Status and alert codes: every code of the digest's tables, a meaning each, unknown ones as ints."""

from __future__ import annotations

import pytest

from syncml import AlertCode, StatusCode, alert_code, status_code

# Protocol digest, table 3.1 (SyncML RepPro 1.2 section 10).
DIGEST_STATUS = [101, *range(200, 217), *range(300, 306), *range(400, 426), *range(500, 515), 516, 517]
# Protocol digest, table 3.2 (OMA DM Protocol 1.2 alert codes valid in DM).
DIGEST_ALERT = [1100, 1101, 1102, 1103, 1104, 1200, 1201, 1222, 1223, 1224, 1225, 1226]
# Data sync (Horde's SyncML constants; 224 and 225 new in DS 1.2).
DS_ALERT = [100, *range(200, 211), *range(221, 226)]


def test_every_digest_status_code_is_a_member_with_a_meaning() -> None:
    assert sorted(int(c) for c in StatusCode) == DIGEST_STATUS
    for value in DIGEST_STATUS:
        code = status_code(value)
        assert isinstance(code, StatusCode)
        assert code.meaning
        assert "\n" not in code.meaning


def test_every_digest_alert_code_is_a_member_with_a_meaning() -> None:
    assert sorted(int(c) for c in AlertCode) == DS_ALERT + DIGEST_ALERT
    for value in DS_ALERT + DIGEST_ALERT:
        code = alert_code(value)
        assert isinstance(code, AlertCode)
        assert code.meaning
        assert code.data_sync is (value in DS_ALERT)


@pytest.mark.parametrize("value", [0, 250, 254, 260, 261, 515, 999, -1])
def test_unknown_status_codes_stay_plain_ints(value: int) -> None:
    code = status_code(value)
    assert type(code) is int
    assert code == value


@pytest.mark.parametrize("value", [99, 211, 220, 226, 1105, 1199, 1202, 1221, 1227, 1299])
def test_reserved_alert_codes_stay_plain_ints(value: int) -> None:
    assert type(alert_code(value)) is int


@pytest.mark.parametrize(
    ("code", "success"),
    [(StatusCode.IN_PROGRESS, True), (StatusCode.CHUNKED_ITEM_ACCEPTED, True), (StatusCode.NOT_MODIFIED, False),
     (StatusCode.MISSING_CREDENTIALS, False), (StatusCode.ATOMIC_RESPONSE_TOO_LARGE, False)],
)  # fmt: skip
def test_is_success(code: StatusCode, success: bool) -> None:
    assert code.is_success is success


def test_codes_compare_with_wire_numbers() -> None:
    wire_status, wire_alert = int("212"), int("1226")
    assert wire_status == StatusCode.AUTHENTICATION_ACCEPTED
    assert wire_alert == AlertCode.GENERIC_ALERT
    assert str(int(StatusCode.SIZE_MISMATCH)) == "424"
