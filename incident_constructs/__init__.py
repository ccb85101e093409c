"""incident-constructs: AWS Systems Manager Incident Manager in the AWS CDK.

Contacts and their channels, escalation plans, on-call rotations, the replication set,
response plans and runbooks, checked against the service's rules at ``cdk synth``.
"""

from ._validation import ValidationError
from .config import (
    OnCallOrganisation,
    Organisation,
    OrganisationFileError,
    build_organisation,
    load_organisation,
    organisation_json_schema,
)
from .contact import DEFAULT_RETRY_INTERVAL, ChannelType, Contact, ContactBase, ContactChannel, ContactType, IContact
from .escalation import EscalationPlan, EscalationStage
from .integrations import IncidentTarget, SlackChatChannel
from .replacements import ReplacementReport, check_replacement_files, check_replacements
from .replication_set import AWS_OWNED_KEY, IReplicationSet, ReplicationSet
from .response_plan import DynamicParameter, Impact, IResponsePlan, PagerDutyIntegration, ResponsePlan, TargetAccount
from .roles import RunbookRole
from .rotation import DayOfWeek, RecurrenceKind, Rotation, RotationRecurrence, Shift, ShiftCoverage
from .runbook import IRunbook, Runbook, RunbookStep
from .scale import TeamStacks, shard_of, shards_for
from .schedule import OnCallSchedule

__version__ = "0.1.0"

__all__ = [
    "AWS_OWNED_KEY",
    "ChannelType",
    "Contact",
    "ContactBase",
    "ContactChannel",
    "ContactType",
    "DEFAULT_RETRY_INTERVAL",
    "DayOfWeek",
    "DynamicParameter",
    "EscalationPlan",
    "EscalationStage",
    "IContact",
    "IReplicationSet",
    "IResponsePlan",
    "IRunbook",
    "Impact",
    "IncidentTarget",
    "OnCallOrganisation",
    "OnCallSchedule",
    "Organisation",
    "OrganisationFileError",
    "PagerDutyIntegration",
    "RecurrenceKind",
    "ReplacementReport",
    "ReplicationSet",
    "ResponsePlan",
    "Rotation",
    "RotationRecurrence",
    "Runbook",
    "RunbookRole",
    "RunbookStep",
    "Shift",
    "ShiftCoverage",
    "SlackChatChannel",
    "TargetAccount",
    "TeamStacks",
    "ValidationError",
    "build_organisation",
    "check_replacement_files",
    "check_replacements",
    "load_organisation",
    "organisation_json_schema",
    "shard_of",
    "shards_for",
]
