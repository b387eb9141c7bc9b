"""Builders of Zendesk-shaped records (reference §6), driven by one ``random.Random``.

Factories only make dicts; :mod:`tap_zendesk.sandbox.data` decides when and how many. Small
sub-objects that never change (``via`` of web tickets, comment ``metadata``) are shared between
records to keep memory low, so records must be treated as immutable: the account replaces a
record instead of editing it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import quote

Record = dict[str, Any]

API_BASE = "https://sandbox.zendesk.com/api/v2"
SUPPORT_ADDRESS = "support@sandbox.zendesk.com"
ATTACHMENT_HOST = "https://sandbox.zdusercontent.example"

DATA_START = 1704067200  # 2024-01-01T00:00:00Z
DATA_END = 1767225599  # 2025-12-31T23:59:59Z

BRAND_ID = 360000000101
TICKET_FORM_ID = 360000000201
TICKET_FORM_IDS = (TICKET_FORM_ID, 360000000202)
"""Ticket forms; generated tickets end on the first, some start on the other (a form change)."""
CUSTOM_STATUS_IDS = {
    "new": 360000000301,
    "open": 360000000302,
    "pending": 360000000303,
    "hold": 360000000304,
    "solved": 360000000305,
    "closed": 360000000305,
}

# First id of each id sequence; all lie between 2^32 and 2^53 like real Zendesk ids. Audits and
# comments share one sequence, as they do in Zendesk (a comment is a child event of its audit).
ID_BASES = {
    "groups": 360_000_010_000,
    "organizations": 361_000_000_000,
    "users": 362_000_000_000,
    "group_memberships": 363_000_000_000,
    "organization_memberships": 364_000_000_000,
    "metric_sets": 365_000_000_000,
    "satisfaction_ratings": 366_000_000_000,
    "events": 367_000_000_000,
    "attachments": 368_000_000_000,
    "identities": 369_000_000_000,
}

TICKET_FIELD_IDS = {
    "text": 360_000_500_001,
    "textarea": 360_000_500_002,
    "integer": 360_000_500_003,
    "decimal": 360_000_500_004,
    "checkbox": 360_000_500_005,
    "multiselect": 360_000_500_006,
    "tagger": 360_000_500_007,
    "date": 360_000_500_008,
    "regexp": 360_000_500_009,
    "lookup": 360_000_500_010,
    "unused": 360_000_500_011,
}

VIA_NAMES = {
    "web": "Web form",
    "email": "Mail",
    "api": "Web service",
    "mobile": "Mobile",
    "web_widget": "Web Widget",
    "rule": "Rule",
    "voice": "Voice",
}

FIRST_NAMES = (
    "José", "Zoë", "Ólafur", "Søren", "Björn", "Chloé", "Ana", "Mateo", "Yuki", "Zoltán",
    "Émilie", "Łukasz", "Aarav", "Fatima", "Oğuz", "Maria", "Liam", "Noah", "Amélie", "Jürgen",
    "Siobhán", "Ngọc", "Hana", "Kwame", "Ingrid", "陈伟", "李娜", "佐藤", "김민준", "Олег",
)  # fmt: skip
LAST_NAMES = (
    "García", "Müller", "Nguyễn", "O'Brien", "Kowalski", "Dubois", "Rossi", "Silva", "Tanaka",
    "Smith", "Johansson", "Öztürk", "Novák", "Fernández", "Schäfer", "Lefèvre", "Andersen",
    "Kim", "Okafor", "Petrović", "王", "山田", "Иванов", "Haddad",
)  # fmt: skip
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Nordisk", "Société",
    "Kōgyō", "Zürich", "Café", "Björk", "東京", "Müller", "Pixel", "Quantum", "Blue", "Ørsted",
)  # fmt: skip
COMPANY_SUFFIXES = ("GmbH", "Ltd", "Inc.", "S.A.", "AB", "株式会社", "SARL", "LLC", "Oy")
SUBJECTS = (
    "Can't log in to my account",
    "Impossible de me connecter — erreur 403",
    "Rechnung für März fehlt",
    "注文した商品が届きません",
    "Refund request 💸",
    "App crashes on launch 🐛",
    "账户被锁定，无法登录",  # noqa: RUF001 - deliberate non-ASCII test data
    "Ödeme başarısız oldu",  # noqa: RUF001 - deliberate non-ASCII test data
    "Problema con la facturación",
    "Wrong shipping address",
    "Feature request: dark mode 🌙",
    "Password reset email never arrives",
    "Доставка задерживается",
    "Cancel my subscription",
    "Export to CSV is broken",
    "Question about the Enterprise plan",
    "Integration with Slack stopped working",
    "Facture en double ✌️",
    "Two-factor codes rejected",
    "Kann meine Adresse nicht ändern",
)
SENTENCES = (
    "Hi there, I have been trying since yesterday without success.",
    "Bonjour, j'ai un problème avec ma commande n° 4521 — merci de vérifier.",
    "Grüße aus München! Die Rechnung enthält einen Fehler.",
    "ご確認のほどよろしくお願いいたします。",
    "请尽快帮我处理，谢谢！",  # noqa: RUF001 - deliberate non-ASCII test data
    "Thanks for the quick reply 🙏",
    "I attached a screenshot of the error message.",
    "Could you please escalate this? It blocks our whole team 😬",
    "We restarted the device and the issue persists.",
    "Gracias por su ayuda, quedo atento.",
    "Merci, ça fonctionne maintenant ✅",
    "Internal note: customer is on the legacy plan, check billing first.",
    "The error code is E-1042 and appears after login.",
    "Спасибо, всё работает.",
    "Following up on this — any news?",
)
TAGS = (
    "billing", "login", "bug", "vip", "refund", "shipping", "feature_request", "mobile", "api",
    "urgent", "churn_risk", "enterprise", "onboarding", "sla", "csat",
)  # fmt: skip
MULTISELECT_OPTIONS = ("product_web", "product_mobile", "product_api", "region_eu", "region_us")
TAGGER_OPTIONS = ("tier_gold", "tier_silver", "tier_bronze")
TIME_ZONES = (
    ("Eastern Time (US & Canada)", "America/New_York"),
    ("Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("Paris", "Europe/Paris"),
    ("Tokyo", "Asia/Tokyo"),
    ("Beijing", "Asia/Shanghai"),
    ("Brasilia", "America/Sao_Paulo"),
)
LOCALES = (("en-US", 1), ("fr", 16), ("de", 8), ("ja", 67), ("zh-cn", 10), ("es", 2))
RATING_REASONS = (
    (None, 0, "No reason provided"),
    (360_000_700_001, 5, "The issue took too long to resolve"),
    (360_000_700_002, 6, "The issue was not resolved"),
    (360_000_700_003, 7, "The agent's knowledge is unsatisfactory"),
    (360_000_700_004, 8, "The agent's attitude is unsatisfactory"),
    (360_000_700_005, 100, "Some other reason"),
)
ATTACHMENT_FILES = (
    ("screenshot.png", "image/png", True),
    ("スクリーンショット.png", "image/png", True),
    ("Rechnung_März.pdf", "application/pdf", False),
    ("logs.txt", "text/plain", False),
    ("photo café.jpg", "image/jpeg", True),
)
SYSTEMS = (
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0", "203.0.113.17", "Paris, France"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Safari/605.1", "198.51.100.4", "Berlin, DE"),
    ("Zendesk Mobile/6.1 (iPhone; iOS 17.2)", "192.0.2.88", "Tokyo, 13, Japan"),
    ("Faraday v2.7.11", "203.0.113.200", "Dublin, Ireland"),
)


NOT_REACHED: Record = {"calendar": None, "business": None}
"""Shared value of a metric not reached yet (records are never edited in place)."""


def iso(ts: int) -> str:
    """Format epoch seconds as Zendesk's ISO 8601 UTC timestamp."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def epoch(value: str) -> int:
    """Parse a Zendesk ISO 8601 UTC timestamp into epoch seconds."""
    return int(datetime.fromisoformat(value).timestamp())


