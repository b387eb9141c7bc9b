"""Business rules: macros, triggers, automations, views, SLA policies.

None of these lists can be filtered by change and deleted rules simply vanish (supplement
§1), so they are full table: every run reads the whole list anyway (a few pages at most),
and a full-table version lets the target drop the rules that are gone.
"""

from __future__ import annotations

from tap_zendesk.schemas.business_rules import AUTOMATION, MACRO, SLA_POLICY, TRIGGER, VIEW
from tap_zendesk.streams.base import CursorListStream, SinglePageStream


class MacrosStream(CursorListStream):
    """Macros, shared and personal, active and inactive. Full table."""

    name = "macros"
    path = "/macros.json"
    records_key = "macros"
    primary_keys = ("id",)
    replication_key = None
    schema = MACRO


class TriggersStream(CursorListStream):
    """Triggers, active and inactive. Full table."""

    name = "triggers"
    path = "/triggers.json"
    records_key = "triggers"
    primary_keys = ("id",)
    replication_key = None
    schema = TRIGGER


class AutomationsStream(CursorListStream):
    """Automations, active and inactive. Full table."""

    name = "automations"
    path = "/automations.json"
    records_key = "automations"
    primary_keys = ("id",)
    replication_key = None
    schema = AUTOMATION


class ViewsStream(CursorListStream):
    """Views shared with the account or a group, and the caller's own. Full table."""

    name = "views"
    path = "/views.json"
    records_key = "views"
    primary_keys = ("id",)
    replication_key = None
    schema = VIEW


class SlaPoliciesStream(SinglePageStream):
    """SLA policies, one request. Full table; 403 below Professional skips it."""

    name = "sla_policies"
    path = "/slas/policies.json"
    records_key = "sla_policies"
    primary_keys = ("id",)
    replication_key = None
    schema = SLA_POLICY
    plan_gated = True
