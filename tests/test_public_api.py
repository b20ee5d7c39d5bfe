"""The public surface: what is exported, and that it is typed as documented."""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_type

import pytest

import syncml
import syncml.server
from syncml import model as m

from .conftest import EXAMPLES


def test_all_is_sorted_and_complete() -> None:
    assert list(syncml.__all__) == sorted(syncml.__all__)
    for name in syncml.__all__:
        assert hasattr(syncml, name), name


def test_model_classes_are_frozen_slotted_keyword_only() -> None:
    import dataclasses

    for name in m.__all__:
        cls = getattr(m, name)
        if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
            continue
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, name
        assert "__slots__" in cls.__dict__, name
        assert all(f.kw_only for f in dataclasses.fields(cls)), name


def test_entry_points_are_typed() -> None:
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes()
    msg = syncml.parse(data)
    assert_type(msg, syncml.SyncML)
    assert_type(syncml.serialize(msg), bytes)
    commands = syncml.parse_commands((EXAMPLES / "fragment-profile-commands.xml").read_bytes())
    assert_type(commands, syncml.Commands)
    assert_type(syncml.serialize_commands(commands), bytes)
    alert = msg.body.commands[1]
    assert isinstance(alert, syncml.Alert)
    assert_type(alert.code, syncml.AlertCode | int | None)
    assert_type(msg.header.msg_id_int, int)
    assert alert.code == syncml.AlertCode.GENERIC_ALERT


def test_codes_keep_unknown_values_as_plain_ints() -> None:
    assert syncml.status_code(200) is syncml.StatusCode.OK
    assert syncml.status_code(260) == 260
    assert type(syncml.status_code(260)) is int
    assert syncml.alert_code(1226) is syncml.AlertCode.GENERIC_ALERT
    assert type(syncml.alert_code(1300)) is int
    assert syncml.StatusCode.ATOMIC_FAILED.meaning == "Atomic failed"
    status = syncml.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="250")
    assert status.code == 250


def test_identifiers_stay_as_written() -> None:
    data = (EXAMPLES / "dm11-server-bootstrap.xml").read_bytes()
    msg = syncml.parse(data)
    assert msg.header.msg_id == "01"
    assert msg.header.msg_id_int == 1
    assert syncml.serialize(msg).count(b"<MsgID>01</MsgID>") == 1


def test_errors_share_one_root() -> None:
    assert issubclass(syncml.DecodeError, syncml.SyncMLError)
    assert issubclass(syncml.EncodeError, syncml.SyncMLError)
    assert issubclass(syncml.DecodeError, ValueError)


def test_decode_error_pickles_with_its_fields() -> None:
    import pickle

    err = syncml.DecodeError("bad", line=3, column=4, path="SyncML/SyncHdr", status=505)
    back = pickle.loads(pickle.dumps(err))
    assert (back.reason, back.line, back.column, back.path, back.status) == ("bad", 3, 4, "SyncML/SyncHdr", 505)
    assert str(back) == str(err) == "bad - at SyncML/SyncHdr (line 3, column 4)"


def test_limits_are_validated() -> None:
    import pytest

    with pytest.raises(syncml.SyncMLError):
        syncml.Limits(max_depth=100_000)
    with pytest.raises(syncml.SyncMLError):
        syncml.Limits(max_size=0)


def test_py_typed_ships() -> None:
    from pathlib import Path

    assert (Path(syncml.__file__).parent / "py.typed").exists()


def test_parse_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    import pytest

    data = (EXAMPLES / "server-get-devdetail.xml").read_bytes()
    assert gc.isenabled()
    syncml.parse(data)
    assert gc.isenabled()
    with pytest.raises(syncml.DecodeError):
        syncml.parse(data[:-10])
    assert gc.isenabled()
    gc.disable()
    try:
        syncml.parse(data)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_item_text_reads_every_form_of_data() -> None:
    assert m.Item().text is None
    assert m.Item(data="1").text == "1"
    assert m.Item(data=m.CData(text="<a>")).text == "<a>"
    assert m.Item(data=m.Markup(xml="<Enabled/>")).text == "<Enabled/>"
    assert m.Item(data=m.Opaque(data=b"\x00\xff")).text == "AP8="
    assert syncml.data_text(m.Opaque(data=b"\x00\xff")) == "AP8="


def test_opaque_text_is_what_the_xml_form_reads_back() -> None:
    # Over XML, binary Data travels as b64 text: Item.text gives that text from both encodings.
    header = m.SyncHdr(session_id="1", msg_id="1", target=m.Target(loc_uri="a"), source=m.Source(loc_uri="b"))
    item = m.Item(target=m.Target(loc_uri="./x"), data=m.Opaque(data=bytes(range(256))))
    msg = m.SyncML(header=header, body=m.SyncBody(commands=(m.Replace(cmd_id="1", items=(item,)),), final=True))
    from_wbxml = syncml.parse(syncml.serialize(msg, wbxml=True)).body.commands[0]
    from_xml = syncml.parse(syncml.serialize(msg)).body.commands[0]
    assert isinstance(from_wbxml, m.Replace)
    assert isinstance(from_xml, m.Replace)
    assert isinstance(from_wbxml.items[0].data, m.Opaque)
    assert isinstance(from_xml.items[0].data, str)
    assert from_wbxml.items[0].text == from_xml.items[0].text == item.text