@dataclass
class IdSequences:
    """Next id per sequence; tickets count from 1, the rest from :data:`ID_BASES`."""

    next_ids: dict[str, int] = field(default_factory=lambda: {"tickets": 1, **ID_BASES})

    def take(self, sequence: str) -> int:
        """Return the next id of ``sequence``."""
        value = self.next_ids[sequence]
        self.next_ids[sequence] = value + 1
        return value

    def take_many(self, sequence: str, count: int) -> int:
        """Reserve ``count`` consecutive ids of ``sequence``; return the first."""
        value = self.next_ids[sequence]
        self.next_ids[sequence] = value + count
        return value


class FieldChange(NamedTuple):
    """One ``Create`` or ``Change`` child: ``field`` is an attribute name or a custom field id."""

    event_type: str
    id: int
    field: str | int
    value: Any
    previous_value: Any = None

    def render(self, via: str) -> Record:
        """Render as a ticket-events child (zendesk-api-more §8): the field's own name as key."""
        event: Record = {"id": self.id, "via": via, "via_reference_id": None}
        name, value, previous = self.field, self.value, self.previous_value
        if isinstance(name, int):
            event["custom_ticket_fields"] = {str(name): value}
        else:
            event[name] = value
        if name == "tags":
            before = set(previous or ())
            event["added_tags"] = sorted(set(value) - before)
            event["removed_tags"] = sorted(before - set(value))
        event["event_type"] = self.event_type
        if self.event_type == "Change":
            event["previous_value"] = previous
        return event


@dataclass(frozen=True, slots=True)
class CreateSet:
    """A ticket's creation children, ids ``first_id`` onwards (one object instead of ~20).

    ``fields`` tuples are shared between tickets, so a ticket's creation costs one small object
    and one tuple of values.
    """

    first_id: int
    fields: tuple[str | int, ...]
    values: tuple[Any, ...]

    def changes(self) -> Iterator[FieldChange]:
        """Yield one ``Create`` child per property set, in order."""
        for offset, (name, value) in enumerate(zip(self.fields, self.values, strict=True)):
            yield FieldChange("Create", self.first_id + offset, name, value)


