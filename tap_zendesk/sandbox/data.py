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

from tap_zendesk.sandbox import config_data, resources
from tap_zendesk.sandbox.factories import (
    CUSTOM_STATUS_IDS,
    DATA_END,
    DATA_START,
    SENTENCES,
    SUBJECTS,
    TAGS,
    Audit,
    IdSequences,
    Record,
    RecordFactory,
    epoch,
    iso,
    ticket_rating_summary,
)

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

FORBIDDABLE = (*STREAMS, "ticket_events", *resources.STREAMS)
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
        default_factory=lambda: {s: set() for s in (*STREAMS, *resources.STREAMS)}
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

    def expected(self, stream: str) -> list[Record]:
        """Return the records a full sync of ``stream`` must emit, as the API returns them.

        ``tickets`` includes deleted and archived tickets (without ``metric_set``);
        ``ticket_metrics`` the metric set of every non-deleted ticket; ``ticket_comments`` every
        comment of every non-deleted ticket plus ``ticket_id``; ``groups`` includes deleted ones.
        """
        with self.lock:
            if stream == "ticket_comments":
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
            for ticket_id in to_update:
                self._update_ticket(batch, ticket_id)
            for ticket_id in to_comment:
                self._comment_on_ticket(batch, ticket_id)
            for _ in range(max(1, count // 4)):
                self._create_ticket(batch)
            for ticket_id in to_delete:
                self._delete_ticket(batch, ticket_id)
            self._mutate_people(batch, fraction)
            self._mutate_groups(batch, fraction)
            self._mutate_ratings(batch, fraction)
            changes = batch.changes
            config_data.mutate(self, rng, batch.stamp, changes.changed, changes.deleted_tickets)
            return changes

    def update_tickets(
        self, ids: Iterable[int], *, seed: int = 0, now: int | None = None
    ) -> ChangeSet:
        """Update the given live, non-archived tickets (subject, status, assignee, tags)."""
        with self.lock:
            batch = self._begin(seed, now)
            for ticket_id in ids:
                self._check_mutable(ticket_id)
                self._update_ticket(batch, ticket_id)
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

    def _add_audit(self, audit: Audit, *, indexed: bool = True) -> None:
        self.audits[audit.id] = audit
        self.audits_of.setdefault(audit.ticket_id, []).append(audit.id)
        if indexed:
            insort(self.event_keys, (audit.timestamp, audit.id))

    def _store_ticket(self, bundle: _TicketBundle, metric_set: Record | None) -> None:
        """Store a ticket created by a mutation (generation bulk-loads instead)."""
        ticket_id = bundle.ticket["id"]
        self.tickets.put(bundle.ticket)
        self.comments[ticket_id] = bundle.comments
        for audit in bundle.audits:
            self._add_audit(audit)
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

    def _update_ticket(self, batch: _Batch, ticket_id: int) -> None:
        factory = batch.factory
        rng = factory.rng
        old = self.tickets.rows[ticket_id]
        status = rng.choice(
            [s for s in ("open", "pending", "hold", "solved") if s != old["status"]]
        )
        subject = f"{rng.choice(SUBJECTS)} (update {batch.stamp})"
        assignee_id = rng.choice(self.agent_ids)
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
        children: list[tuple[Any, ...]] = [
            (
                "Change",
                self.ids.take("events"),
                {"subject": subject, "previous_value": old["subject"]},
            ),
            (
                "Change",
                self.ids.take("events"),
                {"status": status, "previous_value": old["status"]},
            ),
        ]
        via = factory.via("web")
        self._add_audit(
            Audit(audit_id, ticket_id, batch.stamp, assignee_id, via, factory.metadata(), children)
        )
        self._touch_ticket(
            batch,
            ticket_id,
            metric_changes,
            subject=subject,
            raw_subject=subject,
            status=status,
            custom_status_id=CUSTOM_STATUS_IDS[status],
            assignee_id=assignee_id,
            tags=sorted({*old["tags"], rng.choice(TAGS)}),
        )

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
        children: list[tuple[Any, ...]] = [("Comment", comment)]
        self._add_audit(
            Audit(audit_id, ticket_id, batch.stamp, author_id, via, comment["metadata"], children)
        )
        batch.changes.changed["ticket_comments"].add(comment["id"])
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
        self._store_ticket(bundle, metric_set)
        batch.changes.changed["tickets"].add(bundle.ticket["id"])
        batch.changes.changed["ticket_metrics"].add(metric_set["id"])
        batch.changes.changed["ticket_comments"].update(c["id"] for c in bundle.comments)

    def _delete_ticket(self, batch: _Batch, ticket_id: int) -> None:
        old = self.tickets.rows[ticket_id]
        self.tickets.put({**old, "status": "deleted", "generated_timestamp": batch.stamp})
        changed = batch.changes.changed
        changed["tickets"].add(ticket_id)
        batch.changes.deleted_tickets.add(ticket_id)
        metric_id = self.metric_set_of.pop(ticket_id, None)
        if metric_id is not None:
            self.metric_sets.remove(metric_id)
            changed["ticket_metrics"].discard(metric_id)
        changed["ticket_comments"].difference_update(
            c["id"] for c in self.comments.get(ticket_id, ())
        )
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
        self._add_audit(audit)
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
        """Build a ticket with its comments and audits on a timeline from ``created`` to ``end``."""
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
        status_time = None
        if status in ("solved", "closed"):
            status_time = max(factory.between(times[-1] + 1, end), times[-1] + 1)

        audit_id = ids.take("events")
        subject_child, status_child = ids.take("events"), ids.take("events")
        first = factory.comment(
            audit_id=audit_id, author=requester, created=created, public=True, via=via
        )
        subject = factory.subject()
        ticket = factory.ticket(
            ticket_id,
            created=created,
            updated=status_time or times[-1],
            status=status,
            requester=requester,
            submitter=requester,
            assignee=agent,
            group_id=agent["default_group_id"] if agent else None,
            via=via,
            description=first["body"],
            subject=subject,
        )
        audits = [
            Audit(
                audit_id,
                ticket_id,
                created,
                requester["id"],
                via,
                first["metadata"],
                [
                    ("Create", subject_child, {"subject": subject[0]}),
                    ("Create", status_child, {"status": "new" if agent is None else "open"}),
                    ("Comment", first),
                ],
            )
        ]
        comments = [first]
        replies = 0
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
            replies += by_agent and comment["public"]
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
        if status_time is not None:
            change_audit = ids.take("events")
            if status == "closed":
                by, change_via = None, factory.via("rule")
                change = {"status": "closed", "previous_value": "solved"}
            else:
                by, change_via = agent["id"] if agent else None, factory.via("web")
                change = {"status": "solved", "previous_value": "open"}
            audits.append(
                Audit(
                    change_audit,
                    ticket_id,
                    status_time,
                    by,
                    change_via,
                    factory.metadata(),
                    [("Change", ids.take("events"), change)],
                )
            )
        return _TicketBundle(ticket, comments, audits, times, status_time, replies)


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
        account.users.load(users)
        account.group_memberships.load(group_memberships)
        account.organization_memberships.load(org_memberships)

    def _tickets(self, count: int) -> None:
        account = self.account
        tickets: list[Record] = []
        metric_sets: list[Record] = []
        ratings: list[Record] = []
        problems: list[Record] = []
        for _ in range(count):
            ticket, metric_set, rating = self._ticket(problems)
            tickets.append(ticket)
            if metric_set is not None:
                metric_sets.append(metric_set)
                account.metric_set_of[ticket["id"]] = metric_set["id"]
            if rating is not None:
                ratings.append(rating)
                account.rating_of[ticket["id"]] = rating["id"]
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
