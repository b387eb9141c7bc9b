"""List and single-page resources, one declaration each, served generically by style.

A resource says where it lives, the key of its records list, how Zendesk pages it and where
its rows come from; :class:`~tap_zendesk.sandbox.api.ZendeskApi` serves every entry of
:data:`RESOURCES` with the same code (``cursor_list``: CBP as in reference §3.1;
``single_page``: everything at once with ``next_page: null``), and
:meth:`~tap_zendesk.sandbox.data.SandboxAccount.expected` answers from the same entries.
Adding a resource to the sandbox is adding an entry here (and its rows, if they are new).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from tap_zendesk.sandbox import config_data
from tap_zendesk.sandbox.factories import Record

if TYPE_CHECKING:
    from tap_zendesk.sandbox.data import SandboxAccount

Style = Literal["cursor_list", "single_page"]
Rows = Callable[["SandboxAccount", Mapping[str, str]], list[Record] | None]
"""Rows of a resource in any order, given the request's query and path parameters (path wins);
None: unknown parent (404)."""


def _by_id(record: Record) -> Any:
    return record["id"]


@dataclass(frozen=True)
class Resource:
    """One endpoint under ``/api/v2/`` and the stream it feeds."""

    stream: str
    path: str
    """Path pattern under ``/api/v2/`` without ``.json``; named groups are path parameters."""
    key: str
    style: Style
    rows: Rows
    sorts: tuple[str, ...] = ("id",)
    """CBP ``sort`` values accepted (the first is the default)."""
    order: Callable[[Record], Any] = _by_id
    """The default order's unique key: an int, or a ``(str or int, int)`` pair."""
    plan_gated: bool = False
    """Accounts on lower plans get 403 (``SandboxAccount.set_forbidden`` makes it so)."""
    feature: str | None = None
    """``"help_center"``: answers 404 when the account has no Help Center."""
    expected: Callable[[SandboxAccount], list[Record]] | None = None
    """What a full sync emits, when it is not simply the rows (a child's records)."""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The compiled path pattern."""
        return re.compile(self.path)

    def expected_records(self, account: SandboxAccount) -> list[Record]:
        """The records a full sync of :attr:`stream` emits, in id order."""
        if self.expected is not None:
            return self.expected(account)
        return sorted(self.rows(account, {}) or [], key=self.order)


def _stored(stream: str) -> Rows:
    def rows(account: SandboxAccount, _params: Mapping[str, str]) -> list[Record]:
        return account.config.records(stream)

    return rows


def _list(stream: str, path: str, key: str | None = None, **options: Any) -> Resource:
    """A CBP list of stored records."""
    return Resource(stream, path, key or stream, "cursor_list", _stored(stream), **options)


def _page(stream: str, path: str, key: str | None = None, **options: Any) -> Resource:
    """A single-page list of stored records."""
    return Resource(stream, path, key or stream, "single_page", _stored(stream), **options)


def _ticket_fields(account: SandboxAccount, params: Mapping[str, str]) -> list[Record]:
    return config_data.ticket_fields(account, creator=params.get("creator") == "true")


def _holidays(account: SandboxAccount, params: Mapping[str, str]) -> list[Record] | None:
    return config_data.holidays_of(account, int(params["schedule_id"]))


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "ticket_fields",
        r"ticket_fields",
        "ticket_fields",
        "cursor_list",
        _ticket_fields,
        expected=lambda account: config_data.ticket_fields(account, creator=True),
    ),
    _page("ticket_forms", r"ticket_forms", plan_gated=True),
    _list("user_fields", r"user_fields"),
    _list("organization_fields", r"organization_fields"),
    _page("custom_statuses", r"custom_statuses"),
    _list("brands", r"brands"),
    Resource(
        "tags",
        r"tags",
        "tags",
        "cursor_list",
        lambda account, _params: config_data.tags(account),
        order=config_data.tag_order,
        expected=config_data.tags,
    ),
    _list("macros", r"macros", sorts=("id", "created_at", "updated_at")),
    _list("triggers", r"triggers", sorts=("id", "created_at", "updated_at")),
    _list("automations", r"automations", sorts=("id", "created_at", "updated_at")),
    _list("views", r"views", sorts=("id", "created_at", "updated_at")),
    _page("sla_policies", r"slas/policies", plan_gated=True),
    _page("custom_roles", r"custom_roles", plan_gated=True),
    _page("schedules", r"business_hours/schedules", plan_gated=True),
    Resource(
        "schedule_holidays",
        r"business_hours/schedules/(?P<schedule_id>\d+)/holidays",
        "holidays",
        "single_page",
        _holidays,
        plan_gated=True,
        expected=config_data.all_holidays,
    ),
    _page("satisfaction_reasons", r"satisfaction_reasons", "reasons", plan_gated=True),
    _list("deleted_users", r"deleted_users"),
    Resource(
        "deleted_tickets",
        r"deleted_tickets",
        "deleted_tickets",
        "cursor_list",
        lambda account, _params: config_data.deleted_tickets(account),
        sorts=("id", "deleted_at"),
    ),
    _list("suspended_tickets", r"suspended_tickets", sorts=("id", "created_at")),
    _list("ticket_skips", r"skips", "skips"),
    _list("categories", r"help_center/categories", feature="help_center"),
    _list("sections", r"help_center/sections", feature="help_center"),
    _list("articles", r"help_center/articles", feature="help_center"),
)
"""Every resource served from this registry."""

BY_STREAM: dict[str, Resource] = {resource.stream: resource for resource in RESOURCES}
STREAMS: tuple[str, ...] = tuple(BY_STREAM)
"""Stream names of the registry's resources."""
