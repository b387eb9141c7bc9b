"""The sandbox account: deterministic generated Zendesk data and a mutation API (no HTTP here).

Records are immutable once stored: a change replaces the whole dict (copy-on-write), so the
server can collect references under :attr:`SandboxAccount.lock` and serialise them afterwards
without seeing a half-applied change.
"""

from __future__ import annotations

import contextlib
import gc
import json
import random
import threading
import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tap_zendesk.sandbox import config_data, history, resources
from tap_zendesk.sandbox.factories import (
    DATA_END,
    DATA_START,
    SENTENCES,
    SUBJECTS,
    TAGS,
    Audit,
    Identity,
    IdSequences,
    Record,
    RecordFactory,
    epoch,
    iso,
    ticket_rating_summary,
)
from tap_zendesk.sandbox.metric_events import MetricEventLog

STREAMS = (
    "tickets",
    "users",
    "organizations",
    "groups",
    "ticket_metrics",
    "ticket_comments",
    "satisfaction_ratings",
    "group_memberships",
    "organization_memberships",
)
"""Stream names used by :meth:`SandboxAccount.expected` and :class:`ChangeSet`."""

EXPORT_STREAMS = (
    "ticket_audits",
    "ticket_field_history",
    "user_identities",
    "ticket_metric_events",
)
"""Streams fed by the exports (no table of their own); ``ticket_field_history`` keys are
``(event_id, field_name)`` pairs."""

FORBIDDABLE = (*STREAMS, "ticket_events", "ticket_metric_events", *resources.STREAMS)
"""Names accepted by :meth:`SandboxAccount.set_forbidden`."""

