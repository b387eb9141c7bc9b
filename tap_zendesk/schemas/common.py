"""Schema fragments shared by several resources (API reference §6.17, §6.20)."""

from __future__ import annotations

from singer_sdk import typing as th

# IDs exceed 32 bits; JSON Schema integers are unbounded, targets map them to BIGINT.
ID = th.IntegerType
ID_LIST = th.ArrayType(th.IntegerType)
STRING_LIST = th.ArrayType(th.StringType)

# Custom field values take the type of their field: string, number, boolean, list, null.
# Spelled out rather than `{}`: the SDK's record conformer rejects an empty schema.
ANY_VALUE = th.CustomType({"type": ["string", "number", "boolean", "array", "object", "null"]})

# `via.channel` is a string on most objects and an integer on a few.
_CHANNEL = th.CustomType({"type": ["string", "integer", "null"]})
# Attachment dimensions: integers in older docs, strings in the newer spec.
_DIMENSION = th.CustomType({"type": ["integer", "string", "null"]})

VIA = th.ObjectType(
    th.Property("channel", _CHANNEL),
    th.Property(
        "source",
        th.ObjectType(
            th.Property("from", th.ObjectType(additional_properties=True)),
            th.Property("to", th.ObjectType(additional_properties=True)),
            th.Property("rel", th.StringType),
            additional_properties=True,
        ),
    ),
    additional_properties=True,
)

_ATTACHMENT_FIELDS = (
    th.Property("id", ID),
    th.Property("url", th.StringType),
    th.Property("file_name", th.StringType),
    th.Property("content_url", th.StringType),
    th.Property("mapped_content_url", th.StringType),
    th.Property("content_type", th.StringType),
    th.Property("size", th.IntegerType),
    th.Property("width", _DIMENSION),
    th.Property("height", _DIMENSION),
    th.Property("inline", th.BooleanType),
    th.Property("deleted", th.BooleanType),
    th.Property("malware_access_override", th.BooleanType),
    th.Property("malware_scan_result", th.StringType),
)

ATTACHMENT = th.ObjectType(
    *_ATTACHMENT_FIELDS,
    th.Property("thumbnails", th.ArrayType(th.ObjectType(*_ATTACHMENT_FIELDS))),
)

CUSTOM_FIELDS = th.ArrayType(
    th.ObjectType(
        th.Property("id", ID),
        th.Property("value", ANY_VALUE),
    )
)

# `user_fields` / `organization_fields`: {field_key: value} with per-field value types.
FIELD_VALUES = th.ObjectType(additional_properties=True)

# Comment and audit metadata: `system` (client, ip, location...), `custom`, `flags`...
METADATA = th.ObjectType(additional_properties=True)


def timestamps() -> tuple[th.Property, th.Property]:
    """`created_at` and `updated_at`, present on almost every resource."""
    return (
        th.Property("created_at", th.DateTimeType),
        th.Property("updated_at", th.DateTimeType),
    )
