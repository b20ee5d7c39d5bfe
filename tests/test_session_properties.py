"""Property: random command mixes and MaxMsgSize values, one simulated device, all through bytes.

Invariants:

- every command we send gets exactly one matched Status (nested commands one
  each too), or is refused as too large for the device (:class:`CommandTooLarge`,
  when it was queued before the device announced its MaxMsgSize, or raised by
  ``send`` after), and nothing the device sends goes unmatched;
- every Get of an existing node gets exactly one Results, with the whole value,
  however many messages it took;
- no message, either way, exceeds the MaxMsgSize its recipient announced;
- every message parses strictly and breaks no protocol rule of ``syncml.check``;
- the device's tree ends as the commands say, and the session ends cleanly.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syncml
from syncml import model as m
from syncml.events import (
    ChunkAccepted,
    CommandTooLarge,
    Event,
    ResultsReceived,
    StatusReceived,
    UnmatchedResults,
    UnmatchedStatus,
)
from syncml.session import ServerSession, SessionConfig, SessionError, SessionState
from syncml.strategies import messages

from .devicesim import Device

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NODES = [f"./Vendor/MSFT/Policy/Config/Area{i}/Setting" for i in range(6)]

_values = st.one_of(
    st.text(string.ascii_letters + string.digits + " <>&\"'é\r\n", max_size=40),
    st.text(string.ascii_letters + "&<é", min_size=400, max_size=4000),
)


@st.composite
def _leaf(draw: st.DrawFn, *, small: bool) -> m.Command:
    node = draw(st.sampled_from(NODES))
    target = m.Item(target=m.Target(loc_uri=node))
    kind = draw(st.sampled_from(["Get", "Replace", "Add", "Delete", "Exec"]))
    value = draw(st.text(string.ascii_letters, max_size=20) if small else _values)
    if kind == "Get":
        return m.Get(cmd_id="", items=(target,))
    if kind == "Delete":
        return m.Delete(cmd_id="", items=(target,))
    if kind == "Exec":
        return m.Exec(cmd_id="", items=(target,))
    item = m.Item(target=m.Target(loc_uri=node), meta=m.Meta(format="chr"), data=value)
    return (m.Replace if kind == "Replace" else m.Add)(cmd_id="", items=(item,))


@st.composite
def _command(draw: st.DrawFn) -> m.Command:
    if draw(st.integers(0, 5)) == 0:
        children = tuple(
            c for c in draw(st.lists(_leaf(small=True), min_size=1, max_size=3)) if not isinstance(c, m.Get | m.Exec)
        ) or (m.Delete(cmd_id="", items=(m.Item(target=m.Target(loc_uri=NODES[0])),)),)
        if draw(st.booleans()):
            return m.Atomic(cmd_id="", commands=children)
        return m.Sequence(cmd_id="", commands=children)
    return draw(_leaf(small=False))


def _expected_tree(tree: dict[str, str], commands: list[m.Command]) -> dict[str, str]:
    out = dict(tree)
    for command in commands:
        for leaf in command.commands if isinstance(command, m.Atomic | m.Sequence) else (command,):
            uri = leaf.items[0].target.loc_uri  # type: ignore[union-attr]
            data = leaf.items[0].data  # type: ignore[union-attr]
            if (isinstance(leaf, m.Replace) and uri in out) or (isinstance(leaf, m.Add) and uri not in out):
                assert isinstance(data, str)
                out[uri] = data
            elif isinstance(leaf, m.Delete):
                out.pop(uri, None)
    return out


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    tree=st.dictionaries(st.sampled_from(NODES), _values, max_size=len(NODES)),
    commands=st.lists(_command(), min_size=1, max_size=8),
    device_max=st.integers(1100, 6000),
    server_max=st.one_of(st.none(), st.integers(1100, 6000)),
    early=st.integers(0, 8),
)
def test_every_command_gets_one_matched_outcome_and_no_message_is_too_big(
    tree: dict[str, str], commands: list[m.Command], device_max: int, server_max: int | None, early: int
) -> None:
    device = Device(tree=dict(tree), max_msg_size=device_max, server_max_msg_size=server_max or 512 * 1024)
    session = ServerSession(SessionConfig(max_msg_size=server_max))
    keys = [str(i) for i in range(len(commands))]
    # Some commands are queued before the device's first message, the rest after.
    for key, command in zip(keys[:early], commands[:early], strict=False):
        session.send(command, key=key)
    events: list[Event] = list(session.receive(device.start(), now=NOW))
    refused = {e.key for e in events if isinstance(e, CommandTooLarge)}
    statuses_refused: list[int] = []
    for key, command in zip(keys[early:], commands[early:], strict=False):
        try:
            session.send(command, key=key)
        except SessionError as exc:
            refused.add(key)
            statuses_refused.append(exc.status)
    for _ in range(300):
        answer = device.answer(session.reply())
        if answer is None:
            break
        events.extend(session.receive(answer, now=NOW))
    else:
        raise AssertionError("the session did not end")

    assert set(statuses_refused) <= {413}
    assert session.state is SessionState.FINISHED
    assert session.close(now=NOW) == ()
    assert not [e for e in events if isinstance(e, UnmatchedStatus | UnmatchedResults)]

    # Run the same commands on a plain copy of the tree to know what to expect.
    statuses = [e for e in events if isinstance(e, StatusReceived) and e.key is not None]
    for key, command in zip(keys, commands, strict=True):
        mine = [e for e in statuses if e.key == key]
        if key in refused:
            assert mine == []
            continue
        leaves = command.commands if isinstance(command, m.Atomic | m.Sequence) else ()
        assert len(mine) == 1 + len(leaves), (key, mine)
        assert type(mine[0].command) is type(command)
        assert [type(e.command) for e in mine[1:]] == [type(c) for c in leaves]
        assert all(e.command.cmd_id == mine[0].command.cmd_id for e in mine[:1])
    assert all(isinstance(e.command, m.Replace | m.Add) for e in events if isinstance(e, ChunkAccepted))

    results = [e for e in events if isinstance(e, ResultsReceived)]
    got = [(e.key, e.results.items[0].data) for e in results]
    expected: list[tuple[str, str]] = []
    state = dict(tree)
    for key, command in zip(keys, commands, strict=True):
        if key in refused:
            continue
        if isinstance(command, m.Get):
            uri = command.items[0].target.loc_uri  # type: ignore[union-attr]
            if uri in state:
                expected.append((key, state[uri]))
        state = _expected_tree(state, [command])
    assert got == expected
    assert device.tree == state

    for sender, data in device.log:
        limit = device_max if sender == "server" else server_max
        if limit is not None:
            assert len(data) <= limit
        msg = syncml.parse(data, strict=True)
        direction = syncml.Direction.SERVER_TO_CLIENT if sender == "server" else syncml.Direction.CLIENT_TO_SERVER
        errors = [f for f in syncml.check(msg, direction=direction) if f.severity is syncml.Severity.ERROR]
        assert errors == [], (sender, errors)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(msg=messages())
def test_any_message_is_answered_or_refused_with_syncml_error(msg: m.SyncML) -> None:
    """Whatever a device sends, the session answers it (and a retry identically) or raises SyncMLError."""
    session = ServerSession()
    session.send(m.Get(cmd_id="", items=(m.Item(target=m.Target(loc_uri="./DevDetail/SwV")),)), key="swv")
    data = syncml.serialize(msg)
    try:
        session.receive(data, now=NOW)
        reply = session.reply()
        answer = syncml.parse(reply, strict=True)
    except syncml.SyncMLError:
        return
    # The same bytes again (the answer was lost): no events, the same answer.
    assert session.receive(data, now=NOW) == ()
    assert session.reply() == reply
    assert answer.header.session_id == msg.header.session_id
    statuses = [c for c in answer.body.commands if isinstance(c, m.Status)]
    if not msg.header.no_resp:
        assert statuses[0].cmd == "SyncHdr"
