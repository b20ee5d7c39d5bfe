"""Every input a fuzzer ever broke the codec with, replayed.

Two tables: the saved crash inputs under ``fuzz/crashes/<harness>/``, each
run through the same invariant its harness checks (``fuzz/invariants.py``),
and a minimal hand-written reproduction of each fixed bug, with what it must
now decode to.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import syncml
from syncml import model as m

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"


def _load_invariants() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_invariants", FUZZ / "invariants.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ddf_check() -> Callable[[bytes], None]:
    # The DDF harness's promise lives beside the codec's and imports it by its plain name.
    if str(FUZZ) not in sys.path:
        sys.path.append(str(FUZZ))
    module = importlib.import_module("ddf_invariants")
    check: Callable[[bytes], None] = module.check_ddf
    return check


def _notification_check() -> Callable[[bytes], None]:
    _ddf_check()  # puts fuzz/ on the path
    check: Callable[[bytes], None] = importlib.import_module("notification_invariants").check_notification
    return check


INVARIANTS: dict[str, Callable[[bytes], None]] = {
    **_load_invariants().INVARIANTS,
    "ddf": _ddf_check(),
    "notification": _notification_check(),
}
SAVED = sorted((path.parent.name, path) for path in FUZZ.glob("crashes/*/*") if path.is_file())


def test_every_crash_directory_names_a_harness() -> None:
    assert {harness for harness, _ in SAVED} <= set(INVARIANTS)


@pytest.mark.parametrize(("harness", "path"), SAVED, ids=[f"{h}/{p.name[:18]}" for h, p in SAVED])
def test_saved_crash_input_keeps_the_promise(harness: str, path: Path) -> None:
    INVARIANTS[harness](path.read_bytes())


HDR_START = (
    '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>S</LocURI></Target>"
)
HDR_END = "<Source><LocURI>D</LocURI></Source></SyncHdr>"
BODY = "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert></SyncBody></SyncML>"


@dataclass(frozen=True, slots=True, kw_only=True)
class Fixed:
    """A bug a fuzzer found: the smallest input that showed it, where it was fixed, and the right outcome.

    ``refused`` is part of the DecodeError's reason when the input must be
    refused; otherwise ``check`` says what the accepted value must hold.
    """

    name: str
    data: str | bytes  # bytes when the declared encoding matters
    fixed_in: str
    fragment: bool = False
    keep_unknown: bool = False
    refused: str | None = None
    check: Callable[[m.SyncML | tuple[m.Command, ...]], bool] = lambda _: True


def _header_unknown(value: m.SyncML | tuple[m.Command, ...]) -> list[str]:
    assert isinstance(value, m.SyncML)
    return [u.xml for u in value.header.unknown]


def _written(value: m.SyncML | tuple[m.Command, ...]) -> bytes:
    return syncml.serialize(value) if isinstance(value, m.SyncML) else syncml.serialize_commands(value)


FIXED = [
    Fixed(
        name="unknown elements sharing a position kept their order",
        data=HDR_START + "<MsgRef>1</MsgRef><CmdRef>0</CmdRef>" + HDR_END + BODY,
        fixed_in="syncml/_xml_encode.py Writer._insert_unknown",
        keep_unknown=True,
        check=lambda value: _header_unknown(value) == ["<MsgRef>1</MsgRef>", "<CmdRef>0</CmdRef>"],
    ),
    Fixed(
        name="fragment with an unterminated XML declaration",
        data='<?xml version="1.0" <Alert><CmdID>1</CmdID></Alert>',
        fixed_in="syncml/_api.py _wrap (was a bare ValueError from bytes.index)",
        fragment=True,
        refused="XML declaration",
    ),
    Fixed(
        name="empty CDATA section as a token value",
        data="<Alert><CmdID><![CDATA[]]></CmdID><Data>1201</Data></Alert>",
        fixed_in="syncml/_xml_decode.py Decoder.node (was an IndexError on the empty text lxml reports)",
        fragment=True,
        check=lambda value: isinstance(value, tuple) and isinstance(value[0], m.Alert) and value[0].cmd_id == "",
    ),
    Fixed(
        name="xml:lang on Data is written without declaring the xml prefix",
        data='<Add><CmdID>1</CmdID><Item><Data xml:lang="en">x</Data></Item></Add>',
        fixed_in="syncml/_xml_encode.py Writer._data_attributes (wrote xmlns:ns0 for the XML namespace)",
        fragment=True,
        check=lambda value: _written(value).count(b"xml") == 1 and b' xml:lang="en"' in _written(value),
    ),
    Fixed(
        name="declared UTF-7 whose bytes decode to a lone surrogate",
        data=b'<?xml version="1.0" encoding="UTF-7"?><Alert><CmdID>+2DE-</CmdID></Alert>',
        fixed_in="syncml/_xmlfront.py _transcode_declared (was a UnicodeEncodeError)",
        fragment=True,
        refused="unsupported encoding 'utf-7'",
    ),
    Fixed(
        name="declared bytes-to-bytes codec",
        data=b'<?xml version="1.0" encoding="hex"?><Alert><CmdID>1</CmdID></Alert>',
        fixed_in="syncml/_xmlfront.py _transcode_declared (was a LookupError from bytes.decode)",
        fragment=True,
        refused="unsupported encoding 'hex'",
    ),
    Fixed(
        name="declared punycode, a name transformation rather than a charset",
        data=b'<?xml version="1.0" encoding="punycode"?><Alert><CmdID>1</CmdID></Alert>',
        fixed_in="syncml/_xmlfront.py _transcode_declared (was a bare UnicodeError)",
        fragment=True,
        refused="unsupported encoding 'punycode'",
    ),
    Fixed(
        name="namespace prefix with a non-ASCII XML name character",
        data=HDR_START + HDR_END + BODY.replace("<SyncBody>", '<SyncBody xmlns:msft\ufeff="urn:x">'),
        fixed_in="syncml/_xml_encode.py _NCNAME (was ASCII-only, refusing what libxml2 had read)",
        check=lambda value: isinstance(value, m.SyncML) and value.body.namespaces == (("msft\ufeff", "urn:x"),),
    ),
    Fixed(
        name="namespace prefix starting with xml",
        data=HDR_START + HDR_END + BODY.replace("<SyncBody>", '<SyncBody xmlns:xmlfoo="urn:x">'),
        fixed_in="syncml/_xml_encode.py Writer._declare (refused every prefix starting with xml)",
        check=lambda value: isinstance(value, m.SyncML) and value.body.namespaces == (("xmlfoo", "urn:x"),),
    ),
    Fixed(
        name="namespace error followed by a libxml2 warning",
        data='<Add><CmdID>1</CmdID><Item><Meta><Type xmlns="a b">x</Type><X xmlns="rel"/></Meta></Item></Add>',
        fixed_in="syncml/_xmlfront.py parse_tree (lxml raises only when the last complaint is an error)",
        fragment=True,
        keep_unknown=True,
        refused="'a b' is not a valid URI",
    ),
    Fixed(
        name="WBXML literal namespace declaration that is not a URI",
        data=syncml.serialize(
            m.SyncML(
                header=m.SyncHdr(
                    session_id="1", msg_id="1", target=m.Target(loc_uri="S"), source=m.Source(loc_uri="D")
                ),
                body=m.SyncBody(commands=(m.Alert(cmd_id="1", data="1201"),), namespaces=(("msft", ")urn:x"),)),
            ),
            wbxml=True,
        ),
        fixed_in="syncml/_wbxml_decode.py _declaration (accepted what the XML form could not carry)",
        refused="is not a valid URI",
    ),
    Fixed(
        name="Data attribute with a non-ASCII name",
        data='<Add><CmdID>1</CmdID><Item><Data a\u00b7b="1">x</Data></Item></Add>',
        fixed_in="syncml/_xml_encode.py _NAME",
        fragment=True,
        check=lambda value: b'a\xc2\xb7b="1"' in _written(value),
    ),
]


@pytest.mark.parametrize("case", FIXED, ids=[case.name for case in FIXED])
def test_fixed_bug_stays_fixed(case: Fixed) -> None:
    decode = syncml.parse_commands if case.fragment else syncml.parse
    if case.refused is not None:
        with pytest.raises(syncml.DecodeError, match=case.refused):
            decode(case.data, keep_unknown=case.keep_unknown)
        return
    value = decode(case.data, keep_unknown=case.keep_unknown)
    assert case.check(value)
    if isinstance(value, m.SyncML):
        assert syncml.parse(syncml.serialize(value), keep_unknown=case.keep_unknown) == value
    else:
        assert syncml.parse_commands(syncml.serialize_commands(value), keep_unknown=case.keep_unknown) == value


# --- found by fuzz_wbxml_agreement, fixed in the WBXML codec (was a strict xfail) ---------------------

MARKUP_WITH_CDATA = (
    HDR_START
    + HDR_END
    + BODY.replace(
        "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
        "<Add><CmdID>1</CmdID><Item><Data><x/><![CDATA[a<b]]></Data></Item></Add>",
    )
)


def test_markup_holding_a_cdata_section_survives_wbxml() -> None:
    # Fixed: a CDATA section inside markup travels as OPAQUE and reads back as a section.
    msg = syncml.parse(MARKUP_WITH_CDATA)
    assert syncml.parse(syncml.serialize(msg, wbxml=True)) == msg


def test_an_attribute_keeps_its_prefix_where_two_prefixes_share_a_namespace() -> None:
    # Fixed in _wbxml_encode.py: lxml names an attribute by its namespace only, so the
    # encoder took the first prefix bound to it; the start tag as written now decides.
    msft = "http://schemas.microsoft.com/MobileDevice/MDM"
    data = (
        HDR_START + HDR_END + f'<SyncBody xmlns:msft="{msft}"><Status><CmdID>1</CmdID><MsgRef>1</MsgRef>'
        "<CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data>"
        f'<Extra xmlns:a="{msft}"><Data msft:originalerror="0x1">500</Data></Extra></Status></SyncBody></SyncML>'
    )
    msg = syncml.parse(data, keep_unknown=True)
    (unknown,) = msg.body.commands[0].unknown
    assert 'msft:originalerror="0x1"' in unknown.xml
    again = syncml.parse(syncml.serialize(msg, wbxml=True), keep_unknown=True)
    assert again == msg


# --- found by the issue 11 campaign of fuzz_decode_tool -----------------------------------------------


def test_the_decode_tool_is_held_to_four_decodes_of_its_input() -> None:
    """UTF-16-looking bytes the tool tries four ways (message, fragment, the part before the error,
    and leniently under --strict): each decode is within the per-decode bound, their sum is not."""
    from syncml._cli import decode_to_lines
    from syncml._meter import measure

    message = (HDR_START + HDR_END + BODY).encode()
    data = b"<" + bytes(71) + message + b" " * (100_000 - len(message))
    invariants = _load_invariants()
    with measure() as meter, pytest.raises(syncml.DecodeError):
        list(decode_to_lines(data, strict=True, findings=False))
    one_decode = invariants.WORK_PER_BYTE * len(data) + invariants.WORK_FLOOR
    assert meter.calls == invariants.TOOL_DECODES
    assert one_decode < meter.work <= invariants.TOOL_DECODES * one_decode
    INVARIANTS["decode_tool"](data)  # the harness's promise holds
