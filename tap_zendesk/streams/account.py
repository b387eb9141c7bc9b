"""Account configuration: brands, tags, custom roles, schedules and holidays, CSAT reasons.

Small lists, read whole on every run: full table, so a full-table version lets the target
drop what was deleted.
"""

from __future__ import annotations

from typing import ClassVar

from tap_zendesk.schemas.account import (
    BRAND,
    CUSTOM_ROLE,
    SATISFACTION_REASON,
    SCHEDULE,
    SCHEDULE_HOLIDAY,
    TAG,
)
from tap_zendesk.streams.base import CursorListStream, SinglePageStream


class BrandsStream(CursorListStream):
    """Brands, deleted ones flagged `is_deleted`. Full table."""

    name = "brands"
    path = "/brands.json"
    records_key = "brands"
    primary_keys = ("id",)
    replication_key = None
    schema = BRAND


class TagsStream(CursorListStream):
    """The most used tags of the last 60 days with their counts. Full table.

    Tags have no id or timestamp, only a name and a count that changes every day.
    """

    name = "tags"
    path = "/tags.json"
    records_key = "tags"
    primary_keys = ("name",)
    replication_key = None
    schema = TAG


class CustomRolesStream(SinglePageStream):
    """Custom agent roles, one request. Full table; 403 below Enterprise skips it."""

    name = "custom_roles"
    path = "/custom_roles.json"
    records_key = "custom_roles"
    primary_keys = ("id",)
    replication_key = None
    schema = CUSTOM_ROLE
    plan_gated = True


class SchedulesStream(SinglePageStream):
    """Business-hours schedules, one request. Full table; 403 on plans without them."""

    name = "schedules"
    path = "/business_hours/schedules.json"
    records_key = "schedules"
    primary_keys = ("id",)
    replication_key = None
    schema = SCHEDULE
    plan_gated = True
    child_context_key = "schedule_id"


class ScheduleHolidaysStream(SinglePageStream):
    """Each schedule's holidays, one request per schedule; records carry `schedule_id`.

    Full table: holidays have no timestamps.
    """

    name = "schedule_holidays"
    path = "/business_hours/schedules/{schedule_id}/holidays.json"
    records_key = "holidays"
    primary_keys = ("id",)
    replication_key = None
    schema = SCHEDULE_HOLIDAY
    plan_gated = True
    parent_stream_type = SchedulesStream
    # One state entry for the stream, not one per schedule.
    state_partitioning_keys: ClassVar[list[str]] = []  # type: ignore[misc]


class SatisfactionReasonsStream(SinglePageStream):
    """Reasons a customer can give for a bad rating (`satisfaction_ratings.reason_id`).

    One request; full table. Deleted reasons stay listed with `deleted_at`.
    """

    name = "satisfaction_reasons"
    path = "/satisfaction_reasons.json"
    records_key = "reasons"
    primary_keys = ("id",)
    replication_key = None
    schema = SATISFACTION_REASON
    plan_gated = True
