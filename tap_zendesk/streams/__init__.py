"""Leaf streams, one module per Zendesk API family."""

from tap_zendesk.streams.account import (
    BrandsStream,
    CustomRolesStream,
    SatisfactionReasonsStream,
    ScheduleHolidaysStream,
    SchedulesStream,
    TagsStream,
)
from tap_zendesk.streams.business_rules import (
    AutomationsStream,
    MacrosStream,
    SlaPoliciesStream,
    TriggersStream,
    ViewsStream,
)
from tap_zendesk.streams.definitions import (
    CustomStatusesStream,
    OrganizationFieldsStream,
    TicketFieldsStream,
    TicketFormsStream,
    UserFieldsStream,
)
from tap_zendesk.streams.deleted import DeletedTicketsStream, DeletedUsersStream
from tap_zendesk.streams.groups import GroupMembershipsStream, GroupsStream
from tap_zendesk.streams.help_center import ArticlesStream, CategoriesStream, SectionsStream
from tap_zendesk.streams.organizations import OrganizationMembershipsStream, OrganizationsStream
from tap_zendesk.streams.satisfaction_ratings import SatisfactionRatingsStream
from tap_zendesk.streams.ticket_events import (
    TicketAuditsStream,
    TicketCommentsStream,
    TicketFieldHistoryStream,
)
from tap_zendesk.streams.ticket_metric_events import TicketMetricEventsStream
from tap_zendesk.streams.tickets import TicketMetricsStream, TicketsStream
from tap_zendesk.streams.triage import SuspendedTicketsStream, TicketSkipsStream
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
    # Definitions and account configuration: full table.
    TicketFieldsStream,
    TicketFormsStream,
    UserFieldsStream,
    OrganizationFieldsStream,
    CustomStatusesStream,
    BrandsStream,
    TagsStream,
    MacrosStream,
    TriggersStream,
    AutomationsStream,
    ViewsStream,
    SlaPoliciesStream,
    CustomRolesStream,
    SchedulesStream,
    ScheduleHolidaysStream,
    SatisfactionReasonsStream,
    # Deleted and held-back records: incremental lists.
    DeletedUsersStream,
    DeletedTicketsStream,
    SuspendedTicketsStream,
    TicketSkipsStream,
    # Help Center.
    CategoriesStream,
    SectionsStream,
    ArticlesStream,
]

__all__ = ["STREAM_TYPES"]
