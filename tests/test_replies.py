"""Reply skeletons: header, SyncHdr Status first, one Status per command, Results for Gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml
import syncml.auth
import syncml.server
from syncml import StatusCode
from syncml import model as m
from syncml import strategies as sst
from syncml.replies import command_statuses, header_status, renumber, reply_commands, reply_header, result_item

from .conftest import EXAMPLES

SERVER = "https://mdm.example.com/ManagementServer/MDM.svc"
DEVICE = "4C4C4544-0037-3010-8052-B4C04F4B4E32"


def _example(name: str) -> m.SyncML:
    return syncml.parse((EXAMPLES / name).read_bytes())


def _received(*commands: m.Command, msg_id: str = "3", no_resp: bool = False) -> m.SyncML:
    header = m.SyncHdr(
        session_id="5",
        msg_id=msg_id,
        target=m.Target(loc_uri=DEVICE),
        source=m.Source(loc_uri=SERVER, loc_name="server-user"),
        no_resp=no_resp,
    )
    return m.SyncML(header=header, body=m.SyncBody(commands=commands, final=True))


def _status(
    cmd_id: str,
    cmd_ref: str,
    cmd: str,
    data: str = "200",
    msg_ref: str = "3",
    target_refs: tuple[str, ...] = (),
    source_refs: tuple[str, ...] = (),
) -> m.Status:
    return m.Status(
        cmd_id=cmd_id,
        msg_ref=msg_ref,
        cmd_ref=cmd_ref,
        cmd=cmd,
        data=data,
        target_refs=target_refs,
        source_refs=source_refs,
    )


def _target(uri: str, data: str | None = None) -> m.Item:
    return m.Item(target=m.Target(loc_uri=uri), data=data)


def test_reply_to_a_first_package() -> None:
    received = _example("client-session-start-md5.xml")
    answer = syncml.server.reply(received, msg_id=1)
    assert answer.header == m.SyncHdr(
        session_id="1A",
        msg_id="1",
        target=m.Target(loc_uri=DEVICE),  # the LocName of the device's user is not echoed
        source=m.Source(loc_uri=SERVER),
    )
    assert answer.body.commands == (
        _status("1", "0", "SyncHdr", msg_ref="1"),
        _status("2", "1", "Alert", msg_ref="1"),
        _status("3", "2", "Alert", msg_ref="1"),
        _status("4", "3", "Replace", msg_ref="1"),
    )
    assert answer.body.final
    assert syncml.parse(syncml.serialize(answer), strict=True) == answer


def test_same_reply_as_a_real_server_wrote(corpus_dir: Path) -> None:
    """Fleet's PoC server answered a real Windows package 1 with exactly this skeleton."""
    received = syncml.parse(
        (corpus_dir / "fleet-poc-dump-client-pkg1-session-start-alert1201-loginstatus-devinfo.xml").read_bytes()
    )
    real = syncml.parse((corpus_dir / "fleet-poc-dump-server-pkg2-status-ack-four-statuses.xml").read_bytes())
    assert syncml.server.reply(received, msg_id=1) == real


def test_per_item_codes_group_items_by_code() -> None:
    add = m.Add(cmd_id="7", items=(_target("./A", "1"), _target("./B", "2"), _target("./C", "3")))
    statuses = command_statuses(add, msg_ref="3", first_cmd_id=10, code=[200, 404, StatusCode.OK])
    assert statuses == (
        _status("10", "7", "Add", target_refs=("./A", "./C")),
        _status("11", "7", "Add", data="404", target_refs=("./B",)),
    )
    replace = m.Replace(cmd_id="4", items=(m.Item(source=m.Source(loc_uri="./DevInfo/Man"), data="x"),) * 2)
    assert command_statuses(replace, msg_ref="1", first_cmd_id=2, code=[418, 418]) == (
        _status("2", "4", "Replace", data="418", msg_ref="1"),
    )
    mixed = command_statuses(replace, msg_ref="1", first_cmd_id=2, code=[200, 500])
    assert [s.source_refs for s in mixed] == [("./DevInfo/Man",), ("./DevInfo/Man",)]


@pytest.mark.parametrize(
    ("command", "codes"),
    [
        (m.Add(cmd_id="1", items=(_target("./A"),)), [200, 200]),
        (m.Atomic(cmd_id="1", commands=(m.Add(cmd_id="2", items=(_target("./A"),)),)), [200]),
        (m.Status(cmd_id="1", msg_ref="1", cmd_ref="1", cmd="Add", data="200"), []),
        (m.Alert(cmd_id="1", data="1201"), []),
    ],
)
def test_per_item_codes_must_fit_the_items(command: m.Command, codes: list[int]) -> None:
    with pytest.raises(syncml.EncodeError, match="per-Item codes"):
        command_statuses(command, msg_ref="1", first_cmd_id=1, code=codes)


