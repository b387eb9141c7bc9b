"""Ticket metric events (reference §4.7, §6.18; zendesk-api-more §10), stored packed.

A real account has 10-20 metric events per ticket, so a 20,000-ticket sandbox holds ~300,000 of
them. As dicts they would cost ~200 MB; here one event is three int64 columns indexed by its
sequence number plus one sorted int64 export key (about 32 bytes), and the JSON record is built
only when served.

Hard cases: ``breach`` events are scheduled ahead (at activation + SLA target), so a breach made
by a mutation has a ``time`` in the future that the export must not show before it is due; a
metric fulfilled before its breach time cancels the breach, which is then served with
``deleted: true`` when it comes due.
"""

from __future__ import annotations

import random
from array import array
from bisect import insort
from collections.abc import Sequence

from tap_zendesk.sandbox.factories import Record, iso

METRICS = (
    "agent_work_time",
    "pausable_update_time",
    "periodic_update_time",
    "reply_time",
    "requester_wait_time",
    "resolution_time",
    "group_ownership_time",
)
EVENT_TYPES = (
    "activate",
    "pause",
    "fulfill",
    "apply_sla",
    "apply_group_sla",
    "breach",
    "update_status",
    "measure",
)
SLA_POLICIES = (
    {
        "id": 360_000_840_002,
        "title": "Standard",
        "description": "Standard: first reply within 240 minutes",
    },
    {
        "id": 360_000_840_001,
        "title": "Enterprise customers",
        "description": "Enterprise customers: first reply within 30 minutes",
    },
)
"""Policies as events embed them: ids and titles of the sandbox's ``/slas/policies`` records
(:mod:`.config_data`); index 0 serves urgent and high priority tickets, 1 the rest."""
GROUP_SLA_POLICIES = (
    {
        "id": 360_000_910_001,
        "title": "Group ownership",
        "description": "A group owns a ticket for at most four hours",
    },
)
REPLY_TARGETS = {"urgent": 60, "high": 240, "normal": 480, "low": 1440, None: 480}
RESOLUTION_TARGETS = {"urgent": 480, "high": 1440, "normal": 4320, "low": 10080, None: 4320}
UPDATE_TARGET = 720
GROUP_TARGET = 240
BASE_ID = 370_000_000_000
"""Event ids are ``BASE_ID + sequence number``: real-looking ids, no per-event id object."""

_SEQ_BITS = 32
_SEQ_MASK = (1 << _SEQ_BITS) - 1
_METRIC = {name: i for i, name in enumerate(METRICS)}
_TYPE = {name: i for i, name in enumerate(EVENT_TYPES)}
# Bits of an event's code: metric 0-2, type 3-5, instance 6-11, deleted 12, business hours 13,
# policy 14-15, first number (SLA target or calendar minutes) 16-39, business minutes 40-62.
_DELETED = 1 << 12
_BUSINESS_HOURS = 1 << 13


