"""Help Center (Guide): articles, sections, categories (supplement §9)."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_zendesk.schemas.common import ID, ID_LIST, STRING_LIST, timestamps


def _content_common() -> tuple[th.Property, ...]:
    """Properties articles, sections and categories share."""
    return (
        th.Property("id", ID, required=True),
        th.Property("url", th.StringType),
        th.Property("html_url", th.StringType),
        th.Property("position", th.IntegerType),
        th.Property("locale", th.StringType),
        th.Property("source_locale", th.StringType),
        th.Property("outdated", th.BooleanType),
        *timestamps(),
    )


CATEGORY = th.PropertiesList(
    *_content_common(),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
).to_dict()

SECTION = th.PropertiesList(
    *_content_common(),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
    th.Property("category_id", ID),
    th.Property("parent_section_id", ID),
    th.Property("theme_template", th.StringType),
    th.Property("sorting", th.StringType),
).to_dict()

ARTICLE = th.PropertiesList(
    *_content_common(),
    th.Property("title", th.StringType),
    th.Property("body", th.StringType, description="HTML."),
    th.Property("author_id", ID),
    th.Property("section_id", ID),
    th.Property("permission_group_id", ID),
    th.Property("user_segment_id", ID),
    th.Property("user_segment_ids", ID_LIST),
    th.Property("content_tag_ids", STRING_LIST),
    th.Property("label_names", STRING_LIST),
    th.Property("outdated_locales", STRING_LIST),
    th.Property("comments_disabled", th.BooleanType),
    th.Property("draft", th.BooleanType),
    th.Property("promoted", th.BooleanType),
    th.Property("vote_count", th.IntegerType),
    th.Property("vote_sum", th.IntegerType),
    th.Property("edited_at", th.DateTimeType),
).to_dict()
