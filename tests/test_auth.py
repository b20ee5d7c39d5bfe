"""OMA DM authentication: MD5 digest vectors, basic and MD5 Cred, challenges, the HMAC header."""

from __future__ import annotations

import hmac
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import auth
from syncml import model as m
from syncml.auth import AuthScheme

from .conftest import EXAMPLES

BODY = b'<SyncML xmlns="SYNCML:SYNCML1.2"></SyncML>'

# (username, password, nonce, digest).  The first is the OMA DM 1.2
# specification's example; the others were computed independently with
# hashlib/base64 from the formula of digest 4.6, rule 35.
MD5_VECTORS = [
    ("Bruce2", "OhBehave", b"Nonce", "Zz6EivR3yeaaENcRN6lpAQ=="),
    ("device-user", "s3cr\u00e9t", bytes(range(16)), "OhAqdj60G8MRiZM0bog7kg=="),
    ("4C4C4544-0037", "", b"", "4REgp9C9w8zPvksa9BtPnQ=="),
    ("a:b", "p:q", b"\x00\xff:", "t+m47UgUeUc8qIULPCmk/Q=="),
]


@pytest.mark.parametrize(("user", "password", "nonce", "digest"), MD5_VECTORS)
def test_md5_digest_vectors(user: str, password: str, nonce: bytes, digest: str) -> None:
    assert auth.md5_digest(user, password, nonce) == digest
    cred = auth.md5_cred(user, password, nonce)
    assert cred == m.Cred(meta=m.Meta(format="b64", type="syncml:auth-md5"), data=digest)
    assert auth.verify_md5(cred, username=user, password=password, nonce=nonce)
    assert not auth.verify_md5(cred, username=user, password=password + "x", nonce=nonce)
    assert not auth.verify_md5(cred, username=user, password=password, nonce=nonce + b"x")


def test_oma_example_digest_is_the_one_in_the_spec_sample(corpus_dir: Path) -> None:
    # The sample is not XML (typographic quotes, a space in a namespace URI),
    # so its Cred is read as text: the digest and the LocName it names.
    text = (corpus_dir / "omadm12-spec-auth-md5-pkg1-client-cred-locname.xml").read_text("utf-8")
    assert re.search(r"<LocName>(\w+)</LocName>", text)[1] == "Bruce2"  # type: ignore[index]
    assert re.search(r"<Data>([^<]+)</Data>", text)[1] == auth.md5_digest("Bruce2", "OhBehave", b"Nonce")  # type: ignore[index]


def test_basic_cred_and_verification() -> None:
    cred = auth.basic_cred("Bruce2", "OhBehave")
    assert cred == m.Cred(meta=m.Meta(format="b64", type="syncml:auth-basic"), data="QnJ1Y2UyOk9oQmVoYXZl")
    assert auth.verify_basic(cred, username="Bruce2", password="OhBehave")
    assert not auth.verify_basic(cred, username="Bruce2", password="ohbehave")
    assert not auth.verify_basic(cred, username="Bruce", password="2:OhBehave")
    assert not auth.verify_basic(m.Cred(meta=cred.meta, data="not base64!"), username="Bruce2", password="OhBehave")
    # An MD5 Cred is not basic credentials, even with matching bytes.
    assert not auth.verify_basic(
        m.Cred(meta=m.Meta(type="syncml:auth-md5"), data=cred.data), username="Bruce2", password="OhBehave"
    )


def _header(cred: m.Cred | None, loc_name: str | None = None) -> m.SyncHdr:
    return m.SyncHdr(
        session_id="1",
        msg_id="1",
        target=m.Target(loc_uri="https://mdm.example.com"),
        source=m.Source(loc_uri="IMEI:493005100592800", loc_name=loc_name),
        cred=cred,
    )


