"""Users and their identities: one read of the users export feeds both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_zendesk.custom_fields import USER_FIELDS
from tap_zendesk.deletions import DeletedWhen
from tap_zendesk.exports import Export
from tap_zendesk.schemas.users import USER, USER_IDENTITY
from tap_zendesk.streams.base import CursorExportStream
from tap_zendesk.streams.custom_fields import CustomFieldsMixin

if TYPE_CHECKING:
    from collections.abc import Iterable

USERS_EXPORT = Export(
    path="/incremental/users/cursor.json", records_key="users", position_field="updated_at"
)


class UsersStream(CustomFieldsMixin, CursorExportStream):
    """Every user changed since the bookmark; deleted users come with `active: false`."""

    name = "users"
    export = USERS_EXPORT
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = USER
    custom_fields = USER_FIELDS
    # Zendesk keeps deleted users, with `active: false` (API reference §6.2).
    deleted_when = DeletedWhen("active", value=False, at="updated_at")


class UserIdentitiesStream(CursorExportStream):
    """Users' emails, phones and social identities, from the users export's `identities` sideload.

    No request of its own: `include=identities` adds a top-level `identities` list beside the
    users of each page (zendesk-api-more §6), where `/users/{id}/identities` would cost one
    request per user. A changed identity changes its user, so it comes with the user. Deleted
    identities simply vanish from Zendesk: they cannot be signalled.
    """

    name = "user_identities"
    export = USERS_EXPORT
    include = "identities"
    primary_keys = ("id",)
    replication_key = "updated_at"
    schema = USER_IDENTITY
    is_sorted = False

    def derive(self, items: list[dict[str, Any]], page: dict[str, Any]) -> Iterable[dict]:
        """The page's identities of the users in this stream's window."""
        users = {user.get("id") for user in items}
        for identity in page.get("identities") or []:
            if isinstance(identity, dict) and identity.get("user_id") in users:
                yield identity