Child = tuple[Any, ...] | FieldChange | CreateSet
"""An audit child: ``("Comment", comment)``, ``(event_type, id, fields)``, or a field change."""


@dataclass(slots=True)
class Audit:
    """One ticket update as the ticket-events export sees it (built into JSON on demand).

    ``children`` holds ``("Comment", comment)`` tuples, field changes (:class:`FieldChange`,
    :class:`CreateSet`) and other events as ``(event_type, id, fields)`` tuples such as
    ``("Notification", id, {"subject": ..., "body": ..., "recipients": [...]})``. An audit that
    adds a comment shares the comment's ``metadata`` object, as in Zendesk.
    """

    id: int
    ticket_id: int
    timestamp: int
    author_id: int | None
    via: Record
    metadata: Record
    children: list[Child]
    merged_ticket_ids: list[int] | None = None
    """Tickets merged into this one by this update (the key is served only on merges)."""

    @property
    def updater_id(self) -> int:
        """The ``updater_id`` of the export: the author, or -1 for system updates."""
        return self.author_id if self.author_id is not None else -1

    def field_changes(self) -> Iterator[FieldChange]:
        """Yield the audit's ``Create``/``Change`` children in order."""
        for child in self.children:
            if isinstance(child, CreateSet):
                yield from child.changes()
            elif isinstance(child, FieldChange):
                yield child

    def to_event(self, *, comment_events: bool) -> Record:
        """Render as a ``ticket_events`` item (``via`` is a string there, reference §6.19).

        Non-comment children carry the via name as a string (observed); comments keep their
        ``via`` object, as the docs' ``comment_events`` example shows.
        """
        channel = self.via["channel"]
        via_name = VIA_NAMES.get(channel, str(channel))
        children: list[Record] = []
        for child in self.children:
            if isinstance(child, CreateSet):
                children.extend(change.render(via_name) for change in child.changes())
            elif isinstance(child, FieldChange):
                children.append(child.render(via_name))
            elif child[0] == "Comment":
                children.append(_comment_child(child[1], comment_events=comment_events))
            else:
                kind, child_id, fields = child
                children.append(
                    {
                        "id": child_id,
                        "via": via_name,
                        "via_reference_id": None,
                        **fields,
                        "event_type": kind,
                    }
                )
        event = {
            "id": self.id,
            "ticket_id": self.ticket_id,
            "timestamp": self.timestamp,
            "created_at": iso(self.timestamp),
            "updater_id": self.updater_id,
            "via": via_name,
            "system": self.metadata["system"],
            "metadata": self.metadata,
            "event_type": "Audit",
            "child_events": children,
        }
        if self.merged_ticket_ids is not None:
            event["merged_ticket_ids"] = self.merged_ticket_ids
        return event


class Identity(NamedTuple):
    """One user identity (zendesk-api-more §6), stored as a tuple and rendered when served."""

    id: int
    user_id: int
    type: str
    value: str
    primary: bool
    verified: bool
    created: int
    updated: int

    def to_record(self) -> Record:
        """Return the identity as the API serves it; only email identities carry deliverability."""
        record: Record = {
            "url": f"{API_BASE}/users/{self.user_id}/identities/{self.id}.json",
            "id": self.id,
            "user_id": self.user_id,
            "type": self.type,
            "value": self.value,
            "verified": self.verified,
            "primary": self.primary,
            "verification_method": "full" if self.verified else "none",
            "verified_at": iso(self.created) if self.verified else None,
            "created_at": iso(self.created),
            "updated_at": iso(self.updated),
            "undeliverable_count": 0,
        }
        if self.type == "email":
            record["deliverable_state"] = "deliverable"
        return record


def _comment_child(comment: Record, *, comment_events: bool) -> Record:
    """Render a comment child; its event_type is the comment's type (Comment, VoiceComment)."""
    if not comment_events:
        return {
            "id": comment["id"],
            "via": comment["via"],
            "via_reference_id": None,
            "comment_present": True,
            "comment_public": comment["public"],
            "event_type": comment["type"],
        }
    event = {
        "id": comment["id"],
        "via": comment["via"],
        "via_reference_id": None,
        "type": comment["type"],
        "author_id": comment["author_id"],
        "body": comment["body"],
        "html_body": comment["html_body"],
        "plain_body": comment["plain_body"],
        "public": comment["public"],
        "attachments": comment["attachments"],
        "audit_id": comment["audit_id"],
        "created_at": comment["created_at"],
        "event_type": comment["type"],
    }
    if "data" in comment:
        event["data"] = comment["data"]
    return event


