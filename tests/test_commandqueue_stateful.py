"""Stateful property: unenroll at most once per enrollment, and no queued command lost, whatever happens.

A hypothesis state machine interleaves administrator requests (commands,
unenrolls asked any number of times), whole device sessions through bytes
(the device answering the unenroll Exec with a Status or aborting at once,
responses lost and the message retried, the 1226 alert when it unenrolled),
server restarts that lose the sessions and reload every queue from its
stored JSON, writers racing a session's update (compare and swap), the
device enrolled again, and silence.  Time is passed in, step by step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from syncml import model as m
from syncml.server import (
    CommandQueue,
    EntryKind,
    EntryState,
    Event,
    MemoryStore,
    QueueEntry,
    QueueStore,
    ServerSession,
    update_queue,
)

from .devicesim import Device

DEV = "DEV-1"
PROVIDER = "Contoso MDM"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def _settle_and_take(queue: CommandQueue, *, events: tuple[Event, ...], now: datetime) -> tuple[QueueEntry, ...]:
    """What a server does with a message's events: settle the queue, take what is due."""
    queue.apply(events, now=now)
    return queue.take(now=now)


class Racing:
    """A store whose next save meets a concurrent administrator write made just before it."""

    def __init__(self, inner: QueueStore, write: Callable[[CommandQueue], QueueEntry], added: list[str]) -> None:
        self.inner, self.write, self.added, self.armed = inner, write, added, True

    def load(self, device_id: str) -> CommandQueue | None:
        return self.inner.load(device_id)

    def save(self, queue: CommandQueue, *, expected: int | None) -> None:
        if self.armed:
            self.armed = False
            self.added.append(update_queue(self.inner, queue.device_id, self.write).id)
        self.inner.save(queue, expected=expected)