def test_gets_get_results_after_their_status() -> None:
    get1 = m.Get(cmd_id="2", items=(_target("./DevDetail/SwV"), _target("./DevDetail/FwV")))
    get2 = m.Get(cmd_id="3", items=(_target("./Vendor/MSFT/X"),))
    replace = m.Replace(cmd_id="4", items=(_target("./Vendor/MSFT/Y", "1"),))
    received = _received(get1, get2, replace)
    value = result_item("./Vendor/MSFT/X", "42", format="int")
    commands = reply_commands(received, first_cmd_id=1, codes={"2": [200, 404]}, results={"3": [value]})
    assert commands == (
        _status("1", "0", "SyncHdr"),
        _status("2", "2", "Get", target_refs=("./DevDetail/SwV",)),
        _status("3", "2", "Get", data="404", target_refs=("./DevDetail/FwV",)),
        # No value given for Get 2: a skeleton naming the node that succeeded.
        m.Results(cmd_id="4", msg_ref="3", cmd_ref="2", items=(m.Item(source=m.Source(loc_uri="./DevDetail/SwV")),)),
        _status("5", "3", "Get"),
        m.Results(cmd_id="6", msg_ref="3", cmd_ref="3", items=(value,)),
        _status("7", "4", "Replace"),
    )
    assert value == m.Item(source=m.Source(loc_uri="./Vendor/MSFT/X"), meta=m.Meta(format="int"), data="42")


def test_a_failed_get_gets_no_results_skeleton() -> None:
    received = _received(m.Get(cmd_id="2", items=(_target("./Nope"),)))
    assert reply_commands(received, codes={"2": 404}) == (_status("1", "0", "SyncHdr"), _status("2", "2", "Get", "404"))


def test_statuses_and_results_received() -> None:
    status = _status("1", "0", "SyncHdr", msg_ref="1")
    results = m.Results(cmd_id="2", cmd_ref="5", items=(m.Item(data="v"),))
    alert = m.Alert(cmd_id="3", data="1222")
    received = _received(status, results, alert)
    assert reply_commands(received) == (_status("1", "0", "SyncHdr"), _status("2", "3", "Alert"))
    assert reply_commands(received, codes={"2": 500})[1] == _status("2", "2", "Results", "500")
    assert reply_commands(received, status_for_results=True)[1] == _status("2", "2", "Results")


def test_containers_and_their_children_each_get_a_status() -> None:
    inner = m.Replace(cmd_id="3", items=(_target("./A", "1"),))
    sequence = m.Sequence(cmd_id="2", commands=(inner, m.Exec(cmd_id="4", items=(_target("./B"),))))
    answer = reply_commands(_received(sequence), codes={"4": 500})
    assert [(s.cmd, s.cmd_ref, s.data) for s in answer if isinstance(s, m.Status)] == [
        ("SyncHdr", "0", "200"),
        ("Sequence", "2", "200"),
        ("Replace", "3", "200"),
        ("Exec", "4", "500"),
    ]


def test_noresp_is_honoured() -> None:
    quiet = m.Add(cmd_id="2", no_resp=True, items=(_target("./A", "1"),))
    loud = m.Add(cmd_id="3", items=(_target("./B", "1"),))
    assert reply_commands(_received(quiet, loud)) == (_status("1", "0", "SyncHdr"), _status("2", "3", "Add"))
    assert reply_commands(_received(loud, no_resp=True)) == (_status("1", "3", "Add"),)


def test_authentication_failure_reply() -> None:
    received = _received(m.Alert(cmd_id="2", data="1201"), m.Get(cmd_id="3", items=(_target("./A"),)))
    with pytest.raises(syncml.EncodeError, match="Chal"):
        syncml.server.reply(received, msg_id=1, header_code=401)
    chal = syncml.auth.chal(syncml.auth.AuthScheme.MD5, nonce=b"n")
    answer = syncml.server.reply(received, msg_id=1, header_code=StatusCode.INVALID_CREDENTIALS, chal=chal)
    assert [(type(c).__name__, getattr(c, "data", None)) for c in answer.body.commands] == [
        ("Status", "401"),
        ("Status", "401"),
        ("Status", "401"),
    ]  # only Statuses, one per command, no Results
    assert isinstance(answer.body.commands[0], m.Status)
    assert answer.body.commands[0].chal == chal
    with pytest.raises(syncml.EncodeError, match="only Statuses"):
        syncml.server.reply(received, msg_id=1, header_code=407, chal=chal, commands=[m.Alert(cmd_id="1", data="1100")])


