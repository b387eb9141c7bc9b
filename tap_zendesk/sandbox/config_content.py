"""Fixed content of the generated configuration: field specs, rule titles, schedules, ...

Data only; :mod:`.config_data` builds records from it.
"""

from __future__ import annotations

from tap_zendesk.sandbox.factories import MULTISELECT_OPTIONS, TAGGER_OPTIONS, Record

CUSTOM_TYPES = frozenset(
    ("text", "textarea", "checkbox", "date", "integer", "decimal", "regexp",
     "partialcreditcard", "multiselect", "tagger", "lookup")
)  # fmt: skip
SYSTEM_FIELDS: tuple[tuple[str, str, Record], ...] = (
    ("subject", "Subject", {}),
    ("description", "Description", {"description": "Please enter the details of your request."}),
    ("status", "Status", {"system_field_options": ("new", "open", "pending", "hold", "solved")}),
    ("custom_status", "Ticket status", {}),
    ("tickettype", "Type", {"system_field_options": ("question", "incident", "problem", "task")}),
    ("priority", "Priority", {"system_field_options": ("low", "normal", "high", "urgent")}),
    ("group", "Group", {}),
    ("assignee", "Assignee", {}),
    ("brand", "Brand", {}),
)
"""System ticket fields: ``(type, title, extra)``."""
CUSTOM_FIELDS: dict[str, tuple[str, str, Record]] = {
    "text": ("text", "Order reference", {}),
    "textarea": ("textarea", "Steps to reproduce", {}),
    "integer": ("integer", "Units affected", {}),
    "decimal": ("decimal", "Refund amount (€)", {}),
    "checkbox": ("checkbox", "Escalated", {"tag": "escalated"}),
    "multiselect": ("multiselect", "Products & regions", {"options": MULTISELECT_OPTIONS}),
    "tagger": ("tagger", "Customer tier", {"options": TAGGER_OPTIONS}),
    "date": ("date", "Incident date", {}),
    "regexp": ("regexp", "SKU", {"regexp_for_validation": r"^SKU-\d{4}$"}),
    "lookup": ("lookup", "Related ticket", {}),
    "unused": ("partialcreditcard", "Card (last 4 digits)", {"active": False}),
}
"""Custom ticket fields by their key in :data:`factories.TICKET_FIELD_IDS`."""
USER_FIELDS: tuple[tuple[str, str, str, Record], ...] = (
    ("plan", "dropdown", "Plan", {"options": ("free", "pro", "enterprise")}),
    ("lifetime_orders", "integer", "Lifetime orders", {}),
    ("nps_score", "decimal", "NPS score", {}),
    ("newsletter", "checkbox", "Newsletter", {"tag": "newsletter"}),
    ("birthday", "date", "Birthday", {}),
    ("interests", "multiselect", "Interests", {"options": ("hardware", "software", "services")}),
    ("nickname", "text", "Nickname", {"active": False}),
)
"""User fields: ``(key, type, title, extra)``, the keys of ``user.user_fields``."""
ORGANIZATION_FIELDS: tuple[tuple[str, str, str, Record], ...] = (
    ("account_tier", "dropdown", "Account tier", {"options": ("gold", "silver", "bronze")}),
    ("seats", "integer", "Seats", {}),
    ("arr", "decimal", "ARR", {}),
    ("is_partner", "checkbox", "Partner", {"tag": "partner"}),
    ("renewal_date", "date", "Renewal date", {}),
    ("regions", "multiselect", "Regions", {"options": ("emea", "amer", "apac")}),
    ("notes", "textarea", "Notes", {"active": False}),
)
"""Organization fields, the keys of ``organization.organization_fields``."""
MACRO_TITLES = (
    "Close and redirect to topics", "Downgrade and inform", "Customer not responding",
    "Take it!", "Refund approved 💸", "Demande de facture", "Rückfrage: Bestellnummer",
    "Escalate to Tier 2", "Password reset instructions", "Shipping delay apology",
    "Mark as spam", "Request screenshot", "Billing::Duplicate charge", "VIP welcome",
    "Close — duplicate",
)  # fmt: skip
TRIGGER_TITLES = (
    "Notify requester of received request", "Notify requester of comment update",
    "Notify assignee of assignment", "Notify group of assignment", "Route billing to Billing",
    "Tag VIP organizations", "Auto-reply outside business hours", "Escalate urgent tickets",
    "Set priority from tier", "Route Japanese tickets", "Notify on reopen",
    "Legacy: forward to old CRM",
)  # fmt: skip
TAG_HINTS = ("billing", "vip", "urgent", "refund", "shipping")
_SOLVED = {"field": "status", "operator": "is", "value": "solved"}
AUTOMATIONS: tuple[tuple[str, Record, list[Record]], ...] = (
    (
        "Close solved tickets after 4 days",
        {"all": [_SOLVED, {"field": "SOLVED", "operator": "greater_than", "value": "96"}]},
        [{"field": "status", "value": "closed"}],
    ),
    (
        "Pending notification 24 hours",
        {"all": [{"field": "PENDING", "operator": "is", "value": "24"}], "any": []},
        [{"field": "notification_user", "value": ["requester_id", "Any news?", "{{ticket.url}}"]}],
    ),
    (
        "Escalate unassigned urgent after 1 hour",
        {"all": [{"field": "NEW", "operator": "greater_than", "value": "1"},
                 {"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
        [{"field": "priority", "value": "urgent"}, {"field": "current_tags", "value": "sla"}],
    ),
    (
        "Request CSAT 24 hours after solve",
        {"all": [_SOLVED, {"field": "SOLVED", "operator": "is", "value": "24"}], "any": []},
        [{"field": "satisfaction_score", "value": "offered"}],
    ),
    (
        "Legacy: tag stale tickets",
        {"all": [{"field": "OPEN", "operator": "greater_than", "value": "720"}], "any": []},
        [{"field": "set_tags", "value": "stale"}],
    ),
)  # fmt: skip
VIEWS: tuple[tuple[str, Record], ...] = tuple(
    (title, {"all": [{"field": "status", "operator": op, "value": value}], "any": any_})
    for title, op, value, any_ in (
        ("Your unsolved tickets", "less_than", "solved",
         [{"field": "assignee_id", "operator": "is", "value": "current_user"}]),
        ("Unassigned tickets", "less_than", "solved",
         [{"field": "assignee_id", "operator": "is", "value": ""}]),
        ("All unsolved tickets", "less_than", "solved", []),
        ("Recently updated tickets", "less_than", "closed", []),
        ("Pending tickets", "is", "pending", []),
        ("Recently solved tickets", "is", "solved", []),
        ("VIP queue ⭐", "less_than", "solved",
         [{"field": "current_tags", "operator": "includes", "value": "vip"}]),
        ("Billing — France", "less_than", "solved",
         [{"field": "current_tags", "operator": "includes", "value": "billing"}]),
        ("My escalations", "is", "open", []),
        ("Old personal view", "is", "hold", []),
    )
)  # fmt: skip
SLA_POLICIES = (
    ("Enterprise customers", ("urgent", "high", "normal", "low"), 30),
    ("Standard", ("urgent", "high"), 240),
    ("Free plan", ("urgent",), 1440),
)
CUSTOM_ROLES = (
    ("Staff", 0, "within-groups"),
    ("Team lead", 0, "all"),
    ("Light agent", 1, "within-groups-and-public-groups"),
    ("Billing contributor", 3, "assigned-only"),
)
SCHEDULES = (
    ("Paris support hours", "Paris", range(1, 6), (9, 18)),
    ("US follow-the-sun", "Pacific Time (US & Canada)", range(7), (6, 22)),
    ("Tokyo office", "Tokyo", range(1, 6), (10, 19)),
)
"""Schedules: ``(name, Rails time zone, weekdays (0 = Sunday), (start hour, end hour))``."""
HOLIDAYS = (
    ("New Year's Day", "01-01", 1), ("Labour Day", "05-01", 1), ("Bastille Day", "07-14", 1),
    ("Independence Day", "07-04", 1), ("Golden Week", "05-03", 3), ("Christmas", "12-24", 3),
    ("Obon", "08-13", 4),
)  # fmt: skip
"""Holidays: ``(name, MM-DD, days)``, one per year."""
SUSPENSION_CAUSES = (
    (0, "Detected as spam"),
    (1, "Automated response mail"),
    (4, "Received from support address"),
    (15, "Sender domain not on allowlist"),
)
SKIP_REASONS = ("I'm not the right agent", "Needs a specialist", "Waiting for a colleague", "")
HC_CATEGORIES = ("Getting started", "Billing & payments", "Troubleshooting")
HC_SECTIONS = (
    "Account setup", "Mobile app", "Invoices", "Refunds", "Login problems", "Integrations",
    "API", "Advanced API",
)  # fmt: skip
ARTICLE_TITLES = (
    "How to reset your password", "Understanding your invoice", "Requesting a refund",
    "Connecting Slack", "Two-factor authentication", "Changing your shipping address",
    "API rate limits", "Exporting your data to CSV", "Comment obtenir une facture",
    "Rechnung herunterladen", "アカウントの設定",
)  # fmt: skip
