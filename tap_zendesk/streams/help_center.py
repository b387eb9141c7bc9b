"""Help Center (Guide): categories, sections, articles.

Accounts without Guide answer 404 and these streams are skipped with one warning each
(`HelpCenterStream`).
"""

from __future__ import annotations

from tap_zendesk.schemas.help_center import ARTICLE, CATEGORY, SECTION
from tap_zendesk.streams.base import HelpCenterStream


class CategoriesStream(HelpCenterStream):
    """Help Center categories. Full table: a short list, and deleted ones vanish."""

    name = "categories"
    path = "/help_center/categories.json"
    records_key = "categories"
    primary_keys = ("id",)
    replication_key = None
    schema = CATEGORY


class SectionsStream(HelpCenterStream):
    """Help Center sections. Full table: a short list, and deleted ones vanish."""

    name = "sections"
    path = "/help_center/sections.json"
    records_key = "sections"
    primary_keys = ("id",)
    replication_key = None
    schema = SECTION


class ArticlesStream(HelpCenterStream):
    """Help Center articles, emitted when changed (`updated_at`).

    The list grows with the knowledge base, so it is incremental; a deleted or archived
    article leaves the list without a trace.
    """

    name = "articles"
    path = "/help_center/articles.json"
    records_key = "articles"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = ARTICLE