LIVE_STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
DAY = 86_400
MIN_GROUPS = 8
"""Fewest groups :meth:`SandboxAccount.generate` makes: 5 live ones for agents, 3 deleted."""


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause cyclic GC while building many acyclic objects.

    Each collection walks the whole (large) heap, so generation and big JSON round trips would
    otherwise spend most of their time in the collector.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Table:
    """Records of one kind by id, kept in id order and, for exports, in ``(ts, id)`` order."""

    def __init__(self, export_ts: Callable[[Record], int] | None = None) -> None:
        self.rows: dict[int, Record] = {}
        self.ids: list[int] = []
        self.export_keys: list[tuple[int, int]] = []
        self._export_ts = export_ts
        self._orders: dict[str, tuple[list[Any], list[int]]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def load(self, records: Iterable[Record]) -> None:
        """Bulk-insert records (generation); one sort instead of many inserts."""
        for record in records:
            self.rows[record["id"]] = record
        self.ids = sorted(self.rows)
        if self._export_ts is not None:
            ts = self._export_ts
            self.export_keys = sorted((ts(r), r["id"]) for r in self.rows.values())
        self._orders.clear()

    def put(self, record: Record) -> None:
        """Insert or replace a record, keeping both orders in sync."""
        record_id = record["id"]
        old = self.rows.get(record_id)
        if old is None:
            if not self.ids or record_id > self.ids[-1]:
                self.ids.append(record_id)
            else:
                insort(self.ids, record_id)
        if self._export_ts is not None:
            if old is not None:
                self._drop_key((self._export_ts(old), record_id))
            insort(self.export_keys, (self._export_ts(record), record_id))
        self.rows[record_id] = record
        self._orders.clear()

    def remove(self, record_id: int) -> Record:
        """Delete a record and its keys; returns it."""
        record = self.rows.pop(record_id)
        del self.ids[bisect_left(self.ids, record_id)]
        if self._export_ts is not None:
            self._drop_key((self._export_ts(record), record_id))
        self._orders.clear()
        return record

    def _drop_key(self, key: tuple[int, int]) -> None:
        index = bisect_left(self.export_keys, key)
        if index < len(self.export_keys) and self.export_keys[index] == key:
            del self.export_keys[index]

    def ordered(self, field_name: str | None) -> tuple[list[Any], list[int]]:
        """Return ``(sort keys, ids)`` in ``field_name`` order, ties by id (``None``: id order).

        Keys of other orders are ``(value, id)`` tuples, built lazily and cached until the next
        change; ISO timestamps sort correctly as strings and a missing value sorts first.
        """
        if field_name is None:
            return self.ids, self.ids
        cached = self._orders.get(field_name)
        if cached is None:
            keys = sorted((r.get(field_name) or "", r["id"]) for r in self.rows.values())
            cached = (keys, [k[1] for k in keys])
            self._orders[field_name] = cached
        return cached


@dataclass
class ChangeSet:
    """What one mutation batch did: the primary keys it created or changed, per stream."""

    stamp: int
    changed: dict[str, set[Any]] = field(
        default_factory=lambda: {s: set() for s in (*STREAMS, *EXPORT_STREAMS, *resources.STREAMS)}
    )
    deleted_tickets: set[int] = field(default_factory=set)

    def keys(self, stream: str) -> set[int]:
        """Return the primary keys of ``stream`` records created or changed by this batch."""
        if stream not in self.changed:
            msg = f"unknown stream {stream!r}; expected one of {', '.join(self.changed)}"
            raise ValueError(msg)
        return set(self.changed[stream])

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready summary (the admin endpoint's answer)."""
        return {
            "stamp": self.stamp,
            "keys": {stream: sorted(ids) for stream, ids in self.changed.items()},
            "deleted_tickets": sorted(self.deleted_tickets),
        }


@dataclass
class _Batch:
    """State of one mutation batch."""

    stamp: int
    factory: RecordFactory
    changes: ChangeSet


def _updated_epoch(record: Record) -> int:
    return epoch(record["updated_at"])


def _generated_timestamp(record: Record) -> int:
    return record["generated_timestamp"]


class SandboxAccount:
    """A Zendesk account's data: generated deterministically, mutable in realistic batches.

    The API reads these attributes while holding :attr:`lock`: ``tickets`` (export order
    ``(generated_timestamp, id)``), ``users`` and ``organizations`` (export order
    ``(updated_at, id)``) and the other tables in id order; ``comments`` per ticket id;
    ``audits`` with ``event_keys`` (``(timestamp, audit id)``, deleted tickets left out);
    ``archived`` ticket ids; ``forbidden`` stream names.
    """

    def __init__(self, seed: int = 1) -> None:
        """Create an empty account; use :meth:`generate` for one with data."""
        self.seed = seed
        self.lock = threading.RLock()
        self.ids = IdSequences()
        self.tickets = Table(_generated_timestamp)
        self.archived: set[int] = set()
        self.comments: dict[int, list[Record]] = {}
        self.metric_sets = Table()
        self.metric_set_of: dict[int, int] = {}
        self.audits: dict[int, Audit] = {}
        self.audits_of: dict[int, list[int]] = {}
        self.event_keys: list[tuple[int, int]] = []
        self.metric_events = MetricEventLog()
        self.identities: dict[int, tuple[Identity, ...]] = {}
        self.users = Table(_updated_epoch)
        self.organizations = Table(_updated_epoch)
        self.groups = Table()
        self.group_memberships = Table()
        self.organization_memberships = Table()
        self.satisfaction_ratings = Table()
        self.rating_of: dict[int, int] = {}
        self.admin_id = 0
        self.agent_ids: list[int] = []
        self.end_user_ids: list[int] = []
        self.forbidden: set[str] = set()
        self.config = config_data.ConfigData()
        self.last_stamp = DATA_END
        self.batches = 0

    # -- generation -----------------------------------------------------------------------

    @classmethod
    def generate(
        cls,
        tickets: int = 200,
        seed: int = 1,
        *,
        comments_per_ticket: int = 4,
        org_tie_group: int = 0,
        groups: int = 25,
    ) -> SandboxAccount:
        """Generate an account; the same arguments always give the same data.

        Args:
            tickets: Number of tickets (ids 1..tickets).
            seed: Random seed.
            comments_per_ticket: Average comments per ticket (at least 1: the description).
            org_tie_group: Extra organizations sharing one ``updated_at`` second.
            groups: Number of groups, the last 3 of them deleted (at least :data:`MIN_GROUPS`).

        Raises:
            ValueError: If ``groups`` is below :data:`MIN_GROUPS`.
        """
        if groups < MIN_GROUPS:
            msg = f"groups must be at least {MIN_GROUPS}, not {groups}"
            raise ValueError(msg)
        account = cls(seed)
        with _gc_paused():
            rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
            _Generator(account, rng, comments_per_ticket).run(tickets, org_tie_group, groups)
            config_data.generate(account)
        return account

    # -- reads ----------------------------------------------------------------------------

    def expected(self, stream: str, *, now: int | None = None) -> list[Record]:
        """Return the records a full sync of ``stream`` must emit, as the API returns them.

        ``tickets`` includes deleted and archived tickets (without ``metric_set``);
        ``ticket_metrics`` the metric set of every non-deleted ticket; ``ticket_comments`` every
        comment of every non-deleted ticket plus ``ticket_id``; ``groups`` includes deleted ones.
        For :data:`EXPORT_STREAMS` see :meth:`_expected_from_exports` (``now`` only matters to
        ``ticket_metric_events``).
        """
        with self.lock:
            if stream in EXPORT_STREAMS:
                records = self._expected_from_exports(stream, now)
            elif stream == "ticket_comments":
                records: list[Record] = [
                    {**comment, "ticket_id": ticket_id}
                    for ticket_id in self.tickets.ids
                    if self.tickets.rows[ticket_id]["status"] != "deleted"
                    for comment in self.comments.get(ticket_id, ())
                ]
            elif stream in STREAMS:
                table = self._table(stream)
                records = [table.rows[i] for i in table.ids]
            elif stream in resources.BY_STREAM:
                records = resources.BY_STREAM[stream].expected_records(self)
            else:
                msg = f"unknown stream {stream!r}; expected one of {', '.join(STREAMS)}"
                raise ValueError(msg)
        # A JSON round trip gives callers private copies shaped exactly like the API's output.
        with _gc_paused():
            return json.loads(json.dumps(records))

    def _expected_from_exports(self, stream: str, now: int | None) -> list[Record]:
        """Records of the export-fed streams, in export order.

        ``ticket_audits``: every ticket event as served with ``include=comment_events`` (deleted
        tickets' events left out, archived tickets' kept); ``ticket_field_history``: one row per
        attribute of each ``Create``/``Change`` child, from the change model; ``user_identities``:
        every identity of every user; ``ticket_metric_events``: every event with
        ``time <= now - 60`` (``now`` defaults to the wall clock), deleted tickets' included.
        """
        audits = self.audits
        if stream == "ticket_audits":
            return [audits[i].to_event(comment_events=True) for _, i in self.event_keys]
        if stream == "ticket_field_history":
            return [row for _, i in self.event_keys for row in history.history_rows(audits[i])]
        if stream == "user_identities":
            return self.identities_of(self.users.rows[i] for i in self.users.ids)
        log = self.metric_events
        visible_until = (int(time.time()) if now is None else now) - 60
        return [log.record(log[i][1]) for i in range(bisect_left(log, (visible_until + 1,)))]

    def identities_of(self, users: Iterable[Record]) -> list[Record]:
        """Return every identity of ``users`` (the users export's ``identities`` sideload)."""
        identities = self.identities
        return [i.to_record() for user in users for i in identities.get(user["id"], ())]

    def _table(self, stream: str) -> Table:
        return {
            "tickets": self.tickets,
            "users": self.users,
            "organizations": self.organizations,
            "groups": self.groups,
            "ticket_metrics": self.metric_sets,
            "satisfaction_ratings": self.satisfaction_ratings,
            "group_memberships": self.group_memberships,
            "organization_memberships": self.organization_memberships,
        }[stream]

    def metric_set_for(self, ticket_id: int) -> Record | None:
        """Return the ticket's metric set, or None (deleted tickets have none)."""
        metric_id = self.metric_set_of.get(ticket_id)
        return self.metric_sets.rows.get(metric_id) if metric_id is not None else None

    def is_live(self, ticket_id: int) -> bool:
        """Return whether a ticket exists and is not deleted."""
        ticket = self.tickets.rows.get(ticket_id)
        return ticket is not None and ticket["status"] != "deleted"

    def set_forbidden(self, stream: str, forbidden: bool = True) -> None:  # noqa: FBT001, FBT002
        """Make ``stream``'s endpoints answer 403, as on a plan without the feature."""
        if stream not in FORBIDDABLE:
            msg = f"unknown stream {stream!r}; expected one of {', '.join(FORBIDDABLE)}"
            raise ValueError(msg)
        with self.lock:
            if forbidden:
                self.forbidden.add(stream)
            else:
                self.forbidden.discard(stream)

    # -- mutation -------------------------------------------------------------------------

    def mutate(self, seed: int, fraction: float = 0.02, *, now: int | None = None) -> ChangeSet:
        """Apply a realistic batch of changes touching about ``fraction`` of the data.

        Updates, comments on, creates and deletes tickets; updates and creates users and
        organizations; updates, creates and deletes one group each; adds group and organization
        memberships; answers offered satisfaction ratings and creates new ones. Every changed
        record gets the same stamp: ``max(now - 90, previous stamp + 1)``.
        """
        with self.lock:
            batch = self._begin(seed, now)
            rng = batch.factory.rng
            live = self._live_ticket_ids()
            count = max(1, round(fraction * len(self.tickets)))
            picked = rng.sample(
                live, min(len(live), count + max(1, count // 2) + max(1, count // 10))
            )
            to_update = picked[:count]
            to_comment = picked[count : count + max(1, count // 2)]
            to_delete = picked[count + max(1, count // 2) :]
            for ticket_id, kinds in zip(to_update, _spread_kinds(len(to_update)), strict=True):
                self._update_ticket(batch, ticket_id, kinds)
            for ticket_id in to_comment:
                self._comment_on_ticket(batch, ticket_id)
            for _ in range(max(1, count // 4)):
                self._create_ticket(batch)
            for ticket_id in to_delete:
                self._delete_ticket(batch, ticket_id)
            self._mutate_people(batch, fraction)
            self._mutate_identities(batch, fraction)
            self._mutate_groups(batch, fraction)
            self._mutate_ratings(batch, fraction)
            changes = batch.changes
            # The users export sideloads every identity of each user it serves, so a changed
            # user brings all its identities (the changed ones carry the batch stamp).
            changes.changed["user_identities"] = {
                i.id for user_id in changes.changed["users"] for i in self.identities[user_id]
            }
            config_data.mutate(self, rng, batch.stamp, changes.changed)
            return changes

    def update_tickets(
        self, ids: Iterable[int], *, seed: int = 0, now: int | None = None
    ) -> ChangeSet:
        """Update the given live, non-archived tickets.

        Each gets a new status and assignee; the other change kinds
        (:data:`~tap_zendesk.sandbox.history.MUTABLE_KINDS`) are spread over them.
        """
        with self.lock:
            batch = self._begin(seed, now)
            ids = list(ids)
            for ticket_id, kinds in zip(ids, _spread_kinds(len(ids)), strict=True):
                self._check_mutable(ticket_id)
                self._update_ticket(batch, ticket_id, kinds)
            return batch.changes

    def create_tickets(self, n: int, *, seed: int = 0, now: int | None = None) -> ChangeSet:
        """Create ``n`` tickets, each with its creation audit, first comment and metric set."""
        with self.lock:
            batch = self._begin(seed, now)
            for _ in range(n):
                self._create_ticket(batch)
            return batch.changes

    def delete_tickets(self, ids: Iterable[int], *, now: int | None = None) -> ChangeSet:
        """Soft-delete tickets: status ``deleted``, metric set gone, comments endpoint 404."""
        with self.lock:
            batch = self._begin(0, now)
            for ticket_id in ids:
                self._check_mutable(ticket_id)
                self._delete_ticket(batch, ticket_id)
            return batch.changes

    def remove_memberships(self, stream: str, ids: Iterable[int]) -> None:
        """Remove group or organization memberships: they vanish from the lists, no tombstone."""
        tables = {
            "group_memberships": self.group_memberships,
            "organization_memberships": self.organization_memberships,
        }
        with self.lock:
            for record_id in ids:
                tables[stream].remove(record_id)

    def add_comments(
        self, ids: Iterable[int], *, seed: int = 0, now: int | None = None
    ) -> ChangeSet:
        """Add one agent comment (its own audit) to each given ticket."""
        with self.lock:
            batch = self._begin(seed, now)
            for ticket_id in ids:
                self._check_mutable(ticket_id)
                self._comment_on_ticket(batch, ticket_id)
            return batch.changes

    def _begin(self, seed: int, now: int | None) -> _Batch:
        current = int(time.time()) if now is None else now
        stamp = max(current - 90, self.last_stamp + 1)
        self.last_stamp = stamp
        self.batches += 1
        # A string seed is hashed with SHA-512, so batches are reproducible across runs.
        rng = random.Random(f"{self.seed}:{seed}:{self.batches}")  # noqa: S311 - test data, not cryptography
        return _Batch(stamp, RecordFactory(rng, self.ids), ChangeSet(stamp))

    def _check_mutable(self, ticket_id: int) -> None:
        if not self.is_live(ticket_id) or ticket_id in self.archived:
            msg = f"ticket {ticket_id} is unknown, deleted or archived"
            raise ValueError(msg)

    def _live_ticket_ids(self) -> list[int]:
        rows = self.tickets.rows
        return [
            i for i in self.tickets.ids if i not in self.archived and rows[i]["status"] != "deleted"
        ]

    def _add_audit(
        self, audit: Audit, *, indexed: bool = True, changes: ChangeSet | None = None
    ) -> None:
        self.audits[audit.id] = audit
        self.audits_of.setdefault(audit.ticket_id, []).append(audit.id)
        if indexed:
            insort(self.event_keys, (audit.timestamp, audit.id))
        if changes is not None:
            changes.changed["ticket_audits"].add(audit.id)
            changes.changed["ticket_field_history"].update(_history_keys(audit))

    def _store_ticket(
        self, bundle: _TicketBundle, metric_set: Record | None, changes: ChangeSet
    ) -> None:
        """Store a ticket created by a mutation (generation bulk-loads instead)."""
        ticket_id = bundle.ticket["id"]
        self.tickets.put(bundle.ticket)
        self.comments[ticket_id] = bundle.comments
        for audit in bundle.audits:
            self._add_audit(audit, changes=changes)
        if metric_set is not None:
            self.metric_sets.put(metric_set)
            self.metric_set_of[ticket_id] = metric_set["id"]

    def _touch_ticket(
        self, batch: _Batch, ticket_id: int, metric_changes: Record, **changes: Any
    ) -> None:
        """Replace a ticket with ``changes`` applied; bump it and its metric set to the stamp."""
        stamp = batch.stamp
        old = self.tickets.rows[ticket_id]
        self.tickets.put({**old, **changes, "updated_at": iso(stamp), "generated_timestamp": stamp})
        batch.changes.changed["tickets"].add(ticket_id)
        metric_set = self.metric_set_for(ticket_id)
        if metric_set is not None:
            self.metric_sets.put({**metric_set, **metric_changes, "updated_at": iso(stamp)})
            batch.changes.changed["ticket_metrics"].add(metric_set["id"])

    def _update_ticket(self, batch: _Batch, ticket_id: int, kinds: tuple[str, ...]) -> None:
        """Change status and assignee plus one field per kind, as one audit; add metric events."""
        factory = batch.factory
        rng = factory.rng
        old = self.tickets.rows[ticket_id]
        status = rng.choice(
            [s for s in ("open", "pending", "hold", "solved") if s != old["status"]]
        )
        state = history.ticket_state(old)
        update = {**history.status_update(status), "assignee_id": rng.choice(self.agent_ids)}
        choices = {
            "group_id": [g for g in self.groups.ids if not self.groups.rows[g]["deleted"]],
            "organization_id": [
                o
                for o in self.organizations.ids
                if self.organizations.rows[o]["deleted_at"] is None
            ],
            "subject": [f"{subject} (update {batch.stamp})" for subject in SUBJECTS],
        }
        new_fields = factory.ticket_custom_fields()
        for kind in kinds:
            update.update(
                history.kind_update(rng, kind, state, choices=choices, new_fields=new_fields)
            )
        metric_set = self.metric_set_for(ticket_id) or {}
        stamp_iso = iso(batch.stamp)
        metric_changes: Record = {
            "assignee_stations": metric_set.get("assignee_stations", 0) + 1,
            "assignee_updated_at": stamp_iso,
            "status_updated_at": stamp_iso,
            "custom_status_updated_at": stamp_iso,
        }
        if status == "solved":
            metric_changes["solved_at"] = stamp_iso
        if old["status"] in ("solved", "closed"):
            metric_changes["reopens"] = metric_set.get("reopens", 0) + 1
        audit_id = self.ids.take("events")
        children: list[Any] = list(history.apply(state, update, self._event_ids()))
        if rng.random() < 0.5:
            children.append(self._notification(old["requester_id"], "Your request was updated"))
        via = factory.via("web")
        self._add_audit(
            Audit(
                audit_id,
                ticket_id,
                batch.stamp,
                update["assignee_id"],
                via,
                factory.metadata(),
                children,
            ),
            changes=batch.changes,
        )
        self._touch_ticket(batch, ticket_id, metric_changes, **_ticket_values(old, state))
        self._track_metric_events(batch, ticket_id, old["status"], status)

    def _track_metric_events(self, batch: _Batch, ticket_id: int, old: str, new: str) -> None:
        """Record the metric events of a status change at the batch stamp."""
        log = self.metric_events
        stamp = batch.stamp
        created = epoch(self.tickets.rows[ticket_id]["created_at"])
        if new == "solved":
            # stamp + 90 >= now: breaches due later were never visible, so the solve cancels them.
            replied = (self.metric_set_for(ticket_id) or {}).get("replies", 0) > 0
            seqs = log.solve(
                ticket_id, stamp, created=created, cancel_after=stamp + 90, replied=replied
            )
        elif new in ("pending", "hold"):
            seqs = log.pause(ticket_id, stamp)
        elif old in ("solved", "closed"):
            seqs = log.reopen(batch.factory.rng, ticket_id, stamp)
        else:
            # Back from pending or on-hold: the paused clocks run again.
            seqs = [
                log.add(ticket_id, stamp, m, "activate")
                for m in ("agent_work_time", "requester_wait_time")
            ]
        batch.changes.changed["ticket_metric_events"].update(log.ids_of(seqs))

    def _event_ids(self) -> Iterator[int]:
        """Ids of the ``events`` sequence, taken one by one as a change needs one."""
        return iter(lambda: self.ids.take("events"), None)

    def _notification(self, recipient: int, subject: str) -> tuple[Any, ...]:
        """A ``Notification`` child: the requester is told about the update by email."""
        fields = {
            "subject": subject,
            "body": "{{ticket.comments_formatted}}",
            "recipients": [recipient],
        }
        return ("Notification", self.ids.take("events"), fields)

    def _comment_on_ticket(self, batch: _Batch, ticket_id: int) -> None:
        factory = batch.factory
        ticket = self.tickets.rows[ticket_id]
        author_id = ticket["assignee_id"] or factory.rng.choice(self.agent_ids)
        via = factory.via("web")
        audit_id = self.ids.take("events")
        comment = factory.comment(
            audit_id=audit_id,
            author=self.users.rows[author_id],
            created=batch.stamp,
            public=True,
            via=via,
        )
        # Replace the list rather than append: readers may hold the old one outside the lock.
        self.comments[ticket_id] = [*self.comments.get(ticket_id, ()), comment]
        children: list[Any] = [("Comment", comment)]
        if factory.rng.random() < 0.3:
            children.append(self._cc(factory.rng))
        self._add_audit(
            Audit(audit_id, ticket_id, batch.stamp, author_id, via, comment["metadata"], children),
            changes=batch.changes,
        )
        batch.changes.changed["ticket_comments"].add(comment["id"])
        log = self.metric_events
        # The first reply fulfils reply_time (cancelling its breach ahead); later ones are updates.
        metric = "reply_time" if log.has_open_breach(ticket_id, "reply_time") else None
        seqs = log.fulfill(
            ticket_id,
            batch.stamp,
            (metric or "periodic_update_time",),
            created=epoch(ticket["created_at"]),
            cancel_after=batch.stamp + 90,
        )
        batch.changes.changed["ticket_metric_events"].update(log.ids_of(seqs))
        metric_set = self.metric_set_for(ticket_id) or {}
        metric_changes = {
            "replies": metric_set.get("replies", 0) + 1,
            "latest_comment_added_at": iso(batch.stamp),
        }
        self._touch_ticket(batch, ticket_id, metric_changes)

    def _create_ticket(self, batch: _Batch) -> None:
        factory = batch.factory
        status = factory.rng.choice(("new", "open"))
        bundle = self._build_ticket(
            factory, created=batch.stamp, end=batch.stamp, status=status, n_comments=1
        )
        metric_set = factory.metric_set(
            bundle.ticket, comment_times=bundle.comment_times, solved_at=None, replies=0
        )
        changed = batch.changes.changed
        self._store_ticket(bundle, metric_set, batch.changes)
        changed["tickets"].add(bundle.ticket["id"])
        changed["ticket_metrics"].add(metric_set["id"])
        changed["ticket_comments"].update(c["id"] for c in bundle.comments)
        # Breaches scheduled ahead are not in the export yet: only events at the stamp count.
        changed["ticket_metric_events"].update(self.metric_events.ids_of(bundle.metric_events))

    def _delete_ticket(self, batch: _Batch, ticket_id: int) -> None:
        old = self.tickets.rows[ticket_id]
        # A deleted ticket's updated_at is its deletion time (supplement §7.2, observed).
        self.tickets.put(
            {
                **old,
                "status": "deleted",
                "updated_at": iso(batch.stamp),
                "generated_timestamp": batch.stamp,
            }
        )
        changed = batch.changes.changed
        changed["tickets"].add(ticket_id)
        changed["deleted_tickets"].add(ticket_id)  # it enters /deleted_tickets
        batch.changes.deleted_tickets.add(ticket_id)
        metric_id = self.metric_set_of.pop(ticket_id, None)
        if metric_id is not None:
            self.metric_sets.remove(metric_id)
            changed["ticket_metrics"].discard(metric_id)
        changed["ticket_comments"].difference_update(
            c["id"] for c in self.comments.get(ticket_id, ())
        )
        for audit_id in self.audits_of.get(ticket_id, ()):
            changed["ticket_audits"].discard(audit_id)
            changed["ticket_field_history"].difference_update(_history_keys(self.audits[audit_id]))
        # A deleted ticket's history leaves the ticket-events export, as its comments leave the
        # comments endpoint, so both ways of reading comments agree.
        for audit_id in self.audits_of.get(ticket_id, ()):
            key = (self.audits[audit_id].timestamp, audit_id)
            index = bisect_left(self.event_keys, key)
            if index < len(self.event_keys) and self.event_keys[index] == key:
                del self.event_keys[index]

    def _mutate_people(self, batch: _Batch, fraction: float) -> None:
        factory = batch.factory
        rng = factory.rng
        stamp = batch.stamp
        changed = batch.changes.changed
        live_orgs = [
            i for i in self.organizations.ids if self.organizations.rows[i]["deleted_at"] is None
        ]

        count = max(1, round(fraction * len(self.users)))
        for user_id in rng.sample(self.end_user_ids, min(count, len(self.end_user_ids))):
            old = self.users.rows[user_id]
            fields = {
                **old["user_fields"],
                "lifetime_orders": old["user_fields"]["lifetime_orders"] + 1,
            }
            self.users.put(
                {
                    **old,
                    "name": factory.person_name(),
                    "tags": sorted({*old["tags"], rng.choice(TAGS)}),
                    "user_fields": fields,
                    "updated_at": iso(stamp),
                }
            )
            changed["users"].add(user_id)
        for _ in range(max(1, count // 4)):
            organization = self.organizations.rows[rng.choice(live_orgs)]
            user = factory.user(stamp, stamp, role="end-user", organization_id=organization["id"])
            self.users.put(user)
            self.end_user_ids.append(user["id"])
            changed["users"].add(user["id"])
            self.identities[user["id"]] = factory.identities(user)
            membership = factory.organization_membership(user, organization, stamp, default=True)
            self.organization_memberships.put(membership)
            changed["organization_memberships"].add(membership["id"])

        count = max(1, round(fraction * len(self.organizations)))
        for org_id in rng.sample(live_orgs, min(count, len(live_orgs))):
            old = self.organizations.rows[org_id]
            fields = {
                **old["organization_fields"],
                "seats": old["organization_fields"]["seats"] + 1,
            }
            self.organizations.put(
                {
                    **old,
                    "notes": rng.choice(SENTENCES),
                    "tags": sorted({*old["tags"], rng.choice(TAGS)}),
                    "organization_fields": fields,
                    "updated_at": iso(stamp),
                }
            )
            changed["organizations"].add(org_id)
        live_groups = [g for g in self.groups.ids if not self.groups.rows[g]["deleted"]]
        for _ in range(max(1, count // 4)):
            organization = factory.organization(stamp, stamp, live_groups)
            self.organizations.put(organization)
            changed["organizations"].add(organization["id"])

        memberships = self.organization_memberships
        pairs = {(m["user_id"], m["organization_id"]) for m in memberships.rows.values()}
        for _ in range(max(1, round(fraction * len(memberships)))):
            user = self.users.rows[rng.choice(self.end_user_ids)]
            organization = self.organizations.rows[rng.choice(live_orgs)]
            if user["organization_id"] is None or (user["id"], organization["id"]) in pairs:
                continue
            pairs.add((user["id"], organization["id"]))
            membership = factory.organization_membership(user, organization, stamp, default=False)
            memberships.put(membership)
            changed["organization_memberships"].add(membership["id"])

    def _mutate_identities(self, batch: _Batch, fraction: float) -> None:
        """Change identities of some end users, each change bumping its user's ``updated_at``.

        In turn: an email identity gets verified or its address changes (the user's ``email``
        follows), a phone identity is added or, when there is one, removed.
        """
        factory = batch.factory
        rng = factory.rng
        stamp = batch.stamp
        changed = batch.changes.changed
        count = max(3, round(fraction * len(self.users) / 2))
        users = rng.sample(self.end_user_ids, min(count, len(self.end_user_ids)))
        for turn, user_id in enumerate(users):
            user = self.users.rows[user_id]
            identities = list(self.identities.get(user_id, ()))
            email = identities[0]
            if turn % 3 == 0:
                identities[0] = email._replace(verified=True, updated=stamp)
            elif turn % 3 == 1:
                address = f"{user['email'].split('@')[0]}.{stamp}@example.net"
                identities[0] = email._replace(value=address, updated=stamp)
                user = {**user, "email": address}
            else:
                phones = [i for i in identities if i.type == "phone_number"]
                if phones:
                    identities.remove(phones[0])
                else:
                    phone = f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
                    identity_id = self.ids.take("identities")
                    kind, primary, verified = "phone_number", False, False
                    identities.append(
                        Identity(identity_id, user_id, kind, phone, primary, verified, stamp, stamp)
                    )
            self.identities[user_id] = tuple(identities)
            self.users.put({**user, "updated_at": iso(stamp)})
            changed["users"].add(user_id)

    def _mutate_groups(self, batch: _Batch, fraction: float) -> None:
        factory = batch.factory
        rng = factory.rng
        stamp = batch.stamp
        changed = batch.changes.changed
        rows = self.groups.rows
        live = [g for g in self.groups.ids if not rows[g]["deleted"]]
        updated = rng.choice(live)
        rows_updated = {
            **rows[updated],
            "description": f"{rng.choice(SENTENCES)}",
            "updated_at": iso(stamp),
        }
        self.groups.put(rows_updated)
        created = factory.group(len(self.groups) + 1, stamp, stamp)
        self.groups.put(created)
        victims = [g for g in live if g != updated and not rows[g]["default"]]
        victim = rng.choice(victims)
        self.groups.put({**rows[victim], "deleted": True, "updated_at": iso(stamp)})
        changed["groups"].update((updated, created["id"], victim))

        targets = [g for g in live if g != victim] + [created["id"]]
        memberships = self.group_memberships
        pairs = {(m["user_id"], m["group_id"]) for m in memberships.rows.values()}
        for _ in range(max(1, round(fraction * len(memberships)))):
            pair = (rng.choice(self.agent_ids), rng.choice(targets))
            if pair in pairs:
                continue
            pairs.add(pair)
            membership = factory.group_membership(*pair, stamp, stamp, default=False)
            memberships.put(membership)
            changed["group_memberships"].add(membership["id"])

    def _mutate_ratings(self, batch: _Batch, fraction: float) -> None:
        factory = batch.factory
        rng = factory.rng
        ratings = self.satisfaction_ratings
        count = max(1, round(fraction * len(ratings)))
        mutable = set(self._live_ticket_ids())
        offered = [
            r
            for r in ratings.ids
            if ratings.rows[r]["score"] == "offered" and ratings.rows[r]["ticket_id"] in mutable
        ]
        for rating_id in rng.sample(offered, min(count, len(offered))):
            answer = factory.rating_answer(rng.choice(("good", "bad")))
            self._rate_ticket(
                batch, {**ratings.rows[rating_id], **answer, "updated_at": iso(batch.stamp)}
            )
        unrated = [
            t
            for t in sorted(mutable)
            if t not in self.rating_of and self.tickets.rows[t]["status"] == "solved"
        ]
        for ticket_id in rng.sample(unrated, min(max(1, count // 2), len(unrated))):
            score = rng.choice(("offered", "good", "bad"))
            self._rate_ticket(
                batch,
                factory.satisfaction_rating(
                    self.tickets.rows[ticket_id], batch.stamp, batch.stamp, score
                ),
            )

    def _rate_ticket(self, batch: _Batch, rating: Record) -> None:
        """Store a rating and record it on its ticket (a SatisfactionRating audit)."""
        self.satisfaction_ratings.put(rating)
        self.rating_of[rating["ticket_id"]] = rating["id"]
        batch.changes.changed["satisfaction_ratings"].add(rating["id"])
        ticket_id = rating["ticket_id"]
        fields = {
            "score": rating["score"],
            "assignee_id": rating["assignee_id"],
            "body": rating["comment"] or "",
        }
        children: list[tuple[Any, ...]] = [("SatisfactionRating", self.ids.take("events"), fields)]
        audit = Audit(
            self.ids.take("events"),
            ticket_id,
            batch.stamp,
            rating["requester_id"],
            batch.factory.via("web"),
            batch.factory.metadata(),
            children,
        )
        self._add_audit(audit, changes=batch.changes)
        self._touch_ticket(batch, ticket_id, {}, satisfaction_rating=ticket_rating_summary(rating))

    # -- ticket construction, shared by generation and mutation ----------------------------

    def _build_ticket(
        self,
        factory: RecordFactory,
        *,
        created: int,
        end: int,
        status: str,
        n_comments: int,
    ) -> _TicketBundle:
        """Build a ticket with its comments and audits on a timeline from ``created`` to ``end``.

        The ticket is created in an earlier state (new, unassigned, some fields different) and
        its later audits change it into the final record, so replaying its history gives the
        ticket's values; its metric events follow the same timeline.
        """
        rng = factory.rng
        ids = self.ids
        ticket_id = ids.take("tickets")
        requester = self.users.rows[rng.choice(self.end_user_ids)]
        agent = None if status == "new" else self.users.rows[rng.choice(self.agent_ids)]
        channel = rng.choice(CHANNELS)
        via = factory.via(channel, requester)

        times = [created]
        for t in sorted(factory.between(created + 1, end) for _ in range(n_comments - 1)):
            times.append(max(t, times[-1] + 1))
        status_time = solved_at = None
        if status in ("solved", "closed"):
            # A closed ticket was solved first, so it needs two seconds after its last comment.
            status_time = max(factory.between(times[-1] + 1, end), times[-1] + 2)
            solved_at = status_time
            if status == "closed":
                solved_at = factory.between(times[-1] + 1, status_time - 1)
        updated = status_time or times[-1]

        audit_id = ids.take("events")
        first = factory.comment(
            audit_id=audit_id, author=requester, created=created, public=True, via=via
        )
        subject = factory.subject()
        ticket = factory.ticket(
            ticket_id,
            created=created,
            updated=updated,
            status=status,
            requester=requester,
            submitter=requester,
            assignee=agent,
            group_id=agent["default_group_id"] if agent else None,
            via=via,
            description=first["body"],
            subject=subject,
        )
        final = history.ticket_state(ticket)
        state = history.initial_state(rng, final) if updated > created else dict(final)
        creation: list[Any] = [history.create_set(ids, state), ("Comment", first)]
        if rng.random() < 0.5:
            creation.append(self._notification(requester["id"], "Request received"))
        audits = [
            Audit(audit_id, ticket_id, created, requester["id"], via, first["metadata"], creation)
        ]
        comments = [first]
        replies = 0
        first_reply = None
        for t in times[1:]:
            by_agent = agent is not None and rng.random() < 0.6
            author = agent if by_agent and agent is not None else requester
            comment_audit = ids.take("events")
            if by_agent and agent is not None and rng.random() < 0.05:
                # A phone call logged by the agent.
                comment = factory.voice_comment(
                    audit_id=comment_audit, agent=agent, caller=requester, created=t
                )
            else:
                comment = factory.comment(
                    audit_id=comment_audit,
                    author=author,
                    created=t,
                    public=not by_agent or rng.random() < 0.85,
                    via=factory.via("web") if by_agent else via,
                )
            comments.append(comment)
            if by_agent and comment["public"]:
                replies += 1
                first_reply = first_reply or t
            audits.append(
                Audit(
                    comment_audit,
                    ticket_id,
                    t,
                    author["id"],
                    comment["via"],
                    comment["metadata"],
                    [("Comment", comment)],
                )
            )
        if updated > created:
            steps = history.planned_steps(
                rng, final, created=created, solved_at=solved_at, updated=updated
            )
            audits += self._change_audits(factory, ticket_id, state, steps, agent)
        metric_events = self._ticket_metric_events(
            rng, ticket, first_reply=first_reply, solved_at=solved_at
        )
        return _TicketBundle(ticket, comments, audits, times, solved_at, replies, metric_events)

    def _change_audits(
        self,
        factory: RecordFactory,
        ticket_id: int,
        state: history.State,
        steps: list[history.Step],
        agent: Record | None,
    ) -> list[Audit]:
        """Apply planned steps to ``state``, one audit each (by the agent, or an automation)."""
        rng = factory.rng
        audits = []
        for step in steps:
            audit_id = self.ids.take("events")
            children: list[Any] = list(history.apply(state, step.update, self._event_ids()))
            if step.by_system:
                by, via = None, factory.via("rule")
            else:
                by = agent["id"] if agent else rng.choice(self.agent_ids)
                via = factory.via("web")
                if rng.random() < 0.1:
                    children.append(self._cc(rng))
            metadata = factory.metadata()
            audit = Audit(audit_id, ticket_id, step.at, by, via, metadata, children)
            if not step.by_system and ticket_id > 1 and rng.random() < 0.02:
                # A duplicate request merged into this ticket while it was worked on.
                audit.merged_ticket_ids = [rng.randrange(1, ticket_id)]
            audits.append(audit)
        return audits

    def _cc(self, rng: random.Random) -> tuple[Any, ...]:
        """A ``Cc`` child: an agent copied in on the update."""
        return ("Cc", self.ids.take("events"), {"recipients": [rng.choice(self.agent_ids)]})

    def _ticket_metric_events(
        self,
        rng: random.Random,
        ticket: Record,
        *,
        first_reply: int | None,
        solved_at: int | None,
    ) -> list[int]:
        """Record a ticket's metric events over its timeline; return the seqs at creation."""
        log = self.metric_events
        ticket_id = ticket["id"]
        created = epoch(ticket["created_at"])
        priority, group_id = ticket["priority"], ticket["group_id"]
        at_creation = log.open_ticket(rng, ticket_id, created, priority, group_id)
        if first_reply is not None:
            reply = ("reply_time",)
            log.fulfill(ticket_id, first_reply, reply, created=created, cancel_after=first_reply)
            # From the first reply on, the ticket expects periodic updates until solved.
            log.add(ticket_id, first_reply, "periodic_update_time", "activate")
        if ticket["status"] in ("pending", "hold"):
            log.pause(ticket_id, epoch(ticket["updated_at"]))
        if solved_at is not None:
            replied = first_reply is not None
            log.solve(
                ticket_id, solved_at, created=created, cancel_after=solved_at, replied=replied
            )
        return at_creation


def _spread_kinds(count: int) -> list[tuple[str, ...]]:
    """Share the change kinds among ``count`` updates so that together they make every kind."""
    kinds = history.MUTABLE_KINDS
    per = max(1, -(-len(kinds) // max(count, 1)))
    return [tuple(kinds[(n * per + k) % len(kinds)] for k in range(per)) for n in range(count)]


def _history_keys(audit: Audit) -> set[tuple[int, str]]:
    """The ``ticket_field_history`` primary keys ``(event_id, field_name)`` of an audit."""
    return {(change.id, str(change.field)) for change in audit.field_changes()}


def _ticket_values(old: Record, state: history.State) -> Record:
    """Return the ticket record's values for ``state`` (custom fields back into their list)."""
    values: Record = {name: state[name] for name in history.ATTRIBUTES}
    if state["subject"] != old["subject"]:
        values["raw_subject"] = state["subject"]
    custom = [
        entry
        if entry["value"] == state[entry["id"]]
        else {"id": entry["id"], "value": state[entry["id"]]}
        for entry in old["custom_fields"]
    ]
    # One list under both names, as generated tickets have it.
    values["custom_fields"] = values["fields"] = custom
    return values


CHANNELS = ("web", "email", "email", "api", "mobile", "web_widget")


@dataclass
class _TicketBundle:
    """A new ticket and everything created with it."""

    ticket: Record
    comments: list[Record]
    audits: list[Audit]
    comment_times: list[int]
    solved_at: int | None
    replies: int
    metric_events: list[int]
    """Seqs of the metric events at creation (those a mutation reports)."""


class _Generator:
    """Fills an empty account with deterministic data (one random stream, fixed order)."""

    def __init__(
        self, account: SandboxAccount, rng: random.Random, comments_per_ticket: int
    ) -> None:
        self.account = account
        self.rng = rng
        self.factory = RecordFactory(rng, account.ids)
        self.comments_per_ticket = max(1, comments_per_ticket)
        self.live_groups: list[int] = []

    def run(self, tickets: int, org_tie_group: int, groups: int) -> None:
        """Generate groups, organizations, users with memberships, then tickets."""
        self._groups(groups)
        self._organizations(max(5, tickets // 10), org_tie_group)
        self._users(max(20, tickets // 2))
        self._tickets(tickets)

    def _groups(self, count: int) -> None:
        f = self.factory
        records = []
        for number in range(1, count + 1):
            created = f.between(DATA_START, DATA_START + 30 * DAY)
            records.append(
                f.group(number, created, f.between(created, DATA_END), deleted=number > count - 3)
            )
        self.account.groups.load(records)
        self.live_groups = [g["id"] for g in records if not g["deleted"]]

    def _organizations(self, count: int, tie_group: int) -> None:
        f = self.factory
        records = []
        for _ in range(count):
            created = f.between(DATA_START, DATA_END - 30 * DAY)
            organization = f.organization(created, f.between(created, DATA_END), self.live_groups)
            if self.rng.random() < 0.02:
                organization["deleted_at"] = organization["updated_at"]
            records.append(organization)
        # Many organizations updated in the same second, e.g. by a bulk import.
        tie_ts = DATA_START + (DATA_END - DATA_START) // 2
        records.extend(
            f.organization(f.between(DATA_START, tie_ts), tie_ts, self.live_groups)
            for _ in range(tie_group)
        )
        self.account.organizations.load(records)

    def _users(self, count: int) -> None:
        account, f, rng = self.account, self.factory, self.rng
        organizations = [account.organizations.rows[i] for i in account.organizations.ids]
        users: list[Record] = []
        group_memberships: list[Record] = []
        org_memberships: list[Record] = []
        n_agents = max(5, count // 20)
        for number in range(count):
            staff = number < n_agents
            created = (
                f.between(DATA_START, DATA_START + 60 * DAY)
                if staff
                else f.between(DATA_START, DATA_END - 60 * DAY)
            )
            updated = f.between(created, DATA_END)
            if staff:
                groups = rng.sample(self.live_groups, rng.randint(1, 5))
                role = "admin" if number == 0 or rng.random() < 0.1 else "agent"
                user = f.user(
                    created,
                    updated,
                    role=role,
                    organization_id=None,
                    default_group_id=groups[0],
                    email="sandbox@example.com" if number == 0 else None,
                )
                if number == 0:
                    user["name"] = "Sandbox Admin"
                for position, group_id in enumerate(groups):
                    joined = f.between(created, DATA_END - DAY)
                    left_out = rng.random() < 0.02  # real memberships without updated_at exist
                    group_memberships.append(
                        f.group_membership(
                            user["id"],
                            group_id,
                            joined,
                            None if left_out else f.between(joined, DATA_END),
                            default=position == 0,
                        )
                    )
                account.agent_ids.append(user["id"])
            else:
                organization = rng.choice(organizations) if rng.random() < 0.7 else None
                user = f.user(
                    created,
                    updated,
                    role="end-user",
                    organization_id=organization["id"] if organization else None,
                    active=rng.random() >= 0.03,
                )
                if organization is not None:
                    joined = f.between(created, DATA_END)
                    org_memberships.append(
                        f.organization_membership(user, organization, joined, default=True)
                    )
                    if rng.random() < 0.05:
                        other = rng.choice(organizations)
                        if other is not organization:
                            org_memberships.append(
                                f.organization_membership(user, other, joined, default=False)
                            )
                account.end_user_ids.append(user["id"])
            users.append(user)
        account.admin_id = users[0]["id"]
        for user in users:
            account.identities[user["id"]] = f.identities(user)
        account.users.load(users)
        account.group_memberships.load(group_memberships)
        account.organization_memberships.load(org_memberships)

    def _tickets(self, count: int) -> None:
        account = self.account
        tickets: list[Record] = []
        metric_sets: list[Record] = []
        ratings: list[Record] = []
        problems: list[Record] = []
        account.metric_events.bulk = True
        for _ in range(count):
            ticket, metric_set, rating = self._ticket(problems)
            tickets.append(ticket)
            if metric_set is not None:
                metric_sets.append(metric_set)
                account.metric_set_of[ticket["id"]] = metric_set["id"]
            if rating is not None:
                ratings.append(rating)
                account.rating_of[ticket["id"]] = rating["id"]
        account.metric_events.finish_bulk()
        self._bulk_update(tickets)
        account.tickets.load(tickets)
        account.metric_sets.load(metric_sets)
        account.satisfaction_ratings.load(ratings)
        account.event_keys = sorted(
            (audit.timestamp, audit.id)
            for audit in account.audits.values()
            if account.tickets.rows[audit.ticket_id]["status"] != "deleted"
        )

    def _ticket(self, problems: list[Record]) -> tuple[Record, Record | None, Record | None]:
        """Generate one ticket with comments and audits; return it, its metric set and rating."""
        account, f, rng = self.account, self.factory, self.rng
        archived = rng.random() < 0.2
        if archived:
            # Closed long ago: Zendesk archives closed tickets ~120 days after closing.
            created = f.between(DATA_START, DATA_START + (DATA_END - DATA_START) * 6 // 10)
            status = "closed"
            end = created + 20 * DAY
        else:
            created = f.between(DATA_START, DATA_END - 2 * DAY)
            status = rng.choices(LIVE_STATUSES, weights=(5, 25, 12, 5, 28, 8))[0]
            end = min(created + rng.randint(1, 30) * DAY, DATA_END - 3600)
        n_comments = 1 + rng.randrange(2 * self.comments_per_ticket - 1)
        bundle = account._build_ticket(
            f, created=created, end=end, status=status, n_comments=n_comments
        )
        ticket = bundle.ticket
        account.comments[ticket["id"]] = bundle.comments
        for audit in bundle.audits:
            account._add_audit(audit, indexed=False)
        if archived:
            account.archived.add(ticket["id"])
        if ticket["type"] == "problem":
            problems.append(ticket)
        elif ticket["type"] == "incident" and problems and rng.random() < 0.5:
            problem = rng.choice(problems)
            ticket["problem_id"] = problem["id"]
            problem["has_incidents"] = True
        generated = ticket["generated_timestamp"]
        if not archived and rng.random() < 0.1:
            # A system-only update (e.g. SLA recalculation) moves only generated_timestamp.
            generated = ticket["generated_timestamp"] = f.between(
                generated + 60, min(generated + 3 * DAY, DATA_END)
            )
        if not archived and rng.random() < 0.025:
            ticket["status"] = "deleted"
            ticket["generated_timestamp"] = f.between(
                generated + 60, min(generated + 30 * DAY, DATA_END)
            )
            # Deletion is the ticket's last update (supplement §7.2).
            ticket["updated_at"] = iso(ticket["generated_timestamp"])
            return ticket, None, None
        metric_set = f.metric_set(
            ticket,
            comment_times=bundle.comment_times,
            solved_at=bundle.solved_at,
            replies=bundle.replies,
        )
        rating = None
        if bundle.solved_at is not None and rng.random() < 0.3:
            score = rng.choices(("offered", "good", "bad"), weights=(3, 5, 2))[0]
            rating = f.satisfaction_rating(ticket, bundle.solved_at, bundle.solved_at, score)
            ticket["satisfaction_rating"] = ticket_rating_summary(rating)
        return ticket, metric_set, rating

    def _bulk_update(self, tickets: list[Record]) -> None:
        """Give a few hundred tickets one ``generated_timestamp`` (a bulk update).

        The group is placed so that it straddles a 1000-ticket page boundary of the cursor
        export (for 2,000+ tickets), or the middle of smaller accounts.
        """
        if not tickets:
            return
        account = self.account
        size = min(300, max(2, len(tickets) // 16))
        order = sorted((t["generated_timestamp"], t["id"]) for t in tickets)
        boundary = 1000 * (len(tickets) // 2000) if len(tickets) >= 2000 else len(tickets) // 2
        bulk_ts = order[min(len(order) - 1, boundary + size // 2)][0]
        eligible = [
            t
            for t in tickets
            if t["generated_timestamp"] < bulk_ts
            and t["id"] not in account.archived
            and t["status"] != "deleted"
        ]
        for ticket in self.rng.sample(eligible, min(size, len(eligible))):
            ticket["generated_timestamp"] = bulk_ts
