"""The Zendesk Support endpoints of the sandbox as plain Request -> Response functions.

No sockets here: :class:`ZendeskApi` routes an already-authenticated :class:`Request` through a
routing table and builds a :class:`Response`. The HTTP server (:mod:`.server`) does parsing,
authentication and writing around it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tap_zendesk.sandbox.data import SandboxAccount, Table
from tap_zendesk.sandbox.factories import Record, iso
from tap_zendesk.sandbox.pagination import (
    CursorError,
    ExportKey,
    cursor_export_page,
    cursor_list_page,
    decode_export_cursor,
    decode_list_cursor,
    encode_export_cursor,
    encode_list_cursor,
    time_export_page,
)
from tap_zendesk.sandbox.resources import RESOURCES, Resource

API_PREFIX = "/api/v2/"
EXPORT_MAX_PAGE = 1000
LIST_MAX_PAGE = 100
VISIBILITY_DELAY = 60
"""Incremental exports exclude the last minute (reference §4.1)."""

FORBIDDEN_BODY = {
    "error": {
        "title": "Forbidden",
        "message": "You do not have access to this page. Please contact the account owner of this "
        "help desk for further help.",
    }
}
ANONYMOUS_USER = {
    "id": None,
    "url": None,
    "name": "Anonymous user",
    "email": "invalid@example.com",
    "created_at": None,
    "updated_at": None,
    "time_zone": "Eastern Time (US & Canada)",
    "iana_time_zone": "America/New_York",
    "phone": None,
    "shared_phone_number": None,
    "photo": None,
    "locale_id": 1,
    "locale": "en-US",
    "organization_id": None,
    "role": "end-user",
    "verified": False,
    "authenticity_token": "sandbox-anonymous-authenticity-token",
}


@dataclass(frozen=True)
class Request:
    """A parsed HTTP request.

    ``path`` is the path exactly as sent (with or without ``.json``) so pagination URLs can echo
    its style; ``query`` keeps the last value of each parameter.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    host: str
    body: bytes = b""
    authenticated: bool = False

    @property
    def endpoint(self) -> str | None:
        """Path under ``/api/v2/`` without ``.json`` (``tickets/1/comments``), else None."""
        if not self.path.startswith(API_PREFIX):
            return None
        endpoint = self.path[len(API_PREFIX) :].rstrip("/")
        return endpoint.removesuffix(".json")

    def url(self, params: Mapping[str, Any]) -> str:
        """Return this endpoint's URL on the request's host with ``params`` as the query."""
        query = urlencode({k: v for k, v in params.items() if v is not None}, safe="[]")
        return f"http://{self.host}{self.path}?{query}"


@dataclass
class Response:
    """A response ready to write: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
        """Return a JSON response (compact; non-ASCII escaped, which is also the fastest)."""
        body = json.dumps(payload, separators=(",", ":")).encode("ascii")
        return cls(
            status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        )


Next = Callable[[Request], Response]
"""The rest of the middleware chain, ending in :meth:`ZendeskApi.handle`."""
Middleware = Callable[[Request, Next], Response]
"""Wraps the rest of the chain: may answer itself or call ``next_`` (and alter its response)."""


class ApiError(Exception):
    """An error response raised from deep inside a handler."""

    def __init__(self, status: int, payload: Any) -> None:
        super().__init__(status, payload)
        self.response = Response.json(status, payload)


def classic_error(status: int, error: str, description: str) -> ApiError:
    """Return the classic ``{"error": ..., "description": ...}`` error (reference §7)."""
    return ApiError(status, {"error": error, "description": description})


def not_found() -> ApiError:
    """Return the 404 of a deleted or unknown record."""
    return classic_error(404, "RecordNotFound", "Not found")


def endpoint_family(path: str) -> str:
    """Return a path's endpoint family, e.g. ``tickets/{id}/comments``."""
    endpoint = path.removeprefix(API_PREFIX).strip("/").removesuffix(".json")
    return "/".join("{id}" if part.isdigit() else part for part in endpoint.split("/"))