def test_markup_stands_alone_when_its_prefixes_are_declared_outside_data() -> None:
    from lxml import etree

    data = (
        b'<SyncML xmlns="SYNCML:SYNCML1.2" xmlns:p="urn:p"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI>"
        b'</Source></SyncHdr><SyncBody xmlns:q="urn:q"><Replace><CmdID>2</CmdID><Item><Target><LocURI>./x</LocURI>'
        b'</Target><Data><p:a q:b="1"><Enabled/></p:a></Data></Item></Replace><Final/></SyncBody></SyncML>'
    )
    msg = syncml.parse(data)
    replace = msg.body.commands[0]
    assert isinstance(replace, m.Replace)
    markup = replace.items[0].data
    assert isinstance(markup, m.Markup)
    alone = etree.fromstring(markup.xml)
    assert (alone.tag, alone.get("{urn:q}b")) == ("{urn:p}a", "1")
    assert syncml.parse(syncml.serialize(msg)) == msg
    assert syncml.parse(syncml.serialize(msg, wbxml=True)) == msg
    assert not hasattr(markup, "namespaces")


_HDR = m.SyncHdr(session_id="1", msg_id="x", target=m.Target(loc_uri="a"), source=m.Source(loc_uri="b"))
_NOT_TEXT: str = 200  # type: ignore[assignment]  # a hand-built model may hold anything


def _status(data: str) -> m.Status:
    return m.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=data)


def _sync(changes: str) -> m.Sync:
    return m.Sync(cmd_id="1", number_of_changes=changes)


#: Each typed view on a hand-built value that it cannot read, with the path its DecodeError names.
_BAD_VIEWS: list[tuple[str, Callable[[], object], str]] = [
    ("Status.code", lambda: _status("OK").code, "Status/Data"),
    ("Status.code (not text)", lambda: _status(_NOT_TEXT).code, "Status/Data"),
    ("Alert.code", lambda: m.Alert(cmd_id="1", data="12O1").code, "Alert/Data"),
    ("SyncHdr.msg_id_int", lambda: _HDR.msg_id_int, "SyncHdr/MsgID"),
    ("Meta.size_int", lambda: m.Meta(size="-1").size_int, "Meta/Size"),
    ("Meta.max_msg_size_int", lambda: m.Meta(max_msg_size="1e6").max_msg_size_int, "Meta/MaxMsgSize"),
    ("Meta.max_obj_size_int", lambda: m.Meta(max_obj_size="").max_obj_size_int, "Meta/MaxObjSize"),
    ("Sync.number_of_changes_int", lambda: _sync("x").number_of_changes_int, "Sync/NumberOfChanges"),
    ("Exec.item", lambda: m.Exec(cmd_id="1", items=()).item, "Exec"),
]


@pytest.mark.parametrize(("view", "read", "path"), _BAD_VIEWS, ids=[v[0] for v in _BAD_VIEWS])
def test_a_view_on_a_hand_built_value_raises_decode_error_without_position(
    view: str, read: Callable[[], object], path: str
) -> None:
    with pytest.raises(syncml.DecodeError) as raised:
        read()
    err = raised.value
    assert (err.path, err.status, err.line, err.column, err.offset) == (path, 400, None, None, None), view


def test_a_view_on_a_decoded_value_raises_the_same_error() -> None:
    data = (EXAMPLES / "client-unenroll-request.xml").read_bytes().replace(b"<Data>1201</Data>", b"<Data>12O1</Data>")
    msg = syncml.parse(data)
    alert = msg.body.commands[0]
    assert isinstance(alert, m.Alert)
    assert alert.data == "12O1"
    with pytest.raises(syncml.DecodeError) as decoded:
        _ = alert.code
    with pytest.raises(syncml.DecodeError) as built:
        _ = m.Alert(cmd_id="1", data="12O1").code
    assert str(decoded.value) == str(built.value)
    with pytest.raises(syncml.DecodeError, match="must be a code"):
        syncml.parse(data, strict=True)