def test_credentials_and_verify_from_a_header() -> None:
    md5 = _header(auth.md5_cred("Bruce2", "OhBehave", b"Nonce"), loc_name="Bruce2")
    found = auth.credentials(md5)
    assert found is not None
    assert (found.scheme, found.username) == (AuthScheme.MD5, "Bruce2")
    assert auth.verify(md5, password="OhBehave", nonce=b"Nonce")
    assert not auth.verify(md5, password="OhBehave", nonce=b"Other")
    assert not auth.verify(_header(md5.cred), password="OhBehave", nonce=b"Nonce")  # no LocName: no user
    assert auth.verify(_header(md5.cred), password="OhBehave", nonce=b"Nonce", username="Bruce2")

    basic = _header(auth.basic_cred("u\u00e9", "p:w"))
    found = auth.credentials(basic)
    assert found is not None
    assert (found.scheme, found.username) == (AuthScheme.BASIC, "u\u00e9")
    assert auth.verify(basic, password="p:w", nonce=None)
    assert not auth.verify(basic, password="p", nonce=None)

    assert auth.credentials(_header(None)) is None
    assert not auth.verify(_header(None), password="x", nonce=None)


def test_md5_needs_the_nonce_that_was_sent() -> None:
    """A digest made for the empty nonce once passed whenever the caller left the nonce out (a replay)."""
    empty = _header(auth.md5_cred("Bruce2", "OhBehave", b""), loc_name="Bruce2")
    assert not auth.verify(empty, password="OhBehave", nonce=None)
    assert not auth.verify(empty, password="OhBehave", nonce=b"fresh")
    assert auth.verify(empty, password="OhBehave", nonce=b"")  # only when asked for explicitly
    with pytest.raises(TypeError, match="nonce"):
        auth.verify(empty, password="OhBehave")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("cred", "scheme", "username"),
    [
        (m.Cred(data="x"), None, None),
        (m.Cred(meta=m.Meta(type="SYNCML:AUTH-BASIC"), data="dTpw"), AuthScheme.BASIC, "u"),
        (m.Cred(meta=m.Meta(type="syncml:auth-basic"), data="bm9jb2xvbg=="), AuthScheme.BASIC, None),
        (m.Cred(meta=m.Meta(type="syncml:auth-basic"), data="/w==:"), AuthScheme.BASIC, None),
        (m.Cred(meta=m.Meta(type="syncml:auth-basic"), data="//86"), AuthScheme.BASIC, None),
        (m.Cred(meta=m.Meta(type="x-vendor"), data="x"), "x-vendor", None),
    ],
)
def test_credentials_of_odd_creds(cred: m.Cred, scheme: AuthScheme | str | None, username: str | None) -> None:
    found = auth.credentials(_header(cred))
    assert found is not None
    assert (found.scheme, found.username) == (scheme, username)
    assert not auth.verify(_header(cred), password="not the password", nonce=b"n")


def test_the_mattrax_capture_is_an_md5_cred_for_its_locname(corpus_dir: Path) -> None:
    message = syncml.parse((corpus_dir / "mattrax-client-checkin-md5-cred-hex-sessionid-status500.xml").read_bytes())
    found = auth.credentials(message.header)
    assert found is not None
    assert (found.scheme, found.username) == (AuthScheme.MD5, "dummy")


def test_comparisons_are_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert auth.verify_md5(auth.md5_cred("u", "p", b"n"), username="u", password="p", nonce=b"n")
    assert auth.verify_basic(auth.basic_cred("u", "p"), username="u", password="p")
    assert auth.verify_hmac(auth.hmac_header("u", "p", b"n", BODY), password="p", nonce=b"n", body=BODY)
    assert len(calls) == 3


def test_challenges() -> None:
    received = syncml.parse((EXAMPLES / "client-session-start-md5.xml").read_bytes()).header
    status = auth.challenge(received, cmd_id=1, nonce=b"\x01\x02")
    assert status == m.Status(
        cmd_id="1",
        msg_ref="1",
        cmd_ref="0",
        cmd="SyncHdr",
        chal=m.Chal(meta=m.Meta(format="b64", type="syncml:auth-md5", next_nonce="AQI=")),
        data="401",
    )
    assert auth.next_nonce(status) == b"\x01\x02"
    basic = auth.challenge(received, cmd_id=1, code=407, scheme=AuthScheme.BASIC)
    assert basic.data == "407"
    assert basic.chal == m.Chal(meta=m.Meta(format="b64", type="syncml:auth-basic"))
    assert auth.next_nonce(basic) is None
    accepted = auth.challenge(received, cmd_id=1, code=212, nonce=b"next")
    assert (accepted.data, auth.next_nonce(accepted.chal)) == ("212", b"next")
    with pytest.raises(syncml.EncodeError, match="NextNonce"):
        auth.challenge(received, cmd_id=1)
    assert auth.next_nonce(None) is None
    bad = m.Chal(meta=m.Meta(next_nonce="***"))
    with pytest.raises(syncml.DecodeError, match="base64"):
        auth.next_nonce(bad)


