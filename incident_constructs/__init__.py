"""incident-constructs: AWS Systems Manager Incident Manager in the AWS CDK.

Contacts and their channels, escalation plans, on-call rotations, the replication set,
response plans and runbooks, checked against the service's rules at ``cdk synth``.
"""

from typing import TYPE_CHECKING

from ._exports import lazy_exports

if TYPE_CHECKING:  # the names, for type checkers and editors
    from ._validation import ValidationError
    from .contacts.contact import (
        DEFAULT_RETRY_INTERVAL,
        ChannelType,
        Contact,
        ContactBase,
        ContactChannel,
        ContactType,
        IContact,
    )
    from .contacts.escalation import EscalationPlan, EscalationStage
    from .contacts.rotation import (
        DayOfWeek,
        IRotation,
        RecurrenceKind,
        Rotation,
        RotationOverride,
        RotationRecurrence,
        Shift,
        ShiftCoverage,
        ShiftType,
    )
    from .contacts.schedule import OnCallSchedule
    from .integrations import IncidentTarget, SlackChatChannel, TeamsChatChannel
    from .organisation import (
        OnCallOrganisation,
        Organisation,
        OrganisationFileError,
        build_organisation,
        load_organisation,
        organisation_json_schema,
    )
    from .response.replication_set import AWS_OWNED_KEY, IReplicationSet, ReplicationSet
    from .response.response_plan import (
        DynamicParameter,
        Impact,
        IResponsePlan,
        PagerDutyIntegration,
        ResponsePlan,
        TargetAccount,
    )
    from .response.roles import RunbookRole
    from .response.runbook import IRunbook, Runbook, RunbookStep
    from .team_stacks import TeamStacks, shard_of, shards_for
    from .tools.replacements import ReplacementReport, check_replacement_files, check_replacements

# Public names, each loaded from its module on first use (PEP 562): importing the package
# is cheap, and `from incident_constructs import Contact` loads only what a Contact needs.
_EXPORTS: dict[str, str] = {
    "AWS_OWNED_KEY": ".response.replication_set",
    "ChannelType": ".contacts.contact",
    "Contact": ".contacts.contact",
    "ContactBase": ".contacts.contact",
    "ContactChannel": ".contacts.contact",
    "ContactType": ".contacts.contact",
    "DEFAULT_RETRY_INTERVAL": ".contacts.contact",
    "DayOfWeek": ".contacts.rotation",
    "DynamicParameter": ".response.response_plan",
    "EscalationPlan": ".contacts.escalation",
    "EscalationStage": ".contacts.escalation",
    "IContact": ".contacts.contact",
    "IReplicationSet": ".response.replication_set",
    "IResponsePlan": ".response.response_plan",
    "IRotation": ".contacts.rotation",
    "IRunbook": ".response.runbook",
    "Impact": ".response.response_plan",
    "IncidentTarget": ".integrations",
    "OnCallOrganisation": ".organisation",
    "OnCallSchedule": ".contacts.schedule",
    "Organisation": ".organisation",
    "OrganisationFileError": ".organisation",
    "PagerDutyIntegration": ".response.response_plan",
    "RecurrenceKind": ".contacts.rotation",
    "ReplacementReport": ".tools.replacements",
    "ReplicationSet": ".response.replication_set",
    "ResponsePlan": ".response.response_plan",
    "Rotation": ".contacts.rotation",
    "RotationOverride": ".contacts.rotation",
    "RotationRecurrence": ".contacts.rotation",
    "Runbook": ".response.runbook",
    "RunbookRole": ".response.roles",
    "RunbookStep": ".response.runbook",
    "Shift": ".contacts.rotation",
    "ShiftCoverage": ".contacts.rotation",
    "ShiftType": ".contacts.rotation",
    "SlackChatChannel": ".integrations",
    "TargetAccount": ".response.response_plan",
    "TeamStacks": ".team_stacks",
    "TeamsChatChannel": ".integrations",
    "ValidationError": "._validation",
    "build_organisation": ".organisation",
    "check_replacement_files": ".tools.replacements",
    "check_replacements": ".tools.replacements",
    "load_organisation": ".organisation",
    "organisation_json_schema": ".organisation",
    "shard_of": ".team_stacks",
    "shards_for": ".team_stacks",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)


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
    "IRotation",
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
    "RotationOverride",
    "RotationRecurrence",
    "Runbook",
    "RunbookRole",
    "RunbookStep",
    "Shift",
    "ShiftCoverage",
    "ShiftType",
    "SlackChatChannel",
    "TargetAccount",
    "TeamStacks",
    "TeamsChatChannel",
    "ValidationError",
    "build_organisation",
    "check_replacement_files",
    "check_replacements",
    "load_organisation",
    "organisation_json_schema",
    "shard_of",
    "shards_for",
]