#: The top level: the codec, its model, codes, errors, limits and the message-level helpers.  A change
#: here is an API change: it goes in CHANGELOG.md with the old name.
TOP_LEVEL = [
    "Add", "Alert", "AlertCode", "AlertType", "Anchor", "Atomic", "CData", "Chal", "Command", "Commands", "Copy",
    "Cred", "DEFAULT_LIMITS", "Data", "DecodeError", "Delete", "DevInfo", "Direction", "EncodeError", "Exec", "Field",
    "Filter", "Finding", "GenericAlert", "Get", "Item", "Limits", "LimitsError", "Map", "MapItem", "Markup", "Mem",
    "Meta", "Move", "Opaque", "Put", "Quirk", "QuirkKind", "Record", "Replace", "Results", "Rule", "SchemaError",
    "Search", "Sequence", "Severity", "Source", "SourceParent", "Status", "StatusCode", "Sync", "SyncBody", "SyncHdr",
    "SyncML", "SyncMLError", "Target", "TargetParent", "UNNUMBERED", "Unknown", "Violation", "WBXMLOptions",
    "alert_code", "check", "client_event", "client_events", "data_text", "devinfo_replace", "generic_alert",
    "generic_alerts", "is_numbered", "parse", "parse_commands", "read_devinfo", "repair_quotes", "serialize",
    "serialize_commands", "status_code", "validate", "wire_name",
]

#: The server machinery (issue 13 moved it out of the top level).
SERVER = [
    "CONTENT_TYPE_WBXML", "CONTENT_TYPE_XML", "HMAC_HEADER", "ChunkAccepted", "ClientEventReceived", "CommandHeld",
    "CommandNotSent", "CommandQueue", "CommandReceived", "CommandTooLarge", "CommandUnanswered", "Encoding",
    "EntryKind", "EntryState", "ErrorResponse", "Event", "Expired", "GenericAlertReceived", "HeaderStatusReceived",
    "HmacError", "MemoryStore", "MsgIdSkipped", "ObjectAbandoned", "QueueEntry", "QueueError", "QueueStore",
    "Queued", "Received", "ReplyTooLargeError", "ResultsReceived", "RetryMismatch", "SQLiteStore", "ServerSession",
    "SessionAborted", "SessionConfig", "SessionError", "SessionKey", "SessionStarted", "SessionState",
    "SessionTable", "StatusReceived", "StoreConflict", "UnenrollmentRequested", "UnmatchedResults",
    "UnmatchedStatus", "check_hmac", "content_type", "encoding_of", "error_response", "read_header", "reply",
    "result_item", "session_key", "sign", "update_queue",
]


def test_the_top_level_is_pinned() -> None:
    assert syncml.__all__ == TOP_LEVEL
    assert syncml.server.__all__ == SERVER
    assert not set(TOP_LEVEL) & set(SERVER)


def _reference_targets() -> set[str]:
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    targets: set[str] = set()
    for page in docs.rglob("*.md"):
        targets |= set(re.findall(r"^:::\s+([\w.]+)", page.read_text(encoding="utf-8"), re.MULTILINE))
    return targets


@pytest.mark.parametrize("package", ["syncml", "syncml.server"])
def test_every_exported_name_is_documented(package: str) -> None:
    """Each name has its own docstring and a place in the API reference (docs/reference/*.md).

    A name is in the reference when a ``::: target`` line names it, names the
    package that exports it whole, or names a module whose ``__all__`` lists it.
    """
    import importlib
    import inspect

    pkg = importlib.import_module(package)
    targets = _reference_targets()
    listed: set[str] = set()
    for target in targets:
        try:
            module = importlib.import_module(target)
        except ImportError:
            continue  # a function or class, such as syncml.parse
        listed |= set(getattr(module, "__all__", ()))
    missing = [
        name
        for name in pkg.__all__
        if f"{package}.{name}" not in targets and (package == "syncml" or package not in targets) and name not in listed
    ]
    assert missing == []
    for name in pkg.__all__:
        obj = getattr(pkg, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert (obj.__doc__ or "").strip(), name


def _public_modules() -> list[str]:
    import pkgutil

    names = ["syncml"]
    for info in pkgutil.walk_packages(syncml.__path__, "syncml."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def test_no_public_name_shares_its_name_with_a_module() -> None:
    """``syncml.devinfo`` once named a function and a module at once; no package may do that again."""
    import importlib
    import pkgutil

    modules = _public_modules()
    assert {"syncml.devinfo", "syncml.server", "syncml.msft", "syncml.ddf"} <= set(modules)
    for name in modules:
        module = importlib.import_module(name)
        path = getattr(module, "__path__", None)
        if path is None:
            continue
        for info in pkgutil.iter_modules(path):
            if info.name.startswith("_"):
                continue  # private: no public name starts with "_"
            sub = importlib.import_module(f"{name}.{info.name}")
            assert getattr(module, info.name) is sub, f"{name}.{info.name} is not the module"
            assert info.name not in getattr(module, "__all__", ()), f"{name}.__all__ lists the module {info.name}"


def test_import_syncml_loads_no_server_module() -> None:
    import subprocess
    import sys

    code = "import sys, syncml; print(sorted(m for m in sys.modules if m.startswith('syncml')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for server_module in ("syncml.server", "syncml.session", "syncml.commandqueue", "syncml.events", "syncml.replies"):
        assert f"'{server_module}'" not in loaded