class UnenrollOnce(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        self.device = Device(device_id=DEV, tree={f"./N/{n}": str(n) for n in range(3)})
        self.now = START
        self.epoch = 0  # enrollments of the device so far, minus one
        self.execs_by_epoch: dict[int, int] = {}
        self.added: list[str] = []
        self.sessions = 0

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def _count_execs(self, before: int) -> None:
        ran = sum(1 for uri in self.device.executed if uri.endswith("/Unenroll")) - before
        self.execs_by_epoch[self.epoch] = self.execs_by_epoch.get(self.epoch, 0) + ran

    # --- the administrator ---------------------------------------------------------------

    @rule(node=st.integers(0, 3))
    def admin_adds_a_command(self, node: int) -> None:
        now = self.tick()
        get = m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri=f"./N/{node}")),))
        self.added.append(update_queue(self.store, DEV, lambda q: q.add(get, now=now)).id)

    @rule(times=st.integers(1, 3))
    def admin_asks_to_unenroll(self, times: int) -> None:
        now = self.tick()
        results = [update_queue(self.store, DEV, lambda q: q.unenroll(PROVIDER, now=now)) for _ in range(times)]
        assert sum(r.added for r in results) <= 1
        assert all(r.reason for r in results if not r.added)

    # --- the device ------------------------------------------------------------------------

    @rule(
        status_for_exec=st.booleans(),
        lose=st.none() | st.integers(1, 3),
        crash_after=st.none() | st.integers(0, 3),
        race=st.booleans(),
        report=st.booleans(),
    )
    def device_session(
        self, status_for_exec: bool, lose: int | None, crash_after: int | None, race: bool, report: bool
    ) -> None:
        self.sessions += 1
        before = sum(1 for uri in self.device.executed if uri.endswith("/Unenroll"))
        self.device.unenroll_status = status_for_exec
        get = m.Get(cmd_id="1", items=(m.Item(target=m.Target(loc_uri="./N/0")),))
        store: QueueStore = Racing(self.store, lambda q: q.add(get, now=self.now), self.added) if race else self.store
        session = ServerSession()
        message: bytes | None = self.device.start(session_id=format(self.sessions, "X"), report_unenroll=report)
        replies = 0
        try:
            while message is not None:
                if crash_after == replies:
                    self._restart()
                    return  # the server lost the session; the device's connection failed
                now = self.tick()
                events = session.receive(message, now=now)
                for entry in update_queue(store, DEV, partial(_settle_and_take, events=events, now=now)):
                    session.send(entry.command, key=entry.id)
                reply = session.reply()
                replies += 1
                if lose == replies:  # the answer got lost: the device sends the same bytes again
                    assert session.receive(message, now=now) == ()
                    assert session.reply() == reply
                message = self.device.answer(reply)
            leftovers = session.close(now=self.tick())
            update_queue(self.store, DEV, lambda q: q.apply(leftovers, now=self.now))
        finally:
            self._count_execs(before)

    def _restart(self) -> None:
        """The server process restarts: sessions are gone, queues are read back from their stored form."""
        queue = self.store.load(DEV)
        if queue is None:
            return
        assert CommandQueue.from_json(queue.to_json()) == queue
        update_queue(self.store, DEV, lambda q: q.requeue_sent())

    @rule()
    def server_restarts(self) -> None:
        self._restart()

    @rule()
    def device_enrolls_again(self) -> None:
        if not self.device.unenrolled:
            return
        self.device.unenrolled = False
        self.epoch += 1
        update_queue(self.store, DEV, lambda q: q.reenrolled(now=self.tick()))

    @rule(days=st.integers(1, 10))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)
        update_queue(self.store, DEV, lambda q: q.close_if_silent(now=self.now, after=timedelta(days=7)))

    # --- what must always hold -----------------------------------------------------------------

    @invariant()
    def at_most_one_unenroll_exec_per_enrollment(self) -> None:
        assert all(count <= 1 for count in self.execs_by_epoch.values()), self.execs_by_epoch

    @invariant()
    def no_queued_command_is_lost_or_doubled(self) -> None:
        queue = self.store.load(DEV)
        if queue is None:
            assert self.added == []
            return
        ids = [e.id for e in queue.entries]
        assert len(ids) == len(set(ids))
        commands = {e.id for e in queue.entries if e.kind is EntryKind.COMMAND}
        assert commands == set(self.added)
        assert len(queue.unenroll_life()) <= 1
        # A command goes out to the device only while it is enrolled.
        if queue.unenrolled:
            assert all(e.state is not EntryState.SENT for e in queue.entries if e.kind is EntryKind.COMMAND)


UnenrollOnce.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestUnenrollOnce = UnenrollOnce.TestCase


def test_the_issue_scenario_status_200_then_a_second_request() -> None:
    """The sequence of issue 12: the Exec answered 200, the admin asks again, the device reports no alert."""
    machine = UnenrollOnce()
    machine.admin_asks_to_unenroll(1)
    machine.device_session(status_for_exec=True, lose=None, crash_after=None, race=False, report=True)
    machine.admin_asks_to_unenroll(2)
    machine.device_session(status_for_exec=True, lose=1, crash_after=None, race=True, report=False)
    machine.server_restarts()
    machine.device_session(status_for_exec=False, lose=None, crash_after=None, race=False, report=True)
    machine.at_most_one_unenroll_exec_per_enrollment()
    machine.no_queued_command_is_lost_or_doubled()
    assert machine.execs_by_epoch == {0: 1}
    queue = machine.store.load(DEV)
    assert queue is not None
    assert [(e.kind, e.state) for e in queue.entries if e.kind is EntryKind.UNENROLL] == [
        (EntryKind.UNENROLL, EntryState.CONFIRMED)
    ]
    machine.device_enrolls_again()
    machine.admin_asks_to_unenroll(1)
    machine.device_session(status_for_exec=False, lose=None, crash_after=None, race=False, report=True)
    assert machine.execs_by_epoch == {0: 1, 1: 1}
