"""Leaf streams, one module per Zendesk API family."""

from tap_zendesk.streams.groups import GroupMembershipsStream, GroupsStream
from tap_zendesk.streams.organizations import OrganizationMembershipsStream, OrganizationsStream
from tap_zendesk.streams.satisfaction_ratings import SatisfactionRatingsStream
from tap_zendesk.streams.tickets import TicketCommentsStream, TicketMetricsStream, TicketsStream
from tap_zendesk.streams.users import UsersStream

STREAM_TYPES = [
    TicketsStream,
    TicketMetricsStream,
    TicketCommentsStream,
    UsersStream,
    OrganizationsStream,
    OrganizationMembershipsStream,
    GroupsStream,
    GroupMembershipsStream,
    SatisfactionRatingsStream,
]

__all__ = ["STREAM_TYPES"]
