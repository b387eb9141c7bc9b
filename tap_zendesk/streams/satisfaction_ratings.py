"""Satisfaction ratings (legacy CSAT)."""

from __future__ import annotations

from tap_zendesk.schemas.satisfaction_ratings import SATISFACTION_RATING
from tap_zendesk.streams.base import CursorListStream


class SatisfactionRatingsStream(CursorListStream):
    """Ratings changed since the bookmark (`offered` ones change score later).

    Only accounts with CSAT enabled have them: elsewhere Zendesk answers 403 and the stream
    is skipped with a warning.
    """

    name = "satisfaction_ratings"
    path = "/satisfaction_ratings.json"
    records_key = "satisfaction_ratings"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = SATISFACTION_RATING
    plan_gated = True
    filter_by_start_time = True