class RecordFactory:
    """Makes records of every kind from one random stream and one set of id sequences."""

    def __init__(self, rng: random.Random, ids: IdSequences) -> None:
        self.rng = rng
        self.ids = ids
        self._plain_via = {
            channel: {"channel": channel, "source": {"from": {}, "to": {}, "rel": rel}}
            for channel, rel in (("web", None), ("api", None), ("mobile", None))
        }
        self._plain_via["web_widget"] = {
            "channel": "web_widget",
            "source": {"from": {}, "to": {}, "rel": "web_widget"},
        }
        self._systems = [
            {
                "client": client,
                "ip_address": ip,
                "location": location,
                "latitude": round(35 + i * 4.25, 4),
                "longitude": round(2.35 + i * 30.5, 4),
            }
            for i, (client, ip, location) in enumerate(SYSTEMS)
        ]
        self._metadata = [{"system": s, "custom": {}} for s in self._systems]
        # Some comments are flagged (e.g. sent by an unverified address), as §6.9 shows.
        self._flagged_metadata = [
            {
                "system": s,
                "custom": {},
                "flags": [11],
                "flags_options": {"11": {"trusted": False}},
                "trusted": False,
                "notifications_suppressed_for": [],
            }
            for s in self._systems
        ]
        self._bodies: dict[str, str] = {}
        self._html: dict[str, str] = {}
        self._field_values: dict[tuple[int, Any], Record] = {}

    # -- small pieces ---------------------------------------------------------------------

    def between(self, low: int, high: int) -> int:
        """Return a random epoch second in ``[low, high]``."""
        return self.rng.randint(low, max(low, high))

    def person_name(self) -> str:
        """Return a name with accents, CJK or Cyrillic now and then."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def metadata(self, channel: str = "web") -> Record:
        """Return an audit/comment ``metadata`` object; email ones identify their message."""
        rng = self.rng
        if channel == "email":
            token = f"{rng.getrandbits(64):016x}"
            system = {
                **rng.choice(self._systems),
                "message_id": f"<{token}@mail.example.com>",
                "raw_email_identifier": f"{token[:6]}/{token}.eml",
                "json_email_identifier": f"{token[:6]}/{token}.json",
            }
            return {"system": system, "custom": {}}
        if rng.random() < 0.05:
            return rng.choice(self._flagged_metadata)
        return rng.choice(self._metadata)

    def via(self, channel: str, user: Record | None = None) -> Record:
        """Return a ``via`` object (§6.20) for ``channel``; email carries from/to addresses."""
        if channel == "email" and user is not None:
            return {
                "channel": "email",
                "source": {
                    "from": {"address": user["email"], "name": user["name"]},
                    "to": {"address": SUPPORT_ADDRESS, "name": "Sandbox Support"},
                    "rel": None,
                },
            }
        if channel == "rule":
            return {
                "channel": "rule",
                "source": {
                    "from": {"id": 360_000_800_001, "title": "Close solved tickets after 4 days"},
                    "to": {},
                    "rel": "automation",
                },
            }
        return self._plain_via.get(channel, self._plain_via["web"])

    def attachment(self) -> Record:
        """Return an attachment whose ``content_url`` is on another host (§6.20)."""
        rng = self.rng
        attachment_id = self.ids.take("attachments")
        file_name, content_type, image = rng.choice(ATTACHMENT_FILES)
        token = f"{attachment_id:x}{rng.getrandbits(40):010x}"
        name = quote(file_name)
        content = f"{ATTACHMENT_HOST}/attachments/token/{token}"
        mapped = f"https://sandbox.zendesk.com/attachments/token/{token}"
        width, height = (
            (rng.choice((640, 1280, 1920)), rng.choice((480, 720, 1080))) if image else (None, None)
        )
        thumbnails = []
        if image:
            thumbnails.append(
                {
                    "id": attachment_id + 500_000_000,
                    "url": f"{API_BASE}/attachments/{attachment_id + 500_000_000}.json",
                    "file_name": f"thumb_{file_name}",
                    "content_url": f"{content}t/?name=thumb_{name}",
                    "mapped_content_url": f"{mapped}t/?name=thumb_{name}",
                    "content_type": content_type,
                    "size": rng.randint(2_000, 9_000),
                    "width": 80,
                    "height": 60,
                    "inline": False,
                    "deleted": False,
                    "malware_access_override": False,
                    "malware_scan_result": "malware_not_found",
                    "thumbnails": [],
                }
            )
        return {
            "id": attachment_id,
            "url": f"{API_BASE}/attachments/{attachment_id}.json",
            "file_name": file_name,
            "content_url": f"{content}/?name={name}",
            "mapped_content_url": f"{mapped}/?name={name}",
            "content_type": content_type,
            "size": rng.randint(1_000, 5_000_000),
            "width": width,
            "height": height,
            "inline": image and rng.random() < 0.2,
            "deleted": False,
            "malware_access_override": False,
            "malware_scan_result": "malware_not_found",
            "thumbnails": thumbnails,
        }

    def ticket_custom_fields(self) -> list[Record]:
        """Return ticket ``custom_fields`` with a value of every field type (§6.17)."""
        rng = self.rng
        values: dict[str, Any] = {
            "text": rng.choice(("Order #A-1042", "Référence client — 7731", "顧客番号 4411", "")),
            "textarea": rng.choice(SENTENCES),
            "integer": rng.randint(-5, 5000),
            "decimal": round(rng.uniform(0, 999), 2),
            "checkbox": rng.random() < 0.5,
            "multiselect": rng.sample(MULTISELECT_OPTIONS, rng.randint(0, 3)),
            "tagger": rng.choice(TAGGER_OPTIONS),
            "date": iso(self.between(DATA_START, DATA_END))[:10],
            "regexp": f"SKU-{rng.randint(1000, 9999)}",
            "lookup": rng.randint(1, 5000),
            "unused": None,
        }
        # The messy JSON real accounts hold (§6.17), chosen from the integer value so that no
        # extra random draw shifts the rest of the generated account: numbers as strings,
        # decimals as integers, checkboxes as strings, a number in a text field, options
        # deleted since they were set, an inactive field keeping its old values, and in every
        # 50th ticket an integer field holding text that no type fits.
        self._custom_fields_made = getattr(self, "_custom_fields_made", 0) + 1
        unfit = self._custom_fields_made % 50 == 0
        n = values["integer"]
        if unfit:
            values["integer"] = f"{n} units"
        elif n % 3 == 0:
            values["integer"] = str(n)
        if n % 5 == 1:
            values["decimal"] = f"{values['decimal']:.2f}"
        elif n % 5 == 2:
            values["decimal"] = int(values["decimal"])
        if n % 4 == 1:
            values["checkbox"] = "true" if values["checkbox"] else "false"
        if n % 6 == 5:
            values["lookup"] = str(values["lookup"])
        if n % 25 == 4:
            values["text"] = n
        if n % 40 == 3:
            values["tagger"] = "tier_platinum"  # an option deleted since
        if n % 40 == 5:
            values["multiselect"] = [*values["multiselect"], "product_legacy"]  # deleted too
        if n % 10 == 3:
            values["unused"] = f"XXXXXXXXXXXX{n % 10_000:04d}"  # the inactive card field
        fields = []
        cache = self._field_values
        for kind, field_id in TICKET_FIELD_IDS.items():
            kept = kind == "unused" or rng.random() > 0.15 or (kind == "integer" and unfit)
            value = values[kind] if kept else None
            # The type is part of the key: 12 and "12", 12 and 12.0 are different values here.
            frozen = tuple(value) if isinstance(value, list) else value
            key = (field_id, (type(value).__name__, frozen))
            entry = cache.get(key)
            if entry is None:
                entry = cache[key] = {"id": field_id, "value": value}
            fields.append(entry)
        return fields

    # -- accounts, people, groups ---------------------------------------------------------

    def group(self, number: int, created: int, updated: int, *, deleted: bool = False) -> Record:
        """Return a group (§6.4)."""
        group_id = self.ids.take("groups")
        team = self.rng.choice(
            ("Support", "Billing", "Escalations", "Tier 2", "Équipe FR", "サポート")
        )
        return {
            "url": f"{API_BASE}/groups/{group_id}.json",
            "id": group_id,
            "is_public": self.rng.random() < 0.9,
            "name": f"{team} {number}",
            "description": f"Handles {team.lower()} requests — queue {number}",
            "default": number == 1,
            "deleted": deleted,
            "created_at": iso(created),
            "updated_at": iso(updated),
        }

    def organization(self, created: int, updated: int, group_ids: list[int]) -> Record:
        """Return an organization (§6.3) with ``organization_fields`` of mixed types."""
        rng = self.rng
        org_id = self.ids.take("organizations")
        word = rng.choice(COMPANY_WORDS)
        name = f"{word} {rng.choice(COMPANY_SUFFIXES)} {org_id - ID_BASES['organizations'] + 1}"
        slug = f"org{org_id - ID_BASES['organizations'] + 1}"
        return {
            "url": f"{API_BASE}/organizations/{org_id}.json",
            "id": org_id,
            "name": name,
            "shared_tickets": rng.random() < 0.3,
            "shared_comments": rng.random() < 0.2,
            "external_id": f"CRM-{org_id % 1_000_000:06d}" if rng.random() < 0.6 else None,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "domain_names": [f"{slug}.example.com"]
            + ([f"{slug}.example.org"] if rng.random() < 0.2 else []),
            "details": rng.choice((None, "Key account", "Siège à Paris", "本社 東京")),
            "notes": rng.choice((None, "", "Renewal in Q3 📈")),
            "group_id": rng.choice(group_ids) if group_ids and rng.random() < 0.3 else None,
            "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "organization_fields": {
                "account_tier": rng.choice(("gold", "silver", "bronze", None)),
                "seats": rng.randint(1, 500),
                "arr": round(rng.uniform(1_000, 250_000), 2),
                "is_partner": rng.random() < 0.1,
                "renewal_date": f"{iso(self.between(DATA_START, DATA_END))[:10]}T00:00:00+00:00",
                "regions": rng.sample(("emea", "amer", "apac"), rng.randint(0, 2)),
                "notes": None,
            },
            "deleted_at": None,
        }

    def user(
        self,
        created: int,
        updated: int,
        *,
        role: str,
        organization_id: int | None,
        default_group_id: int | None = None,
        email: str | None = None,
        active: bool = True,
    ) -> Record:
        """Return a user (§6.2); agents and admins get agent-only settings."""
        rng = self.rng
        user_id = self.ids.take("users")
        number = user_id - ID_BASES["users"] + 1
        name = self.person_name()
        zone, iana = rng.choice(TIME_ZONES)
        locale, locale_id = rng.choice(LOCALES)
        staff = role != "end-user"
        photo = None
        if rng.random() < 0.15:
            photo = self.attachment()
        return {
            "id": user_id,
            "url": f"{API_BASE}/users/{user_id}.json",
            "name": name,
            "email": email or f"user{number}@example.com",
            "created_at": iso(created),
            "updated_at": iso(updated),
            "time_zone": zone,
            "iana_time_zone": iana,
            "phone": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
            if rng.random() < 0.3
            else None,
            "shared_phone_number": False if rng.random() < 0.3 else None,
            "photo": photo,
            "locale_id": locale_id,
            "locale": locale,
            "organization_id": organization_id,
            "role": role,
            "verified": rng.random() < 0.8,
            "external_id": f"ext-{number}" if rng.random() < 0.4 else None,
            "tags": rng.sample(TAGS, rng.randint(0, 2)),
            "alias": rng.choice(("", "", None, "Sam ✨")),
            "active": active,
            "shared": False,
            "shared_agent": False,
            "last_login_at": iso(self.between(created, updated))
            if staff or rng.random() < 0.5
            else None,
            "two_factor_auth_enabled": (rng.random() < 0.7) if staff else None,
            "signature": f"— {name}" if staff else None,
            "details": rng.choice(("", None, "Prefers email", "Parle français")),
            "notes": rng.choice(("", None, "VIP customer 🌟")),
            "role_type": 4 if role == "admin" else (0 if staff and rng.random() < 0.2 else None),
            "custom_role_id": 360_000_600_001 if staff else None,
            "moderator": staff,
            "ticket_restriction": None if staff else "requested",
            "only_private_comments": False,
            "restricted_agent": False,
            "suspended": False,
            "chat_only": False,
            "default_group_id": default_group_id,
            "report_csv": role == "admin",
            "user_fields": {
                "plan": rng.choice(("free", "pro", "enterprise", None)),
                "lifetime_orders": rng.randint(0, 300),
                "nps_score": round(rng.uniform(0, 10), 1),
                "newsletter": rng.random() < 0.5,
                "birthday": f"{iso(self.between(DATA_START - 900_000_000, DATA_START))[:10]}"
                "T00:00:00Z",
                "interests": rng.sample(("hardware", "software", "services"), rng.randint(0, 2)),
                "nickname": None,
            },
            "permanently_deleted": False,
        }

    def group_membership(
        self, user_id: int, group_id: int, created: int, updated: int | None, *, default: bool
    ) -> Record:
        """Return a group membership (§6.5); ``updated=None`` gives a null ``updated_at``."""
        membership_id = self.ids.take("group_memberships")
        return {
            "url": f"{API_BASE}/group_memberships/{membership_id}.json",
            "id": membership_id,
            "user_id": user_id,
            "group_id": group_id,
            "default": default,
            "created_at": iso(created),
            "updated_at": iso(updated) if updated is not None else None,
        }

    def organization_membership(
        self, user: Record, organization: Record, created: int, *, default: bool
    ) -> Record:
        """Return an organization membership (§6.6); non-default ones carry ``default: null``."""
        membership_id = self.ids.take("organization_memberships")
        return {
            "url": f"{API_BASE}/organization_memberships/{membership_id}.json",
            "id": membership_id,
            "user_id": user["id"],
            "organization_id": organization["id"],
            "default": True if default else None,
            "created_at": iso(created),
            "organization_name": organization["name"],
            "updated_at": iso(created),
            "view_tickets": self.rng.random() < 0.7,
        }

    def identities(self, user: Record) -> tuple[Identity, ...]:
        """Return a user's 1-3 identities: the primary email, sometimes a phone and a Twitter."""
        rng = self.rng
        created, updated = epoch(user["created_at"]), epoch(user["updated_at"])
        user_id = user["id"]
        found = [
            Identity(
                self.ids.take("identities"),
                user_id,
                "email",
                user["email"],
                True,  # noqa: FBT003 - a NamedTuple field
                user["verified"],
                created,
                self.between(created, updated),
            )
        ]
        if user["phone"] is not None and rng.random() < 0.7:
            found.append(
                Identity(
                    self.ids.take("identities"),
                    user_id,
                    "phone_number",
                    user["phone"],
                    False,  # noqa: FBT003 - a NamedTuple field
                    rng.random() < 0.5,
                    at := self.between(created, updated),
                    at,
                )
            )
        if rng.random() < 0.1:
            handle = f"@{user['email'].split('@')[0]}_{rng.randint(10, 99)}"
            found.append(
                Identity(
                    self.ids.take("identities"),
                    user_id,
                    "twitter",
                    handle,
                    False,  # noqa: FBT003 - a NamedTuple field
                    True,  # noqa: FBT003 - a NamedTuple field
                    at := self.between(created, updated),
                    at,
                )
            )
        return tuple(found)

    # -- tickets and what hangs off them --------------------------------------------------

    def comment(
        self,
        *,
        audit_id: int,
        author: Record,
        created: int,
        public: bool,
        via: Record,
        body: str | None = None,
    ) -> Record:
        """Return a ticket comment (§6.9); about one in ten carries attachments."""
        rng = self.rng
        comment_id = self.ids.take("events")
        if body is None:
            body = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        # Bodies repeat a lot; sharing one string (and its HTML) per text keeps memory low.
        body = self._bodies.setdefault(body, body)
        html = self._html.get(body)
        if html is None:
            escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            html = self._html[body] = (
                f'<div class="zd-comment" dir="auto"><p dir="auto">{escaped}</p></div>'
            )
        attachments = []
        if rng.random() < 0.1:
            attachments = [self.attachment() for _ in range(rng.randint(1, 2))]
        return {
            "id": comment_id,
            "type": "Comment",
            "author_id": author["id"],
            "body": body,
            "html_body": html,
            "plain_body": body,
            "public": public,
            "attachments": attachments,
            "audit_id": audit_id,
            "via": via,
            "metadata": self.metadata(via["channel"]),
            "created_at": iso(created),
        }

    def voice_comment(
        self, *, audit_id: int, agent: Record, caller: Record, created: int
    ) -> Record:
        """Return a ``VoiceComment`` (§6.9): a call transcript with its ``data`` object."""
        rng = self.rng
        phone = f"+1555010{rng.randint(1000, 9999)}"
        formatted = f"+1 (555) 010-{phone[-4:]}"
        duration = rng.randint(20, 1800)
        transcript = rng.choice(SENTENCES)
        body = f"Inbound call from {formatted}\nCall duration: {duration} seconds\n{transcript}"
        escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        call_id = self.ids.take("attachments")
        via = {
            "channel": "voice",
            "source": {
                "from": {"formatted_phone": formatted, "phone": phone, "name": caller["name"]},
                "to": {
                    "formatted_phone": "+1 (555) 010-0000",
                    "phone": "+15550100000",
                    "name": "Sandbox Support",
                },
                "rel": "inbound",
            },
        }
        return {
            "id": self.ids.take("events"),
            "type": "VoiceComment",
            "author_id": agent["id"],
            "body": body,
            "html_body": f'<div class="zd-comment" dir="auto"><p dir="auto">{escaped}</p></div>',
            "plain_body": body,
            "public": False,
            "attachments": [],
            "audit_id": audit_id,
            "via": via,
            "metadata": self.metadata("voice"),
            "created_at": iso(created),
            "data": {
                "from": formatted,
                "to": "+1 (555) 010-0000",
                "recording_url": f"{API_BASE}/channels/voice/calls/{call_id}/twilio/recording",
                "call_id": call_id,
                "call_duration": duration,
                "answered_by_id": agent["id"],
                "answered_by_name": agent["name"],
                "transcription_text": transcript,
                "transcription_status": "completed",
                "started_at": iso(created - duration),
                "location": rng.choice(("Denver, Colorado, United States", "Lyon, France")),
            },
        }

    def subject(self) -> tuple[str, str]:
        """Return ``(subject, raw_subject)``; some raw subjects are dynamic-content placeholders."""
        subject = self.rng.choice(SUBJECTS)
        if self.rng.random() < 0.03:
            return subject, "{{dc.standard_subject}}"
        return subject, subject

    def ticket(
        self,
        ticket_id: int,
        *,
        created: int,
        updated: int,
        status: str,
        requester: Record,
        submitter: Record,
        assignee: Record | None,
        group_id: int | None,
        via: Record,
        description: str,
        subject: tuple[str, str],
    ) -> Record:
        """Return a ticket (§6.1) without ``metric_set``; ``generated_timestamp`` = ``updated``."""
        rng = self.rng
        ticket_type = rng.choice((None, "question", "incident", "problem", "task"))
        custom_fields = self.ticket_custom_fields()
        encoded = "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=11))
        return {
            "url": f"{API_BASE}/tickets/{ticket_id}.json",
            "id": ticket_id,
            "external_id": f"legacy-{ticket_id}" if rng.random() < 0.1 else None,
            "via": via,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "generated_timestamp": updated,
            "type": ticket_type,
            "subject": subject[0],
            "raw_subject": subject[1],
            "description": description,
            "priority": rng.choice((None, "low", "normal", "normal", "high", "urgent")),
            "status": status,
            "recipient": SUPPORT_ADDRESS if via["channel"] == "email" else None,
            "requester_id": requester["id"],
            "submitter_id": submitter["id"],
            "assignee_id": assignee["id"] if assignee else None,
            "organization_id": requester["organization_id"],
            "group_id": group_id,
            "collaborator_ids": [],
            "follower_ids": [assignee["id"]] if assignee and rng.random() < 0.1 else [],
            "email_cc_ids": [],
            "forum_topic_id": None,
            "problem_id": None,
            "has_incidents": False,
            "is_public": True,
            "due_at": iso(updated + 86_400 * 3) if ticket_type == "task" else None,
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 4))),
            "custom_fields": custom_fields,
            "satisfaction_rating": {"score": "unoffered"},
            "sharing_agreement_ids": [],
            "custom_status_id": CUSTOM_STATUS_IDS.get(status, CUSTOM_STATUS_IDS["open"]),
            "encoded_id": f"{encoded[:6]}-{encoded[6:]}",
            # Same list object: records are immutable, and JSON output is identical.
            "fields": custom_fields,
            "followup_ids": [],
            "ticket_form_id": TICKET_FORM_ID,
            "brand_id": BRAND_ID,
            "allow_channelback": False,
            "allow_attachments": True,
            "from_messaging_channel": False,
            "satisfaction_probability": round(rng.random(), 3) if rng.random() < 0.3 else None,
        }

    def metric_set(
        self,
        ticket: Record,
        *,
        comment_times: list[int],
        solved_at: int | None,
        replies: int,
    ) -> Record:
        """Return a ticket's metric set (§6.7); unreached metrics stay null."""
        rng = self.rng
        metric_id = self.ids.take("metric_sets")
        created = epoch(ticket["created_at"])
        updated = epoch(ticket["updated_at"])
        assigned = created + rng.randint(0, 7200) if ticket["assignee_id"] else None
        if assigned is not None and assigned > updated:
            assigned = updated
        first_reply = (comment_times[1] - created) // 60 if len(comment_times) > 1 else None
        resolution = (solved_at - created) // 60 if solved_at else None

        def minutes(value: int | None) -> Record:
            if value is None:
                return NOT_REACHED
            return {"calendar": value, "business": value * 2 // 5}

        return {
            "url": f"{API_BASE}/ticket_metrics/{metric_id}.json",
            "id": metric_id,
            "ticket_id": ticket["id"],
            "created_at": ticket["created_at"],
            "updated_at": ticket["updated_at"],
            "group_stations": 1 if ticket["group_id"] else 0,
            "assignee_stations": 1 if ticket["assignee_id"] else 0,
            "reopens": 0,
            "replies": replies,
            "assignee_updated_at": iso(assigned) if assigned else None,
            "requester_updated_at": iso(comment_times[0]),
            "status_updated_at": ticket["updated_at"],
            "initially_assigned_at": iso(assigned) if assigned else None,
            "assigned_at": iso(assigned) if assigned else None,
            "solved_at": iso(solved_at) if solved_at else None,
            "latest_comment_added_at": iso(comment_times[-1]),
            "custom_status_updated_at": ticket["updated_at"],
            "reply_time_in_minutes": minutes(first_reply),
            "reply_time_in_seconds": {
                "calendar": first_reply * 60 if first_reply is not None else None
            },
            "first_resolution_time_in_minutes": minutes(resolution),
            "full_resolution_time_in_minutes": minutes(resolution),
            "agent_wait_time_in_minutes": minutes(resolution // 3 if resolution else None),
            "requester_wait_time_in_minutes": minutes(resolution // 2 if resolution else None),
            "on_hold_time_in_minutes": minutes(0 if resolution else None),
        }

    def rating_answer(self, score: str) -> Record:
        """Return the score-dependent fields of a rating: score, comment and reason."""
        rng = self.rng
        reason_id, reason_code, reason = RATING_REASONS[0]
        comment = None
        if score == "bad":
            reason_id, reason_code, reason = rng.choice(RATING_REASONS)
        if score in ("good", "bad") and rng.random() < 0.5:
            comment = rng.choice(
                ("Merci beaucoup ! 🙏", "Too slow.", "素晴らしい対応でした", "Great help")
            )
        return {
            "score": score,
            "comment": comment,
            "reason": reason,
            "reason_id": reason_id,
            "reason_code": reason_code,
        }

    def satisfaction_rating(self, ticket: Record, created: int, updated: int, score: str) -> Record:
        """Return a satisfaction rating (§6.8) for a solved ticket."""
        rating_id = self.ids.take("satisfaction_ratings")
        answer = self.rating_answer(score)
        return {
            "url": f"{API_BASE}/satisfaction_ratings/{rating_id}.json",
            "id": rating_id,
            "assignee_id": ticket["assignee_id"],
            "group_id": ticket["group_id"],
            "requester_id": ticket["requester_id"],
            "ticket_id": ticket["id"],
            "score": answer["score"],
            "created_at": iso(created),
            "updated_at": iso(updated),
            "comment": answer["comment"],
            "reason": answer["reason"],
            "reason_id": answer["reason_id"],
            "reason_code": answer["reason_code"],
        }


def ticket_rating_summary(rating: Record | None) -> Record:
    """Return the ``satisfaction_rating`` object a ticket embeds for ``rating``."""
    if rating is None:
        return {"score": "unoffered"}
    return {
        "id": rating["id"],
        "score": rating["score"],
        "comment": rating["comment"],
        "reason": rating["reason"],
        "reason_id": rating["reason_id"],
    }
