"""The account's configuration and side lists: generated from the seed, changed by mutations.

Field definitions, forms, statuses, brands, business rules, SLA policies, roles, schedules,
CSAT reasons, deleted users, suspended tickets, skips and Help Center content. Everything is
consistent with the tickets, users and organizations :mod:`.data` generates: ticket fields
define the ids in ``custom_fields``, user and organization fields the keys of ``user_fields``
and ``organization_fields``, custom statuses the ``custom_status_id`` values, and so on.

Like the rest of the sandbox, records are immutable: a change replaces the record.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tap_zendesk.sandbox.config_content import (
    ARTICLE_TITLES,
    AUTOMATIONS,
    CUSTOM_FIELDS,
    CUSTOM_ROLES,
    CUSTOM_TYPES,
    HC_CATEGORIES,
    HC_SECTIONS,
    HOLIDAYS,
    MACRO_TITLES,
    ORGANIZATION_FIELDS,
    SCHEDULES,
    SKIP_REASONS,
    SLA_POLICIES,
    SUSPENSION_CAUSES,
    SYSTEM_FIELDS,
    TAG_HINTS,
    TRIGGER_TITLES,
    USER_FIELDS,
    VIEWS,
)
from tap_zendesk.sandbox.factories import (
    API_BASE,
    BRAND_ID,
    CUSTOM_STATUS_IDS,
    DATA_END,
    DATA_START,
    LOCALES,
    RATING_REASONS,
    SENTENCES,
    SUBJECTS,
    SUPPORT_ADDRESS,
    TICKET_FIELD_IDS,
    TIME_ZONES,
    Record,
    iso,
)

if TYPE_CHECKING:
    from tap_zendesk.sandbox.data import SandboxAccount

DAY = 86_400
HC_BASE = "https://sandbox.zendesk.com/hc/en-us"

# First id of each configuration sequence (between 2^32 and 2^53 like real Zendesk ids).
# Some are fixed by records the account already carries: the custom role of every agent, the
# automation that closes solved tickets (`via.source.from.id`), the CSAT reasons of ratings.
ID_BASES = {
    "brands": BRAND_ID,
    "ticket_forms": 360_000_000_201,
    "custom_statuses": 360_000_000_306,
    "system_fields": 360_000_400_001,
    "user_fields": 360_000_510_001,
    "organization_fields": 360_000_520_001,
    "custom_roles": 360_000_600_001,
    "automations": 360_000_800_001,
    "macros": 360_000_810_001,
    "triggers": 360_000_820_001,
    "views": 360_000_830_001,
    "sla_policies": 360_000_840_001,
    "schedules": 360_000_850_001,
    "holidays": 360_000_860_001,
    "satisfaction_reasons": 360_000_700_006,
    "deleted_users": 369_000_000_000,
    "suspended_tickets": 370_000_000_000,
    "ticket_skips": 371_000_000_000,
    "categories": 372_000_000_000,
    "sections": 373_000_000_000,
    "articles": 374_000_000_000,
}

STORED = (
    "ticket_fields",
    "ticket_forms",
    "user_fields",
    "organization_fields",
    "custom_statuses",
    "brands",
    "macros",
    "triggers",
    "automations",
    "views",
    "sla_policies",
    "custom_roles",
    "schedules",
    "satisfaction_reasons",
    "deleted_users",
    "suspended_tickets",
    "ticket_skips",
    "categories",
    "sections",
    "articles",
)
"""Resources kept as records; tags, holidays and deleted tickets are derived (see below)."""


class Rows:
    """Records of one resource by id, with the id order cached until the next change."""

    def __init__(self) -> None:
        self.rows: dict[int, Record] = {}
        self._ids: list[int] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def put(self, record: Record) -> None:
        """Insert or replace a record."""
        if record["id"] not in self.rows:
            self._ids = None
        self.rows[record["id"]] = record

    def remove(self, record_id: int) -> Record:
        """Delete a record; returns it."""
        self._ids = None
        return self.rows.pop(record_id)

    @property
    def ids(self) -> list[int]:
        """Ids in ascending order."""
        if self._ids is None:
            self._ids = sorted(self.rows)
        return self._ids

    def records(self) -> list[Record]:
        """Records in id order."""
        return [self.rows[i] for i in self.ids]


@dataclass
class ConfigData:
    """The configuration of one account (read and changed under the account's lock)."""

    tables: dict[str, Rows] = field(default_factory=lambda: {name: Rows() for name in STORED})
    holidays: dict[int, list[Record]] = field(default_factory=dict)
    """Holidays per schedule id, as ``/business_hours/schedules/{id}/holidays`` lists them."""
    help_center: bool = True
    """False: the account has no Guide and ``/help_center/...`` answers 404."""
    tag_counts: Counter[str] = field(default_factory=Counter)
    """Tag counts as of the last generation or mutation, to report which tags changed."""
    next_ids: dict[str, int] = field(default_factory=lambda: dict(ID_BASES))

    def take(self, sequence: str) -> int:
        """Return the next id of ``sequence``."""
        value = self.next_ids[sequence]
        self.next_ids[sequence] = value + 1
        return value

    def records(self, stream: str) -> list[Record]:
        """Return a stored resource's records in id order."""
        return self.tables[stream].records()

    def put(self, stream: str, record: Record) -> None:
        """Insert or replace a record of a stored resource."""
        self.tables[stream].put(record)


# -- derived resources --------------------------------------------------------------------------


def tag_counts(account: SandboxAccount) -> Counter[str]:
    """Count each tag over live tickets, users and organizations (Zendesk's tag popularity)."""
    counts: Counter[str] = Counter()
    for ticket in account.tickets.rows.values():
        if ticket["status"] != "deleted":
            counts.update(ticket["tags"])
    for table in (account.users, account.organizations):
        for record in table.rows.values():
            counts.update(record["tags"])
    return counts


def tags(account: SandboxAccount) -> list[Record]:
    """Return ``/tags`` records, most popular first, ties by name."""
    counts = tag_counts(account)
    return [{"name": name, "count": n} for name, n in sorted(counts.items(), key=_by_popularity)]


def _by_popularity(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def tag_order(tag: Record) -> tuple[str, int]:
    """A unique CBP sort key for a tag: most popular first, then by name.

    A string, since list cursors carry ``(str or int, int)`` pairs.
    """
    return f"{10**12 - tag['count']:013d}:{tag['name']}", 0


_STATUS_OF_CUSTOM_STATUS = {v: k for k, v in reversed(CUSTOM_STATUS_IDS.items())}


def deleted_tickets(account: SandboxAccount) -> list[Record]:
    """Return ``/deleted_tickets`` records: every ticket whose status is ``deleted``.

    A deleted ticket keeps the ``custom_status_id`` of its last live status, which gives
    ``previous_state``; it was deleted at its last ``generated_timestamp``.
    """
    users = account.users.rows
    agents = account.agent_ids
    records = []
    for ticket_id in account.tickets.ids:
        ticket = account.tickets.rows[ticket_id]
        if ticket["status"] != "deleted":
            continue
        actor = users[agents[ticket_id % len(agents)]]
        records.append(
            {
                "id": ticket_id,
                "subject": ticket["subject"],
                "description": ticket["description"],
                "actor": {"id": actor["id"], "name": actor["name"]},
                "deleted_at": iso(ticket["generated_timestamp"]),
                "previous_state": _STATUS_OF_CUSTOM_STATUS.get(ticket["custom_status_id"], "open"),
            }
        )
    return records


CREATOR_FIELDS = ("creator_user_id", "creator_app_name")


def ticket_fields(account: SandboxAccount, *, creator: bool) -> list[Record]:
    """Return ``/ticket_fields`` records; who created each field only with ``creator=true``."""
    records = account.config.records("ticket_fields")
    if creator:
        return records
    return [{k: v for k, v in r.items() if k not in CREATOR_FIELDS} for r in records]


def holidays_of(account: SandboxAccount, schedule_id: int) -> list[Record] | None:
    """Return a schedule's holidays, or None for an unknown schedule."""
    if schedule_id not in account.config.tables["schedules"].rows:
        return None
    return account.config.holidays.get(schedule_id, [])


def all_holidays(account: SandboxAccount) -> list[Record]:
    """Return every schedule's holidays with ``schedule_id``, as the tap emits them."""
    config = account.config
    return [
        {**holiday, "schedule_id": schedule_id}
        for schedule_id in config.tables["schedules"].ids
        for holiday in config.holidays.get(schedule_id, [])
    ]


# -- generation ---------------------------------------------------------------------------------


def generate(account: SandboxAccount) -> None:
    """Fill ``account.config`` from the account's seed (its own random stream).

    Runs after people and tickets exist; it draws from a separate ``random.Random`` so the
    rest of the generated account is the same with or without it.
    """
    rng = random.Random(f"{account.seed}:config")  # noqa: S311 - test data, not cryptography
    _Builder(account, rng).run()


class _Builder:
    """Builds every configuration resource, in a fixed order."""

    def __init__(self, account: SandboxAccount, rng: random.Random) -> None:
        self.account = account
        self.config = account.config
        self.rng = rng
        self.groups = [g for g in account.groups.ids if not account.groups.rows[g]["deleted"]]

    def when(self, low: int = DATA_START, high: int = DATA_START + 90 * DAY) -> tuple[str, str]:
        """``(created_at, updated_at)``: created in ``[low, high]``, updated since."""
        created = self.rng.randint(low, high)
        return iso(created), iso(self.rng.randint(created, DATA_END))

    def run(self) -> None:
        """Build everything; tables the tickets imply come last."""
        self.ticket_fields()
        self.customer_fields("user_fields", USER_FIELDS)
        self.customer_fields("organization_fields", ORGANIZATION_FIELDS)
        self.custom_statuses()
        self.ticket_forms()
        self.brands()
        self.business_rules()
        self.sla_policies()
        self.custom_roles()
        self.schedules()
        self.satisfaction_reasons()
        self.deleted_users(max(5, len(self.account.users) // 100))
        self.suspended_tickets(max(5, len(self.account.tickets) // 50))
        self.skips(max(10, len(self.account.tickets) // 10))
        self.help_center(max(20, len(self.account.tickets) // 50))
        self.config.tag_counts = tag_counts(self.account)

    # -- definitions --------------------------------------------------------------------------

    def ticket_fields(self) -> None:
        config = self.config
        for position, (kind, title, extra) in enumerate(SYSTEM_FIELDS, start=1):
            field_id = config.take("system_fields")
            config.put("ticket_fields", self._ticket_field(field_id, kind, title, position, extra))
        for position, (kind, spec) in enumerate(CUSTOM_FIELDS.items(), start=100):
            field_type, title, extra = spec
            field_id = TICKET_FIELD_IDS[kind]
            record = self._ticket_field(field_id, field_type, title, position, extra)
            record["removable"] = True
            if field_type == "lookup":  # installed by an app
                record["creator_user_id"], record["creator_app_name"] = -1, "Order Sync"
            else:
                record["creator_user_id"] = self.account.admin_id
            config.put("ticket_fields", record)

    def _ticket_field(
        self, field_id: int, field_type: str, title: str, position: int, extra: Record
    ) -> Record:
        created, updated = self.when()
        custom = field_type in CUSTOM_TYPES
        record: Record = {
            "url": f"{API_BASE}/ticket_fields/{field_id}.json",
            "id": field_id,
            "type": field_type,
            "title": title,
            "raw_title": title,
            "description": extra.get("description", ""),
            "raw_description": extra.get("description", ""),
            "position": position,
            "active": extra.get("active", True),
            "required": field_type in ("subject", "description"),
            "collapsed_for_agents": False,
            "regexp_for_validation": extra.get("regexp_for_validation"),
            "title_in_portal": title,
            "raw_title_in_portal": title,
            "visible_in_portal": field_type in ("subject", "description") or custom,
            "editable_in_portal": field_type in ("subject", "description"),
            "required_in_portal": field_type in ("subject", "description"),
            "agent_can_edit": True,
            "tag": extra.get("tag"),
            "created_at": created,
            "updated_at": updated,
            "removable": False,
            "key": None,
            "agent_description": extra.get("agent_description"),
            "sub_type_id": 0,
            "creator_user_id": None,
            "creator_app_name": None,
        }
        if "options" in extra:
            record["custom_field_options"] = self._options("ticket_fields", extra["options"])
        if "system_field_options" in extra:
            record["system_field_options"] = [
                {"name": value.title(), "value": value} for value in extra["system_field_options"]
            ]
        if field_type == "custom_status":
            record["custom_statuses"] = [
                {"id": status_id, "status_category": status}
                for status, status_id in CUSTOM_STATUS_IDS.items()
                if status != "closed"
            ]
        if field_type == "lookup":
            record["relationship_target_type"] = "zen:ticket"
            record["relationship_filter"] = {
                "all": [{"field": "status", "operator": "less_than", "value": "solved"}],
                "any": [],
            }
        return record

    def _options(self, family: str, values: Iterable[str]) -> list[Record]:
        options = []
        for position, value in enumerate(values):
            option_id = self.rng.randint(360_100_000_000, 360_199_999_999)
            name = value.replace("_", " ").title()
            options.append(
                {
                    "id": option_id,
                    "url": f"{API_BASE}/{family}/options/{option_id}.json",
                    "name": name,
                    "raw_name": name,
                    "value": value,
                    "position": position,
                    "default": False,
                    "allow_solving": True,
                }
            )
        return options

    def customer_fields(self, family: str, specs: tuple[tuple[str, str, str, Record], ...]) -> None:
        for position, (key, field_type, title, extra) in enumerate(specs):
            field_id = self.config.take(family)
            created, updated = self.when()
            record: Record = {
                "url": f"{API_BASE}/{family}/{field_id}.json",
                "id": field_id,
                "key": key,
                "type": field_type,
                "title": title,
                "raw_title": title,
                "description": extra.get("description", ""),
                "raw_description": extra.get("description", ""),
                "position": position,
                "active": extra.get("active", True),
                "system": False,
                "regexp_for_validation": None,
                "relationship_target_type": None,
                "relationship_filter": None,
                "tag": extra.get("tag"),
                "created_at": created,
                "updated_at": updated,
            }
            if "options" in extra:
                record["custom_field_options"] = self._options(family, extra["options"])
            self.config.put(family, record)

    def custom_statuses(self) -> None:
        for status, status_id in CUSTOM_STATUS_IDS.items():
            if status == "closed":
                continue  # closed tickets keep the solved status
            self._custom_status(status_id, status, status.title(), default=True, active=True)
        self._custom_status(
            self.config.take("custom_statuses"),
            "open",
            "Waiting on engineering",
            default=False,
            active=True,
        )
        self._custom_status(
            self.config.take("custom_statuses"),
            "hold",
            "Awaiting parts",
            default=False,
            active=False,
        )

    def _custom_status(
        self,
        status_id: int,
        category: str,
        label: str,
        *,
        default: bool,
        active: bool,
    ) -> None:
        created, updated = self.when()
        description = f"Tickets that are {label.lower()}"
        end_user = "Solved" if category == "solved" else "In progress"
        self.config.put(
            "custom_statuses",
            {
                "url": f"{API_BASE}/custom_statuses/{status_id}.json",
                "id": status_id,
                "status_category": category,
                "agent_label": label,
                "raw_agent_label": label,
                "end_user_label": end_user,
                "raw_end_user_label": end_user,
                "description": description,
                "raw_description": description,
                "end_user_description": "",
                "raw_end_user_description": "",
                "active": active,
                "default": default,
                "created_at": created,
                "updated_at": updated,
            },
        )

    def ticket_forms(self) -> None:
        fields = self.config.records("ticket_fields")
        active = [f["id"] for f in fields if f["active"]]
        system = [f["id"] for f in fields if f["type"] not in CUSTOM_TYPES]
        checkbox, textarea = TICKET_FIELD_IDS["checkbox"], TICKET_FIELD_IDS["textarea"]
        condition = {
            "parent_field_id": checkbox,
            "value": True,
            "child_fields": [{"id": textarea, "is_required": False}],
        }
        forms = (
            ("Default Ticket Form", active, True, True, [condition]),
            ("Billing", [*system, TICKET_FIELD_IDS["decimal"]], True, False, []),
            ("Legacy RMA", [*system, TICKET_FIELD_IDS["regexp"]], False, False, []),
        )
        for position, (name, field_ids, is_active, default, conditions) in enumerate(forms):
            form_id = self.config.take("ticket_forms")
            created, updated = self.when()
            self.config.put(
                "ticket_forms",
                {
                    "url": f"{API_BASE}/ticket_forms/{form_id}.json",
                    "id": form_id,
                    "name": name,
                    "raw_name": name,
                    "display_name": name,
                    "raw_display_name": name,
                    "end_user_visible": is_active,
                    "position": position,
                    "ticket_field_ids": field_ids,
                    "active": is_active,
                    "default": default,
                    "in_all_brands": default,
                    "restricted_brand_ids": [] if default else [BRAND_ID],
                    "agent_conditions": conditions,
                    "end_user_conditions": [],
                    "created_at": created,
                    "updated_at": updated,
                    "deleted_at": None,
                },
            )

    # -- account --------------------------------------------------------------------------------

    def brands(self) -> None:
        form_ids = [f["id"] for f in self.config.records("ticket_forms")]
        specs = (
            ("Sandbox Support", "sandbox", True, True, None),
            ("Sandbox Shop — Boutique", "sandbox-shop", True, False, "help.shop.example.com"),
            ("Legacy Brand", "sandbox-legacy", False, False, None),
        )
        for name, subdomain, active, default, host in specs:
            brand_id = self.config.take("brands")
            created, updated = self.when()
            self.config.put(
                "brands",
                {
                    "url": f"{API_BASE}/brands/{brand_id}.json",
                    "id": brand_id,
                    "name": name,
                    "brand_url": f"https://{subdomain}.zendesk.com",
                    "subdomain": subdomain,
                    "host_mapping": host,
                    "has_help_center": default,
                    "help_center_state": "enabled" if default else "disabled",
                    "active": active,
                    "default": default,
                    "is_deleted": False,
                    "logo": None,
                    "ticket_form_ids": form_ids if default else form_ids[:1],
                    "signature_template": "{{agent.signature}}",
                    "created_at": created,
                    "updated_at": updated,
                },
            )

    def business_rules(self) -> None:
        for number, title in enumerate(MACRO_TITLES):
            self.config.put("macros", self.macro(self.config.take("macros"), title, number))
        for number, title in enumerate(TRIGGER_TITLES):
            self.config.put("triggers", self._trigger(number, title))
        for number, (title, conditions, actions) in enumerate(AUTOMATIONS):
            automation_id = self.config.take("automations")
            created, updated = self.when()
            self.config.put(
                "automations",
                {
                    "url": f"{API_BASE}/automations/{automation_id}.json",
                    "id": automation_id,
                    "title": title,
                    "raw_title": title,
                    "active": number != len(AUTOMATIONS) - 1,
                    "default": number == 0,
                    "position": number + 1,
                    "conditions": conditions,
                    "actions": actions,
                    "created_at": created,
                    "updated_at": updated,
                },
            )
        for number, (title, conditions) in enumerate(VIEWS):
            self.config.put("views", self._view(number, title, conditions))

    def macro(self, macro_id: int, title: str, number: int) -> Record:
        """Return a macro: a few actions, sometimes restricted to a group."""
        rng = self.rng
        created, updated = self.when()
        actions: list[Record] = [
            {"field": "comment_value_html", "value": f"<p>{rng.choice(SENTENCES)}</p>"},
            {"field": "status", "value": rng.choice(("pending", "solved", "open"))},
        ]
        if rng.random() < 0.5:
            actions.append({"field": "current_tags", "value": "macro_applied billing"})
        if rng.random() < 0.4:
            actions.append(
                {"field": f"custom_fields_{TICKET_FIELD_IDS['tagger']}", "value": "tier_gold"}
            )
        restriction = None
        if rng.random() < 0.3:
            group_id = rng.choice(self.groups)
            restriction = {"type": "Group", "id": group_id, "ids": [group_id]}
        return {
            "url": f"{API_BASE}/macros/{macro_id}.json",
            "id": macro_id,
            "title": title,
            "raw_title": title,
            "description": rng.choice((None, "", "Use for first replies")),
            "active": number % 7 != 6,
            "default": False,
            "position": number + 1,
            "actions": actions,
            "restriction": restriction,
            "created_at": created,
            "updated_at": updated,
        }

    def _trigger(self, number: int, title: str) -> Record:
        rng = self.rng
        trigger_id = self.config.take("triggers")
        created, updated = self.when()
        group_id = rng.choice(self.groups)
        record: Record = {
            "url": f"{API_BASE}/triggers/{trigger_id}.json",
            "id": trigger_id,
            "title": title,
            "raw_title": title,
            "description": f"{title} — managed by the support ops team",
            "active": number % 5 != 4,
            "default": number < 2,
            "position": number + 1,
            "conditions": {
                "all": [
                    {"field": "update_type", "operator": "is", "value": "Create"},
                    {"field": "status", "operator": "is_not", "value": "solved"},
                ],
                "any": [
                    {
                        "field": "current_tags",
                        "operator": "includes",
                        "value": rng.choice(TAG_HINTS),
                    },
                    {"field": "priority", "operator": "is", "value": "urgent"},
                    {
                        "field": f"custom_fields_{TICKET_FIELD_IDS['checkbox']}",
                        "operator": "is",
                        "value": True,
                    },
                ],
            },
            "actions": [
                {"field": "group_id", "value": str(group_id)},
                {
                    "field": "notification_user",
                    "value": [
                        "requester_id",
                        f"[{{{{ticket.id}}}}] {title}",
                        "{{ticket.comments}}",
                    ],
                },
            ],
            "restriction": None,
            "category_id": str(360_000_890_001 + number % 3),
            "brand_id": BRAND_ID,
            "created_at": created,
            "updated_at": updated,
        }
        if record["default"]:
            # The oldest triggers still carry the deprecated top-level copies of their conditions.
            record["all"] = record["conditions"]["all"]
            record["any"] = record["conditions"]["any"]
        return record

    def _view(self, number: int, title: str, conditions: Record) -> Record:
        rng = self.rng
        view_id = self.config.take("views")
        created, updated = self.when()
        tagger = TICKET_FIELD_IDS["tagger"]
        columns: list[Record] = [
            {"id": "status", "title": "Status"},
            {"id": "subject", "title": "Subject"},
            {"id": "requester", "title": "Requester"},
            {"id": "updated", "title": "Updated"},
        ]
        if number % 2 == 0:
            columns.append(
                {
                    "id": tagger,
                    "title": "Customer tier",
                    "type": "tagger",
                    "url": f"{API_BASE}/ticket_fields/{tagger}.json",
                }
            )
        restriction = None
        if number >= len(VIEWS) - 2:
            owner = rng.choice(self.account.agent_ids)
            restriction = {"type": "User", "id": owner, "ids": [owner]}
        order = {"id": "updated", "title": "Updated", "order": "desc"}
        return {
            "url": f"{API_BASE}/views/{view_id}.json",
            "id": view_id,
            "title": title,
            "raw_title": title,
            "description": None,
            "active": number != len(VIEWS) - 1,
            "default": number < 3,
            "position": number + 1,
            "conditions": conditions,
            "restriction": restriction,
            "execution": {
                "group_by": "status",
                "group_order": "asc",
                "sort_by": "updated",
                "sort_order": "desc",
                "group": {"id": "status", "title": "Status", "order": "asc"},
                "sort": order,
                "columns": columns,
                "fields": columns,
                "custom_fields": [c for c in columns if isinstance(c["id"], int)],
            },
            "created_at": created,
            "updated_at": updated,
        }

    def sla_policies(self) -> None:
        for position, (title, priorities, first_reply) in enumerate(SLA_POLICIES, start=1):
            policy_id = self.config.take("sla_policies")
            created, updated = self.when()
            metrics = []
            for priority in priorities:
                for metric, minutes in (
                    ("first_reply_time", first_reply),
                    ("requester_wait_time", first_reply * 8),
                ):
                    metrics.append(
                        {
                            "priority": priority,
                            "metric": metric,
                            "target": minutes,
                            "target_in_seconds": minutes * 60,
                            "business_hours": metric == "requester_wait_time",
                        }
                    )
            self.config.put(
                "sla_policies",
                {
                    "url": f"{API_BASE}/slas/policies/{policy_id}.json",
                    "id": policy_id,
                    "title": title,
                    "description": f"{title}: first reply within {first_reply} minutes",
                    "position": position,
                    "filter": {
                        "all": [{"field": "type", "operator": "is_not", "value": "task"}],
                        "any": [
                            {"field": "priority", "operator": "is", "value": p} for p in priorities
                        ],
                    },
                    "policy_metrics": metrics,
                    "metric_settings": None,
                    "created_at": created,
                    "updated_at": updated,
                },
            )

    def custom_roles(self) -> None:
        users = self.account.users.rows
        for number, (name, role_type, access) in enumerate(CUSTOM_ROLES):
            role_id = self.config.take("custom_roles")
            created, updated = self.when()
            members = sum(
                1
                for user_id in self.account.agent_ids
                if users[user_id]["custom_role_id"] == role_id
            )
            self.config.put(
                "custom_roles",
                {
                    "id": role_id,
                    "name": name,
                    "description": f"{name} (managed by support ops)",
                    "role_type": role_type,
                    "team_member_count": members,
                    "configuration": {
                        "chat_access": number != 2,
                        "end_user_list_access": "full",
                        "end_user_profile_access": "readonly" if number == 2 else "edit",
                        "explore_access": "readonly",
                        "forum_access": "readonly",
                        "group_access": number == 0,
                        "light_agent": role_type == 1,
                        "macro_access": "full" if number == 0 else "readonly",
                        "manage_business_rules": number == 0,
                        "manage_ticket_fields": number == 0,
                        "report_access": "full" if number == 0 else "none",
                        "ticket_access": access,
                        "ticket_comment_access": "none" if role_type == 1 else "public",
                        "ticket_deletion": number == 0,
                        "ticket_editing": role_type != 1,
                        "ticket_merge": number == 0,
                        "user_view_access": "readonly",
                        "view_access": "full" if number == 0 else "playonly",
                        "view_deleted_tickets": number == 0,
                        "voice_access": number == 0,
                    },
                    "created_at": created,
                    "updated_at": updated,
                },
            )

    def schedules(self) -> None:
        rng = self.rng
        for name, zone, days, hours in SCHEDULES:
            schedule_id = self.config.take("schedules")
            created, updated = self.when()
            start, end = hours
            self.config.put(
                "schedules",
                {
                    "id": schedule_id,
                    "name": name,
                    "time_zone": zone,
                    "intervals": [
                        {"start_time": day * 1440 + start * 60, "end_time": day * 1440 + end * 60}
                        for day in days
                    ],
                    "created_at": created,
                    "updated_at": updated,
                },
            )
            holidays = []
            for holiday_name, month_day, length in rng.sample(HOLIDAYS, rng.randint(3, 5)):
                for year in (2025, 2026):
                    start_date = f"{year}-{month_day}"
                    last = int(start_date[-2:]) + length - 1
                    holidays.append(
                        {
                            "id": self.config.take("holidays"),
                            "name": holiday_name,
                            "start_date": start_date,
                            "end_date": f"{start_date[:-2]}{last:02d}",
                        }
                    )
            self.config.holidays[schedule_id] = holidays

    def satisfaction_reasons(self) -> None:
        reasons = [r for r in RATING_REASONS if r[0] is not None]
        for reason_id, code, value in reasons:
            self._reason(reason_id, code, value, deleted=False)
        self._reason(
            self.config.take("satisfaction_reasons"), 1001, "Prix trop élevé", deleted=True
        )

    def _reason(self, reason_id: int, code: int, value: str, *, deleted: bool) -> None:
        created, updated = self.when()
        self.config.put(
            "satisfaction_reasons",
            {
                "url": f"{API_BASE}/satisfaction_reasons/{reason_id}.json",
                "id": reason_id,
                "value": value,
                "raw_value": value,
                "reason_code": code,
                "created_at": created,
                "updated_at": updated,
                "deleted_at": updated if deleted else None,
            },
        )

    # -- lists that grow with the account ---------------------------------------------------

    def deleted_users(self, count: int) -> None:
        for _ in range(count):
            created = self.rng.randint(DATA_START, DATA_END - 30 * DAY)
            deleted = self.rng.randint(created + DAY, DATA_END)
            self.config.put("deleted_users", deleted_user(self.account, self.rng, created, deleted))

    def suspended_tickets(self, count: int) -> None:
        for _ in range(count):
            suspended = self.rng.randint(DATA_END - 14 * DAY, DATA_END)
            self.config.put(
                "suspended_tickets", suspended_ticket(self.account, self.rng, suspended)
            )

    def skips(self, count: int) -> None:
        account = self.account
        candidates = [
            t
            for t in account.tickets.ids
            if t not in account.archived and account.tickets.rows[t]["status"] != "deleted"
        ]
        for ticket_id in sorted(self.rng.sample(candidates, min(count, len(candidates)))):
            ticket = account.tickets.rows[ticket_id]
            created = int(ticket["generated_timestamp"])
            when = self.rng.randint(created - min(DAY, created - DATA_START), created)
            self.config.put("ticket_skips", ticket_skip(account, self.rng, ticket, when))

    def help_center(self, articles: int) -> None:
        config, rng = self.config, self.rng
        categories = []
        for position, name in enumerate(HC_CATEGORIES):
            category_id = config.take("categories")
            created, updated = self.when()
            categories.append(category_id)
            config.put(
                "categories",
                {
                    **_hc_common("categories", category_id, name, position, (created, updated)),
                    "name": name,
                    "description": f"Everything about {name.lower()}",
                },
            )
        sections = []
        for position, name in enumerate(HC_SECTIONS):
            section_id = config.take("sections")
            created, updated = self.when()
            parent = sections[0] if position == len(HC_SECTIONS) - 1 else None
            sections.append(section_id)
            config.put(
                "sections",
                {
                    **_hc_common("sections", section_id, name, position, (created, updated)),
                    "name": name,
                    "description": "",
                    "category_id": categories[position % len(categories)],
                    "parent_section_id": parent,
                    "theme_template": "section_page",
                    "sorting": "manual",
                },
            )
        for _ in range(articles):
            created = rng.randint(DATA_START, DATA_END - DAY)
            config.put(
                "articles",
                help_center_article(self.account, rng, created, rng.randint(created, DATA_END)),
            )


def _hc_common(
    family: str, record_id: int, name: str, position: int, when: tuple[str, str]
) -> Record:
    slug = name.lower().replace(" ", "-")
    return {
        "id": record_id,
        "url": f"https://sandbox.zendesk.com/api/v2/help_center/en-us/{family}/{record_id}.json",
        "html_url": f"{HC_BASE}/{family}/{record_id}-{slug}",
        "position": position,
        "locale": "en-us",
        "source_locale": "en-us",
        "outdated": False,
        "created_at": when[0],
        "updated_at": when[1],
    }


# -- record builders shared by generation and mutation -------------------------------------------


def deleted_user(account: SandboxAccount, rng: random.Random, created: int, deleted: int) -> Record:
    """Return a ``/deleted_users`` record; a fifth of them permanently deleted (scrubbed)."""
    user_id = account.config.take("deleted_users")
    number = user_id - ID_BASES["deleted_users"] + 1
    locale, locale_id = rng.choice(LOCALES)
    zone, _ = rng.choice(TIME_ZONES)
    scrubbed = rng.random() < 0.2
    organizations = account.organizations.ids
    return {
        "id": user_id,
        "url": f"{API_BASE}/deleted_users/{user_id}.json",
        "name": "Permanently Deleted User" if scrubbed else f"Former customer {number}",
        "email": None if scrubbed else f"deleted{number}@example.com",
        "phone": None if scrubbed or rng.random() < 0.7 else f"+1-555-010-{number % 10000:04d}",
        "shared_phone_number": None,
        "photo": None,
        "locale": locale,
        "locale_id": locale_id,
        "organization_id": rng.choice(organizations) if rng.random() < 0.5 else None,
        "role": "end-user",
        "time_zone": zone,
        "active": False,
        "created_at": iso(created),
        "updated_at": iso(deleted),
    }


def suspended_ticket(account: SandboxAccount, rng: random.Random, when: int) -> Record:
    """Return a suspended ticket; some are replies to an existing ticket (``ticket_id``)."""
    suspended_id = account.config.take("suspended_tickets")
    cause_id, cause = rng.choice(SUSPENSION_CAUSES)
    reply_to = rng.choice(account.tickets.ids) if rng.random() < 0.3 else None
    sender = f"sender{suspended_id % 100_000}@mail.example.net"
    token = f"{rng.getrandbits(48):012x}"
    return {
        "url": f"{API_BASE}/suspended_tickets/{suspended_id}.json",
        "id": suspended_id,
        "ticket_id": reply_to,
        "brand_id": BRAND_ID,
        "subject": rng.choice(SUBJECTS) if cause_id != 0 else "WIN A FREE CRUISE!!!",
        "content": rng.choice(SENTENCES),
        "recipient": SUPPORT_ADDRESS,
        "message_id": f"<{token}@mail.example.net>",
        "cause": cause,
        "cause_id": cause_id,
        "author": {"id": None, "name": "Unknown sender", "email": sender},
        "via": {
            "channel": "email",
            "source": {
                "from": {"address": sender, "name": "Unknown sender"},
                "to": {"address": SUPPORT_ADDRESS, "name": "Sandbox Support"},
                "rel": None,
            },
        },
        "attachments": [],
        "error_messages": None,
        "created_at": iso(when),
        "updated_at": iso(when),
    }


def ticket_skip(account: SandboxAccount, rng: random.Random, ticket: Record, when: int) -> Record:
    """Return a skip of ``ticket`` by an agent, carrying the ticket as it was then."""
    skip_id = account.config.take("ticket_skips")
    return {
        "id": skip_id,
        "ticket_id": ticket["id"],
        "user_id": rng.choice(account.agent_ids),
        "reason": rng.choice(SKIP_REASONS),
        "created_at": iso(when),
        "updated_at": iso(when),
        "ticket": ticket,
    }


def help_center_article(
    account: SandboxAccount, rng: random.Random, created: int, updated: int
) -> Record:
    """Return a Help Center article in one of the sections."""
    article_id = account.config.take("articles")
    title = rng.choice(ARTICLE_TITLES)
    slug = title.lower().replace(" ", "-")
    sections = account.config.tables["sections"].ids
    body = "".join(f"<p>{rng.choice(SENTENCES)}</p>" for _ in range(rng.randint(1, 4)))
    return {
        "id": article_id,
        "url": f"https://sandbox.zendesk.com/api/v2/help_center/en-us/articles/{article_id}.json",
        "html_url": f"{HC_BASE}/articles/{article_id}-{slug}",
        "position": 0,
        "locale": "en-us",
        "source_locale": "en-us",
        "outdated": False,
        "created_at": iso(created),
        "updated_at": iso(updated),
        "edited_at": iso(updated),
        "title": title,
        "body": body,
        "author_id": rng.choice(account.agent_ids),
        "section_id": rng.choice(sections),
        "permission_group_id": 360_000_880_001,
        "user_segment_id": None if rng.random() < 0.8 else 360_000_870_001,
        "user_segment_ids": [],
        "content_tag_ids": [],
        "label_names": rng.sample(("billing", "login", "mobile", "api", "faq"), rng.randint(0, 2)),
        "outdated_locales": [],
        "comments_disabled": rng.random() < 0.3,
        "draft": rng.random() < 0.1,
        "promoted": rng.random() < 0.05,
        "vote_count": rng.randint(0, 40),
        "vote_sum": rng.randint(-5, 30),
    }


# -- mutation -----------------------------------------------------------------------------------


def mutate(
    account: SandboxAccount,
    rng: random.Random,
    stamp: int,
    changed: dict[str, set[Any]],
) -> None:
    """Change the configuration as an admin would between two syncs, at ``stamp``.

    Updates a macro, deletes a trigger (it vanishes from the list), renames a ticket field,
    adds a deleted user, a suspended ticket and a skip (and recovers one suspended ticket),
    edits and publishes an article; tag counts follow the tickets. Records what changed in
    ``changed`` (tickets deleted by the batch are already there under ``deleted_tickets``).
    """
    config = account.config
    when = iso(stamp)

    macros = config.tables["macros"]
    macro = macros.rows[rng.choice(macros.ids)]
    config.put("macros", {**macro, "title": f"{macro['title']} (v{stamp})", "updated_at": when})
    changed["macros"].add(macro["id"])

    triggers = config.tables["triggers"]
    if len(triggers) > 1:
        triggers.remove(rng.choice(triggers.ids[1:]))

    fields = config.tables["ticket_fields"]
    custom = [i for i in fields.ids if fields.rows[i]["type"] in CUSTOM_TYPES]
    renamed = fields.rows[rng.choice(custom)]
    title = f"{renamed['title'].split(' (')[0]} (renamed {stamp})"
    config.put(
        "ticket_fields",
        {
            **renamed,
            "title": title,
            "raw_title": title,
            "title_in_portal": title,
            "raw_title_in_portal": title,
            "updated_at": when,
        },
    )
    changed["ticket_fields"].add(renamed["id"])

    user = deleted_user(account, rng, stamp - 30 * DAY, stamp)
    config.put("deleted_users", user)
    changed["deleted_users"].add(user["id"])

    suspended = config.tables["suspended_tickets"]
    if len(suspended) > 1:
        suspended.remove(rng.choice(suspended.ids))  # recovered: it became a ticket
    new_suspended = suspended_ticket(account, rng, stamp)
    config.put("suspended_tickets", new_suspended)
    changed["suspended_tickets"].add(new_suspended["id"])

    live = [
        t
        for t in account.tickets.ids[-500:]
        if t not in account.archived and account.tickets.rows[t]["status"] != "deleted"
    ]
    if live:
        skip = ticket_skip(account, rng, account.tickets.rows[rng.choice(live)], stamp)
        config.put("ticket_skips", skip)
        changed["ticket_skips"].add(skip["id"])

    articles = config.tables["articles"]
    edited = articles.rows[rng.choice(articles.ids)]
    config.put(
        "articles",
        {
            **edited,
            "body": f"{edited['body']}<p>Updated.</p>",
            "updated_at": when,
            "edited_at": when,
        },
    )
    published = help_center_article(account, rng, stamp, stamp)
    config.put("articles", published)
    changed["articles"].update((edited["id"], published["id"]))

    counts = tag_counts(account)
    changed["tags"].update(
        name
        for name in counts.keys() | config.tag_counts.keys()
        if counts[name] != config.tag_counts[name]
    )
    config.tag_counts = counts