class MetricEventLog(Sequence[tuple[int, int]]):
    """All metric events of an account, in export order ``(time, id)``.

    Behaves as the export's key sequence: ``log[i]`` is the ``(time, id)`` of the i-th event in
    export order (integer indexes only), which is all
    :func:`~tap_zendesk.sandbox.pagination.time_export_page` needs.
    """

    def __init__(self) -> None:
        self.keys = array("q")  # time << 32 | seq, sorted (except while bulk loading)
        self.times = array("q")  # by seq
        self.ticket_ids = array("q")  # by seq
        self.codes = array("q")  # by seq
        self.open_breaches: dict[int, list[int]] = {}
        """Seqs of each ticket's breaches whose metric is not fulfilled yet."""
        self.bulk = False

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> tuple[int, int]:  # type: ignore[override]
        key = self.keys[index]
        return key >> _SEQ_BITS, BASE_ID + (key & _SEQ_MASK)

    def finish_bulk(self) -> None:
        """Sort the keys appended while :attr:`bulk` was set (one sort instead of inserts)."""
        self.keys = array("q", sorted(self.keys))
        self.bulk = False

    # -- one event -------------------------------------------------------------------------

    def add(
        self,
        ticket_id: int,
        at: int,
        metric: str,
        kind: str,
        instance: int = 1,
        *,
        first: int = 0,
        second: int = 0,
        policy: int = 0,
        business_hours: bool = False,
    ) -> int:
        """Append an event; return its sequence number (its id is ``BASE_ID + seq``)."""
        seq = len(self.codes)
        code = (
            _METRIC[metric]
            | _TYPE[kind] << 3
            | instance << 6
            | (_BUSINESS_HOURS if business_hours else 0)
            | policy << 14
            | min(first, (1 << 24) - 1) << 16
            | min(second, (1 << 23) - 1) << 40
        )
        self.times.append(at)
        self.ticket_ids.append(ticket_id)
        self.codes.append(code)
        key = at << _SEQ_BITS | seq
        if self.bulk:
            self.keys.append(key)
        else:
            insort(self.keys, key)
        return seq

    def record(self, event_id: int) -> Record:
        """Return the JSON record of an event, as the export serves it."""
        seq = event_id - BASE_ID
        code = self.codes[seq]
        kind = EVENT_TYPES[code >> 3 & 7]
        event: Record = {
            "id": event_id,
            "ticket_id": self.ticket_ids[seq],
            "metric": METRICS[code & 7],
            "instance_id": code >> 6 & 63,
            "type": kind,
            "time": iso(self.times[seq]),
        }
        first = code >> 16 & (1 << 24) - 1
        if kind in ("apply_sla", "apply_group_sla"):
            policies = SLA_POLICIES if kind == "apply_sla" else GROUP_SLA_POLICIES
            event["sla" if kind == "apply_sla" else "group_sla"] = {
                "target": first,
                "business_hours": bool(code & _BUSINESS_HOURS),
                "policy": policies[code >> 14 & 3],
            }
        elif kind == "update_status":
            event["status"] = {"calendar": first, "business": code >> 40}
        event["deleted"] = bool(code & _DELETED)
        return event

    def ids_of(self, seqs: list[int]) -> set[int]:
        """Return the ids of events by sequence number."""
        return {BASE_ID + seq for seq in seqs}

    # -- what happens to a ticket ----------------------------------------------------------

    def open_ticket(
        self,
        rng: random.Random,
        ticket_id: int,
        at: int,
        priority: str | None,
        group_id: int | None,
    ) -> list[int]:
        """Record a ticket's creation: measures, activations, SLAs and their breaches ahead.

        Returns the seqs of events at ``at`` (breaches are scheduled later).
        """
        now: list[int] = [
            self.add(ticket_id, at, "agent_work_time", "measure", 0),
            self.add(ticket_id, at, "requester_wait_time", "measure", 0),
        ]
        for metric in ("agent_work_time", "requester_wait_time", "reply_time", "resolution_time"):
            now.append(self.add(ticket_id, at, metric, "activate"))
        if rng.random() < 0.85:
            policy = 0 if priority in ("urgent", "high") else 1
            slas = [
                ("reply_time", REPLY_TARGETS[priority]),
                ("resolution_time", RESOLUTION_TARGETS[priority]),
            ]
            if policy == 0:
                now.append(self.add(ticket_id, at, "pausable_update_time", "activate"))
                slas.append(("pausable_update_time", UPDATE_TARGET))
            for metric, target in slas:
                now.append(
                    self._apply(
                        rng,
                        ticket_id,
                        at,
                        metric=metric,
                        target=target,
                        policy=policy,
                        kind="apply_sla",
                    )
                )
        if group_id is not None and rng.random() < 0.3:
            now.append(self.add(ticket_id, at, "group_ownership_time", "activate"))
            now.append(
                self._apply(
                    rng,
                    ticket_id,
                    at,
                    metric="group_ownership_time",
                    target=GROUP_TARGET,
                    policy=0,
                    kind="apply_group_sla",
                )
            )
        return now

    def _apply(
        self,
        rng: random.Random,
        ticket_id: int,
        at: int,
        *,
        metric: str,
        target: int,
        policy: int,
        kind: str,
    ) -> int:
        """Apply an SLA target and schedule its breach (business hours stretch the wall time)."""
        business_hours = rng.random() < 0.4
        seq = self.add(
            ticket_id, at, metric, kind, first=target, policy=policy, business_hours=business_hours
        )
        due = at + target * (150 if business_hours else 60)
        breach = self.add(ticket_id, due, metric, "breach")
        self.open_breaches.setdefault(ticket_id, []).append(breach)
        return seq

    def fulfill(
        self, ticket_id: int, at: int, metrics: tuple[str, ...], *, created: int, cancel_after: int
    ) -> list[int]:
        """Fulfil metrics at ``at``, each with its ``update_status``; cancel their open breaches.

        A breach due after ``cancel_after`` is cancelled (served with ``deleted: true``); one due
        earlier has already happened and stays. Returns the seqs of the new events.
        """
        calendar = max(0, at - created) // 60
        new = []
        for metric in metrics:
            new.append(self.add(ticket_id, at, metric, "fulfill"))
            new.append(
                self.add(
                    ticket_id, at, metric, "update_status", first=calendar, second=calendar * 2 // 5
                )
            )
        breaches = self.open_breaches.get(ticket_id)
        if breaches:
            wanted = {_METRIC[m] for m in metrics}
            keep = []
            for seq in breaches:
                if self.codes[seq] & 7 not in wanted:
                    keep.append(seq)
                elif self.times[seq] > cancel_after:
                    self.codes[seq] |= _DELETED
            if keep:
                self.open_breaches[ticket_id] = keep
            else:
                del self.open_breaches[ticket_id]
        return new

    def solve(
        self, ticket_id: int, at: int, *, created: int, cancel_after: int, replied: bool
    ) -> list[int]:
        """Fulfil every clock a solve stops (periodic updates only run after a first reply)."""
        running = ("reply_time", "pausable_update_time", "group_ownership_time")
        metrics = (
            "agent_work_time",
            "requester_wait_time",
            "resolution_time",
            *(m for m in running if self.has_open_breach(ticket_id, m)),
            *(("periodic_update_time",) if replied else ()),
        )
        return self.fulfill(ticket_id, at, metrics, created=created, cancel_after=cancel_after)

    def has_open_breach(self, ticket_id: int, metric: str) -> bool:
        """Return whether ``metric`` of the ticket has a breach not fulfilled yet."""
        index = _METRIC[metric]
        return any(self.codes[s] & 7 == index for s in self.open_breaches.get(ticket_id, ()))

    def pause(self, ticket_id: int, at: int) -> list[int]:
        """Pause the requester-wait and agent-work clocks (pending or on-hold ticket)."""
        return [
            self.add(ticket_id, at, "agent_work_time", "pause"),
            self.add(ticket_id, at, "requester_wait_time", "pause"),
        ]

    def reopen(self, rng: random.Random, ticket_id: int, at: int) -> list[int]:
        """Start second instances of the clocks a solve stopped; a new resolution SLA applies.

        Returns the seqs of events at ``at`` (the new breach is scheduled later).
        """
        now = [
            self.add(ticket_id, at, metric, "activate", 2)
            for metric in ("agent_work_time", "requester_wait_time", "resolution_time")
        ]
        now.append(
            self._apply(
                rng,
                ticket_id,
                at,
                metric="resolution_time",
                target=RESOLUTION_TARGETS["normal"],
                policy=1,
                kind="apply_sla",
            )
        )
        return now
