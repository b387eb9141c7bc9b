"""Leaf streams, one module per Zendesk API family."""

from tap_zendesk.streams.groups import GroupMembershipsStream, GroupsStream
from tap_zendesk.streams.organizations import OrganizationMembershipsStream, OrganizationsStream
from tap_zendesk.streams.satisfaction_ratings import SatisfactionRatingsStream
from tap_zendesk.streams.ticket_events import (
    TicketAuditsStream,
    TicketCommentsStream,
    TicketFieldHistoryStream,
)
from tap_zendesk.streams.ticket_metric_events import TicketMetricEventsStream
from tap_zendesk.streams.tickets import TicketMetricsStream, TicketsStream
from tap_zendesk.streams.users import UserIdentitiesStream, UsersStream

STREAM_TYPES = [
    TicketsStream,
    TicketMetricsStream,
    TicketAuditsStream,
    TicketCommentsStream,
    TicketFieldHistoryStream,
    TicketMetricEventsStream,
    UsersStream,
    UserIdentitiesStream,
    OrganizationsStream,
    OrganizationMembershipsStream,
    GroupsStream,
    GroupMembershipsStream,
    SatisfactionRatingsStream,
]

__all__ = ["STREAM_TYPES"]