def test_nonce_from_the_oma_sample(corpus_dir: Path) -> None:
    data = (corpus_dir / "omadm12-spec-auth-md5-pkg2-server-chal-nextnonce-212.xml").read_bytes()
    status = syncml.parse(syncml.repair_quotes(data).data).body.commands[0]
    assert isinstance(status, m.Status)
    assert status.code == 212
    nonce = auth.next_nonce(status)
    assert nonce is not None
    assert len(nonce) == 10
    # The client's next MD5 digest uses exactly these raw bytes.
    assert auth.md5_cred("Bruce2", "OhBehave", nonce).data == auth.md5_digest("Bruce2", "OhBehave", nonce)


def test_new_nonce_takes_its_randomness_from_the_caller() -> None:
    assert auth.new_nonce(lambda n: b"\x07" * n, size=4) == b"\x07\x07\x07\x07"
    assert len(auth.new_nonce()) == 16
    assert auth.new_nonce() != auth.new_nonce()


def test_hmac_header_vector_and_parsing() -> None:
    value = auth.hmac_header("Bruce2", "OhBehave", b"Nonce", BODY)
    assert value == 'algorithm=MD5, username="Bruce2", mac=aSBvnDHzBa7JhdjeEEUR2g=='
    assert auth.parse_hmac_header(value) == auth.HmacHeader(
        algorithm="MD5", username="Bruce2", mac="aSBvnDHzBa7JhdjeEEUR2g=="
    )
    assert auth.verify_hmac(value, password="OhBehave", nonce=b"Nonce", body=BODY)
    assert auth.verify_hmac(value, password="OhBehave", nonce=b"Nonce", body=BODY, username="Bruce2")
    assert not auth.verify_hmac(value, password="OhBehave", nonce=b"Nonce", body=BODY, username="other")
    assert not auth.verify_hmac(value, password="OhBehave", nonce=b"Nonce", body=BODY + b" ")
    assert not auth.verify_hmac(value.replace("MD5", "SHA1"), password="OhBehave", nonce=b"Nonce", body=BODY)
    assert auth.parse_hmac_header('username="a b", mac=xyz').algorithm == "MD5"
    with pytest.raises(syncml.EncodeError, match="quoted"):
        auth.hmac_header('a"b', "p", b"n", BODY)


@pytest.mark.parametrize("value", ["", "mac=abc", 'username="x"', "username=x mac=y", 'username="x, mac=y'])
def test_bad_hmac_headers(value: str) -> None:
    with pytest.raises(syncml.DecodeError, match="x-syncml-hmac"):
        auth.parse_hmac_header(value)


_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)


@given(user=_TEXT, password=_TEXT, nonce=st.binary(max_size=24), body=st.binary(max_size=64))
def test_build_verify_round_trip(user: str, password: str, nonce: bytes, body: bytes) -> None:
    """Invariant: what we build verifies, through serialize and parse, and a changed secret does not."""
    cred = auth.md5_cred(user, password, nonce)
    header = _header(cred, loc_name="u")
    parsed = syncml.parse(syncml.serialize(m.SyncML(header=header, body=m.SyncBody(commands=(m.Alert(cmd_id="1"),)))))
    assert auth.verify(parsed.header, password=password, nonce=nonce, username=user)
    assert not auth.verify(parsed.header, password=password + "!", nonce=nonce, username=user)
    assert auth.verify_basic(auth.basic_cred(user, password), username=user, password=password)
    if '"' not in user and "\\" not in user and "\r" not in user and "\n" not in user:
        value = auth.hmac_header(user, password, nonce, body)
        assert auth.verify_hmac(value, password=password, nonce=nonce, body=body)
