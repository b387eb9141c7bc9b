"""Leaf streams, one module per Zendesk API family."""

from tap_zendesk.streams.groups import GroupsStream
from tap_zendesk.streams.organizations import OrganizationsStream
from tap_zendesk.streams.tickets import TicketsStream
from tap_zendesk.streams.users import UsersStream

STREAM_TYPES = [
    TicketsStream,
    UsersStream,
    OrganizationsStream,
    GroupsStream,
]

__all__ = ["STREAM_TYPES"]