def test_own_commands_follow_the_statuses_renumbered() -> None:
    received = _example("client-unenroll-request.xml")
    mine: list[m.Command] = [
        m.Get(cmd_id="x", items=(_target("./DevDetail/SwV"),)),
        m.Atomic(cmd_id="y", commands=(m.Add(cmd_id="z", items=(_target("./A", "1"),)),)),
    ]
    answer = syncml.server.reply(received, msg_id=2, commands=mine, final=False)
    assert [c.cmd_id for c in answer.body.commands] == ["1", "2", "3", "4", "5", "6"]
    atomic = answer.body.commands[-1]
    assert isinstance(atomic, m.Atomic)
    assert atomic.commands[0].cmd_id == "7"
    assert answer.header.msg_id == "2"
    assert not answer.body.final


def test_building_blocks() -> None:
    received = _received(m.Alert(cmd_id="2", data="1201")).header
    header = reply_header(received, msg_id=7, resp_uri="https://x/2", meta=m.Meta(max_msg_size="4000"))
    assert (header.resp_uri, header.msg_id, header.meta) == ("https://x/2", "7", m.Meta(max_msg_size="4000"))
    assert header_status(received, cmd_id=1, code=212).data == "212"
    assert renumber([], start=5) == ()


_CODES = st.sampled_from([200, 202, 404, 500])


@settings(max_examples=60)
@given(received=sst.messages(max_commands=4, max_items=2), data=st.data())
def test_one_status_per_command_in_order(received: m.SyncML, data: st.DataObject) -> None:
    """Invariants: the SyncHdr Status comes first; then one Status per command that
    needs one, in order; CmdIDs are 1..n; the reply reads back strictly equal."""
    located = _flatten(received.body.commands)
    codes = {c.cmd_id: data.draw(_CODES) for c in located}
    answer = syncml.server.reply(received, msg_id=1, codes=codes)
    commands = answer.body.commands
    assert [c.cmd_id for c in _flatten(commands)] == [str(i) for i in range(1, len(_flatten(commands)) + 1)]
    statuses = [c for c in commands if isinstance(c, m.Status)]
    if not received.header.no_resp:
        assert (statuses[0].cmd_ref, statuses[0].cmd, statuses[0].msg_ref) == ("0", "SyncHdr", received.header.msg_id)
        statuses = statuses[1:]
    answered = [
        c
        for c in located
        if not isinstance(c, m.Status)
        and not getattr(c, "no_resp", False)
        and not (isinstance(c, m.Results) and codes[c.cmd_id] == 200)
    ]
    assert [(s.cmd_ref, s.cmd, s.data) for s in statuses] == [
        (c.cmd_id, type(c).__name__, str(codes[c.cmd_id])) for c in answered
    ]
    if commands:  # nothing to answer (all NoResp): a client then sends nothing
        assert syncml.parse(syncml.serialize(answer), strict=True) == answer


def _flatten(commands: tuple[m.Command, ...]) -> list[m.Command]:
    out: list[m.Command] = []
    for command in commands:
        out.append(command)
        if isinstance(command, m.Atomic | m.Sequence):
            out.extend(_flatten(command.commands))
    return out


LEAF_ITEMS = (m.Item(target=m.Target(loc_uri="./A"), data="1"),)


def _deep(depth: int) -> m.Command:
    command: m.Command = m.Add(cmd_id="x", items=LEAF_ITEMS)
    for _ in range(depth):
        command = m.Atomic(cmd_id="x", commands=(command,))
    return command


def test_renumber_walks_any_depth_without_recursion() -> None:
    """A hand-built Atomic 5000 deep used to end in a bare RecursionError."""
    top, alert = renumber([_deep(5_000), m.Alert(cmd_id="y", data="1226")], start=7)
    ids = []
    at: m.Command = top
    while isinstance(at, m.Atomic):
        ids.append(at.cmd_id)
        (at,) = at.commands
    ids.append(at.cmd_id)
    assert ids == [str(n) for n in range(7, 7 + 5_001)]
    assert alert == m.Alert(cmd_id=str(7 + 5_001), data="1226")
    nested = m.Atomic(cmd_id="2", commands=(m.Add(cmd_id="3", items=LEAF_ITEMS),))
    assert renumber([m.Alert(cmd_id="a"), _deep(1)], start=1) == (m.Alert(cmd_id="1"), nested)


def test_reply_too_large_carries_a_status() -> None:
    err = syncml.server.ReplyTooLargeError("the Statuses take 9000 bytes", size=9000, max_msg_size=4096)
    assert isinstance(err, syncml.SyncMLError)
    assert (err.status, err.size, err.max_msg_size, err.reason) == (413, 9000, 4096, "the Statuses take 9000 bytes")
    assert err.status is StatusCode.REQUEST_ENTITY_TOO_LARGE