Handler = Callable[["ZendeskApi", Request, dict[str, str]], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint: a path pattern under ``/api/v2/``, its handler and the streams it serves."""

    pattern: re.Pattern[str]
    handler: Handler
    streams: tuple[str, ...] = ()


def _route(pattern: str, *streams: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(re.compile(pattern), handler, streams))
        return handler

    return register


ROUTES: list[Route] = []
"""The routing table, filled by the ``@_route`` decorators below (GET only)."""


Sideload = Callable[[list[Any]], dict[str, list[Record]]]
"""Given a page's items, return top-level arrays to serve next to them (``include=``)."""

Ordering = Callable[[str | None], tuple[list[Any], list[int]]]
"""Given a sort field (None: id), return ``(sort keys, ids)`` in ascending order."""


@dataclass(frozen=True)
class _ListSpec:
    """How one CBP list endpoint reads its records (called under the account lock)."""

    key: str
    rows: Mapping[int, Record]
    ordered: Ordering
    sorts: tuple[str, ...] = ("id",)
    accept: Callable[[Record], bool] | None = None

    @classmethod
    def of(
        cls,
        key: str,
        table: Table,
        sorts: tuple[str, ...] = ("id",),
        accept: Callable[[Record], bool] | None = None,
    ) -> _ListSpec:
        """Return the spec of a list served straight from a table."""
        return cls(key, table.rows, table.ordered, sorts, accept)


class ZendeskApi:
    """The sandbox's Zendesk endpoints over one :class:`SandboxAccount`."""

    def __init__(
        self,
        account: SandboxAccount,
        *,
        clock: Callable[[], float],
        empty_page_quirk: bool = True,
    ) -> None:
        """Serve ``account``; ``clock`` gives "now" (epoch seconds) for export visibility."""
        self.account = account
        self.clock = clock
        self.empty_page_quirk = empty_page_quirk
        #: Which timestamp the ratings list's `start_time`/`end_time` compare: unverified
        #: (reference §6.8), so tests run the tap against both readings.
        self.rating_time_field = "updated_at"

    def handle(self, request: Request) -> Response:
        """Route a request under ``/api/v2/`` and return its response."""
        endpoint = request.endpoint
        if endpoint is not None and request.method == "GET":
            for route in ROUTES:
                match = route.pattern.fullmatch(endpoint)
                if match is None:
                    continue
                if self.account.forbidden.intersection(route.streams):
                    return Response.json(403, FORBIDDEN_BODY)
                try:
                    return route.handler(self, request, match.groupdict())
                except ApiError as error:
                    return error.response
        return Response.json(404, {"error": "InvalidEndpoint", "description": "Not found"})

    # -- parameters -----------------------------------------------------------------------

    def _visible_until(self) -> int:
        return int(self.clock()) - VISIBILITY_DELAY

    def _start_time(self, request: Request) -> int:
        raw = request.query.get("start_time", "")
        if not raw.isdigit():
            raise classic_error(400, "InvalidValue", "start_time is required")
        start_time = int(raw)
        if start_time > self._visible_until():
            raise classic_error(
                422, "InvalidValue", "Too recent start_time. Use a start_time older than 1 minute"
            )
        return start_time

    @staticmethod
    def _per_page(request: Request) -> int:
        raw = request.query.get("per_page")
        if raw is None:
            return EXPORT_MAX_PAGE
        if not raw.isdigit() or int(raw) < 1:
            raise classic_error(400, "InvalidValue", "per_page must be a positive integer")
        if int(raw) > EXPORT_MAX_PAGE:
            raise classic_error(400, "InvalidValue", f"per_page must be <= {EXPORT_MAX_PAGE}")
        return int(raw)

    @staticmethod
    def _includes(request: Request) -> set[str]:
        return {
            part.strip() for part in request.query.get("include", "").split(",") if part.strip()
        }

    @staticmethod
    def _page_size(request: Request) -> int:
        raw = request.query.get("page[size]")
        if raw is None:
            return LIST_MAX_PAGE
        if not raw.isdigit() or int(raw) < 1:
            endpoint = request.endpoint
            raise ApiError(
                400,
                {
                    "error": {
                        "title": "Invalid attribute",
                        "message": "You passed an invalid value for the page.size attribute. "
                        f"Invalid parameter: page.size must be an integer from api/v2/{endpoint}",
                    }
                },
            )
        if int(raw) > LIST_MAX_PAGE:
            raise classic_error(
                400, "InvalidPaginationParameter", f"page[size] must be <= {LIST_MAX_PAGE}"
            )
        return int(raw)

    # -- the three pagination styles ------------------------------------------------------

    def _cursor_export(
        self,
        request: Request,
        *,
        key: str,
        table: Table,
        render: Callable[[Record], Record] | None = None,
        accept: Callable[[Record], bool] | None = None,
        sideload: Sideload | None = None,
    ) -> Response:
        """Serve a cursor-based export (reference §4.3) over ``table.export_keys``."""
        per_page = self._per_page(request)
        cursor = request.query.get("cursor")
        flag = ""
        new_position_before: ExportKey | None = None
        if cursor is not None:
            try:
                position, flag = decode_export_cursor(cursor)
            except CursorError:
                raise classic_error(400, "InvalidCursor", "cursor is invalid or expired") from None
        else:
            # Ids are positive, so (start_time, 0) sits just before the first item at start_time.
            position = (self._start_time(request), 0)
        visible_until = self._visible_until()
        with self.account.lock:
            keys = table.export_keys
            rows = table.rows
            if self.empty_page_quirk and flag == "s":
                # Zendesk sometimes answers an empty page that is not the end of the stream; this
                # sandbox does it on the first cursor request of every traversal.
                records: list[Record] = []
                new_position: ExportKey = position
                end_of_stream = False
            else:
                keep = None if accept is None else (lambda i: accept(rows[keys[i][1]]))
                page = cursor_export_page(
                    keys,
                    per_page,
                    position=position,
                    visible_until=visible_until,
                    backward=flag == "b",
                    accept=keep,
                )
                records = [rows[keys[i][1]] for i in page.positions]
                new_position, end_of_stream = page.position, page.end_of_stream
                if records:
                    new_position_before = keys[page.positions[0]]
            extra = sideload(records) if sideload is not None else {}
            if render is not None:
                records = [render(r) for r in records]
        carried = {
            "per_page": request.query.get("per_page"),
            "include": request.query.get("include"),
            "exclude_deleted": request.query.get("exclude_deleted"),
        }
        after_cursor = encode_export_cursor(
            new_position, "s" if cursor is None and self.empty_page_quirk else ""
        )
        before_cursor = None
        if cursor is not None:
            before_cursor = encode_export_cursor(new_position_before or new_position, "b")
        return Response.json(
            200,
            {
                key: records,
                **extra,
                "after_url": request.url({"cursor": after_cursor, **carried}),
                "before_url": request.url({"cursor": before_cursor, **carried})
                if before_cursor
                else None,
                "after_cursor": after_cursor,
                "before_cursor": before_cursor,
                "end_of_stream": end_of_stream,
            },
        )

    def _time_export(
        self,
        request: Request,
        *,
        key: str,
        keys: Sequence[ExportKey],
        load: Callable[[int], Any],
        render: Callable[[Any], Record | None],
        sideload: Sideload | None = None,
    ) -> Response:
        """Serve a time-based export (reference §4.4); ``render`` may drop an item (None)."""
        start_time = self._start_time(request)
        per_page = self._per_page(request)
        with self.account.lock:
            page = time_export_page(keys, start_time, per_page, visible_until=self._visible_until())
            items = [load(keys[i][1]) for i in range(page.start, page.stop)]
            extra = sideload(items) if sideload is not None else {}
        records = [r for r in map(render, items) if r is not None]
        params = {k: v for k, v in request.query.items() if k != "start_time"}
        return Response.json(
            200,
            {
                key: records,
                **extra,
                "next_page": request.url({"start_time": page.end_time, **params}),
                "count": len(records),
                "end_of_stream": page.end_of_stream,
                "end_time": page.end_time,
            },
        )

    def _cursor_list(self, request: Request, spec: _ListSpec) -> Response:
        """Serve a CBP list (§3.1): ``page[size]``, ``page[after]``, ``page[before]``, ``sort``."""
        size = self._page_size(request)
        sort = request.query.get("sort", spec.sorts[0])
        if sort.lstrip("-") not in spec.sorts:
            raise classic_error(400, "InvalidPaginationParameter", "sort is not valid")
        field_name = None if sort.lstrip("-") == "id" else sort.lstrip("-")
        after = self._list_cursor(request, "page[after]", sort)
        before = self._list_cursor(request, "page[before]", sort)
        with self.account.lock:
            keys, ids = spec.ordered(field_name)
            rows = spec.rows
            accept = spec.accept
            page = cursor_list_page(
                keys,
                size,
                after=after,
                before=before,
                descending=sort.startswith("-"),
                accept=None if accept is None else (lambda i: accept(rows[ids[i]])),
            )
            records = [rows[ids[i]] for i in page.positions]
            first_key = keys[page.positions[0]] if records else None
            last_key = keys[page.positions[-1]] if records else None
        after_cursor = encode_list_cursor(sort, last_key) if records else None
        before_cursor = encode_list_cursor(sort, first_key) if records else None
        params = {k: v for k, v in request.query.items() if not k.startswith("page[")}
        params["page[size]"] = str(size)
        return Response.json(
            200,
            {
                spec.key: records,
                "meta": {
                    "has_more": page.has_more,
                    "after_cursor": after_cursor,
                    "before_cursor": before_cursor,
                },
                "links": {
                    "prev": request.url({**params, "page[before]": before_cursor})
                    if before_cursor
                    else None,
                    "next": request.url({**params, "page[after]": after_cursor})
                    if after_cursor
                    else None,
                },
            },
        )

    def serve_resource(
        self, request: Request, resource: Resource, params: dict[str, str]
    ) -> Response:
        """Serve a :mod:`.resources` entry by its style: a CBP list or a single page."""
        account = self.account
        with account.lock:
            if resource.feature == "help_center" and not account.config.help_center:
                raise not_found()
            records = resource.rows(account, {**request.query, **params})
        if records is None:
            raise not_found()
        if resource.style == "single_page":
            body = {resource.key: records, "count": len(records)}
            return Response.json(200, {**body, "next_page": None, "previous_page": None})

        def ordered(field_name: str | None) -> tuple[list[Any], list[int]]:
            if field_name is None:
                pairs = sorted((resource.order(r), i) for i, r in enumerate(records))
            else:
                pairs = sorted(
                    ((r.get(field_name) or "", r["id"]), i) for i, r in enumerate(records)
                )
            return [p[0] for p in pairs], [p[1] for p in pairs]

        spec = _ListSpec(resource.key, dict(enumerate(records)), ordered, resource.sorts)
        return self._cursor_list(request, spec)

    @staticmethod
    def _list_cursor(request: Request, name: str, order: str) -> Any:
        raw = request.query.get(name)
        if raw is None:
            return None
        try:
            return decode_list_cursor(raw, order)
        except CursorError:
            raise classic_error(400, "InvalidPaginationParameter", f"{name} is not valid") from None

    # -- endpoints ------------------------------------------------------------------------

    @_route(r"incremental/tickets/cursor", "tickets")
    def incremental_tickets_cursor(self, request: Request, _: dict[str, str]) -> Response:
        """Cursor-based ticket export, by ``generated_timestamp``."""
        return self._cursor_export(
            request,
            key="tickets",
            table=self.account.tickets,
            render=self._ticket_renderer(request),
            accept=self._ticket_filter(request),
        )

    @_route(r"incremental/tickets", "tickets")
    def incremental_tickets(self, request: Request, _: dict[str, str]) -> Response:
        """Time-based ticket export, by ``generated_timestamp``."""
        account = self.account
        render = self._ticket_renderer(request) or (lambda t: t)
        accept = self._ticket_filter(request) or (lambda _t: True)
        return self._time_export(
            request,
            key="tickets",
            keys=account.tickets.export_keys,
            load=account.tickets.rows.__getitem__,
            render=lambda t: render(t) if accept(t) else None,
        )

    def _ticket_renderer(self, request: Request) -> Callable[[Record], Record] | None:
        if "metric_sets" not in self._includes(request):
            return None
        metric_set_for = self.account.metric_set_for
        return lambda ticket: {**ticket, "metric_set": metric_set_for(ticket["id"])}

    @staticmethod
    def _ticket_filter(request: Request) -> Callable[[Record], bool] | None:
        if request.query.get("exclude_deleted", "").lower() != "true":
            return None
        return lambda ticket: ticket["status"] != "deleted"

    @_route(r"incremental/users/cursor", "users")
    def incremental_users_cursor(self, request: Request, _: dict[str, str]) -> Response:
        """Cursor-based user export, by ``updated_at``; ``include=identities`` sideloads."""
        return self._cursor_export(
            request, key="users", table=self.account.users, sideload=self._user_sideload(request)
        )

    @_route(r"incremental/users", "users")
    def incremental_users(self, request: Request, _: dict[str, str]) -> Response:
        """Time-based user export, by ``updated_at``; ``include=identities`` sideloads."""
        users = self.account.users
        return self._time_export(
            request,
            key="users",
            keys=users.export_keys,
            load=users.rows.__getitem__,
            render=lambda u: u,
            sideload=self._user_sideload(request),
        )

    def _user_sideload(self, request: Request) -> Sideload | None:
        """``include=identities``: every identity of every user on the page, top level."""
        if "identities" not in self._includes(request):
            return None
        identities_of = self.account.identities_of
        return lambda users: {"identities": identities_of(users)}

    @_route(r"incremental/organizations", "organizations")
    def incremental_organizations(self, request: Request, _: dict[str, str]) -> Response:
        """Time-based organization export, by ``updated_at``."""
        organizations = self.account.organizations
        return self._time_export(
            request,
            key="organizations",
            keys=organizations.export_keys,
            load=organizations.rows.__getitem__,
            render=lambda o: o,
        )

    @_route(r"incremental/ticket_events", "ticket_events", "ticket_comments")
    def incremental_ticket_events(self, request: Request, _: dict[str, str]) -> Response:
        """Time-based ticket-event export; ``include=comment_events`` embeds full comments."""
        comment_events = "comment_events" in self._includes(request)
        return self._time_export(
            request,
            key="ticket_events",
            keys=self.account.event_keys,
            load=self.account.audits.__getitem__,
            render=lambda audit: audit.to_event(comment_events=comment_events),
        )

    @_route(r"incremental/ticket_metric_events", "ticket_metric_events")
    def incremental_ticket_metric_events(self, request: Request, _: dict[str, str]) -> Response:
        """Time-based metric-event export, by ``time``; ``exclude_deleted`` drops deleted tickets'.

        Breaches are stored ahead of their ``time``; the export's one-minute delay hides them
        until they are due, like any other item.
        """
        account = self.account
        log = account.metric_events
        render = None
        if request.query.get("exclude_deleted", "").lower() == "true":
            rows = account.tickets.rows

            def render(event: Record) -> Record | None:
                return event if rows[event["ticket_id"]]["status"] != "deleted" else None

        return self._time_export(
            request,
            key="ticket_metric_events",
            keys=log,
            load=log.record,
            render=render or (lambda event: event),
        )

    @_route(r"users/me")
    def users_me(self, request: Request, _: dict[str, str]) -> Response:
        """The current user; an anonymous user (still 200) without valid credentials (§2.2)."""
        if not request.authenticated:
            return Response.json(200, {"user": ANONYMOUS_USER})
        with self.account.lock:
            user = self.account.users.rows[self.account.admin_id]
        return Response.json(200, {"user": user})

    @_route(r"tickets", "tickets")
    def tickets(self, request: Request, _: dict[str, str]) -> Response:
        """Tickets list: archived and deleted tickets are not listed."""
        archived = self.account.archived
        spec = _ListSpec.of(
            "tickets",
            self.account.tickets,
            sorts=("id", "updated_at"),
            accept=lambda t: t["status"] != "deleted" and t["id"] not in archived,
        )
        return self._cursor_list(request, spec)

    @_route(r"tickets/(?P<ticket_id>\d+)/comments", "ticket_comments")
    def ticket_comments(self, request: Request, params: dict[str, str]) -> Response:
        """A ticket's comments, oldest first; 404 for deleted or unknown tickets."""
        ticket_id = int(params["ticket_id"])
        with self.account.lock:
            if not self.account.is_live(ticket_id):
                raise not_found()
            comments = self.account.comments.get(ticket_id, [])
        keys = [(c["created_at"], c["id"]) for c in comments]
        order = (keys, [k[1] for k in keys])
        spec = _ListSpec(
            "comments", {c["id"]: c for c in comments}, lambda _field: order, sorts=("created_at",)
        )
        return self._cursor_list(request, spec)

    @_route(r"ticket_metrics", "ticket_metrics")
    def ticket_metrics(self, request: Request, _: dict[str, str]) -> Response:
        """Ticket metrics list: archived (and deleted) tickets are not listed."""
        archived = self.account.archived
        spec = _ListSpec.of(
            "ticket_metrics",
            self.account.metric_sets,
            accept=lambda m: m["ticket_id"] not in archived,
        )
        return self._cursor_list(request, spec)

    @_route(r"users", "users")
    def users(self, request: Request, _: dict[str, str]) -> Response:
        """Users list."""
        return self._cursor_list(request, _ListSpec.of("users", self.account.users))

    @_route(r"organizations", "organizations")
    def organizations(self, request: Request, _: dict[str, str]) -> Response:
        """Organizations list: deleted organizations are not listed."""
        spec = _ListSpec.of(
            "organizations", self.account.organizations, accept=lambda o: o["deleted_at"] is None
        )
        return self._cursor_list(request, spec)

    @_route(r"groups", "groups")
    def groups(self, request: Request, _: dict[str, str]) -> Response:
        """Groups list: deleted groups only with ``exclude_deleted=false``."""
        include_deleted = request.query.get("exclude_deleted", "").lower() == "false"
        accept = None if include_deleted else (lambda g: not g["deleted"])
        return self._cursor_list(
            request, _ListSpec.of("groups", self.account.groups, accept=accept)
        )

    @_route(r"group_memberships", "group_memberships")
    def group_memberships(self, request: Request, _: dict[str, str]) -> Response:
        """All group memberships."""
        spec = _ListSpec.of("group_memberships", self.account.group_memberships)
        return self._cursor_list(request, spec)

    @_route(r"groups/(?P<group_id>\d+)/memberships", "group_memberships")
    def group_memberships_of_group(self, request: Request, params: dict[str, str]) -> Response:
        """One group's memberships; 404 for an unknown group."""
        group_id = int(params["group_id"])
        if group_id not in self.account.groups.rows:
            raise not_found()
        spec = _ListSpec.of(
            "group_memberships",
            self.account.group_memberships,
            accept=lambda m: m["group_id"] == group_id,
        )
        return self._cursor_list(request, spec)

    @_route(r"organization_memberships", "organization_memberships")
    def organization_memberships(self, request: Request, _: dict[str, str]) -> Response:
        """All organization memberships."""
        spec = _ListSpec.of("organization_memberships", self.account.organization_memberships)
        return self._cursor_list(request, spec)

    @_route(r"satisfaction_ratings", "satisfaction_ratings")
    def satisfaction_ratings(self, request: Request, _: dict[str, str]) -> Response:
        """Ratings; ``start_time``/``end_time`` (incl./excl.) on ``updated_at``; ``score``."""
        accept = _rating_filter(request, self.rating_time_field)
        spec = _ListSpec.of(
            "satisfaction_ratings",
            self.account.satisfaction_ratings,
            sorts=("id", "updated_at", "created_at"),
            accept=accept,
        )
        return self._cursor_list(request, spec)


def _resource_route(resource: Resource) -> Route:
    """The route of a registry resource, served by :meth:`ZendeskApi.serve_resource`."""

    def handler(api: ZendeskApi, request: Request, params: dict[str, str]) -> Response:
        return api.serve_resource(request, resource, params)

    return Route(resource.pattern, handler, (resource.stream,))


ROUTES.extend(_resource_route(resource) for resource in RESOURCES)


def _rating_filter(request: Request, time_field: str) -> Callable[[Record], bool] | None:
    """Build the ``start_time``/``end_time`` (on ``time_field``) and ``score`` filter."""
    bounds = {}
    for name in ("start_time", "end_time"):
        raw = request.query.get(name)
        if raw is not None:
            if not raw.isdigit():
                raise classic_error(400, "InvalidValue", f"{name} must be an integer")
            # Same-format ISO timestamps compare correctly as strings.
            bounds[name] = iso(int(raw))
    score = request.query.get("score")
    scores = {
        None: None,
        "offered": {"offered"},
        "unoffered": {"unoffered"},
        "received": {"good", "bad"},
        "received_with_comment": {"good", "bad"},
        "received_without_comment": {"good", "bad"},
        "good": {"good"},
        "good_with_comment": {"good"},
        "good_without_comment": {"good"},
        "bad": {"bad"},
        "bad_with_comment": {"bad"},
        "bad_without_comment": {"bad"},
    }
    if score not in scores:
        raise classic_error(400, "InvalidValue", "score is not valid")
    wanted = scores[score]
    with_comment = None
    if score and score.endswith("_with_comment"):
        with_comment = True
    elif score and score.endswith("_without_comment"):
        with_comment = False
    if not bounds and wanted is None:
        return None
    start, end = bounds.get("start_time"), bounds.get("end_time")

    def accept(rating: Record) -> bool:
        moment = rating[time_field]
        if (start is not None and moment < start) or (end is not None and moment >= end):
            return False
        if wanted is not None and rating["score"] not in wanted:
            return False
        return with_comment is None or bool(rating["comment"]) == with_comment

    return accept
