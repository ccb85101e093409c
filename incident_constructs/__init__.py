"""incident-constructs: AWS Systems Manager Incident Manager in the AWS CDK.

Contacts and their channels, escalation plans, on-call rotations, the replication set,
response plans and runbooks, checked against the service's rules at ``cdk synth``.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names, for type checkers and editors
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
    from .tools.replacements import ReplacementReport, check_replacement_files, check_replacements
    from .replication_set import AWS_OWNED_KEY, IReplicationSet, ReplicationSet
    from .response_plan import DynamicParameter, Impact, IResponsePlan, PagerDutyIntegration, ResponsePlan, TargetAccount
    from .roles import RunbookRole
    from .rotation import DayOfWeek, IRotation, RecurrenceKind, Rotation, RotationRecurrence, Shift, ShiftCoverage
    from .runbook import IRunbook, Runbook, RunbookStep
    from .scale import TeamStacks, shard_of, shards_for
    from .schedule import OnCallSchedule

# Public names, each loaded from its module on first use (PEP 562): importing the package
# is cheap, and `from incident_constructs import Contact` loads only what a Contact needs.
_EXPORTS: dict[str, str] = {
    "AWS_OWNED_KEY": ".replication_set",
    "ChannelType": ".contact",
    "Contact": ".contact",
    "ContactBase": ".contact",
    "ContactChannel": ".contact",
    "ContactType": ".contact",
    "DEFAULT_RETRY_INTERVAL": ".contact",
    "DayOfWeek": ".rotation",
    "DynamicParameter": ".response_plan",
    "EscalationPlan": ".escalation",
    "EscalationStage": ".escalation",
    "IContact": ".contact",
    "IReplicationSet": ".replication_set",
    "IResponsePlan": ".response_plan",
    "IRotation": ".rotation",
    "IRunbook": ".runbook",
    "Impact": ".response_plan",
    "IncidentTarget": ".integrations",
    "OnCallOrganisation": ".config",
    "OnCallSchedule": ".schedule",
    "Organisation": ".config",
    "OrganisationFileError": ".config",
    "PagerDutyIntegration": ".response_plan",
    "RecurrenceKind": ".rotation",
    "ReplacementReport": ".tools.replacements",
    "ReplicationSet": ".replication_set",
    "ResponsePlan": ".response_plan",
    "Rotation": ".rotation",
    "RotationRecurrence": ".rotation",
    "Runbook": ".runbook",
    "RunbookRole": ".roles",
    "RunbookStep": ".runbook",
    "Shift": ".rotation",
    "ShiftCoverage": ".rotation",
    "SlackChatChannel": ".integrations",
    "TargetAccount": ".response_plan",
    "TeamStacks": ".scale",
    "ValidationError": "._validation",
    "build_organisation": ".config",
    "check_replacement_files": ".tools.replacements",
    "check_replacements": ".tools.replacements",
    "load_organisation": ".config",
    "organisation_json_schema": ".config",
    "shard_of": ".scale",
    "shards_for": ".scale",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

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
