""":class:`OnCallOrganisation`: an organisation file built inside a construct of its own."""

from __future__ import annotations

import pathlib

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from ..contacts.contact import Contact
from ..contacts.escalation import EscalationPlan
from ..contacts.rotation import Rotation
from ..contacts.schedule import OnCallSchedule
from ..integrations import SlackChatChannel, TeamsChatChannel
from ..response.replication_set import IReplicationSet
from ..response.response_plan import ResponsePlan
from ..response.runbook import IRunbook
from .builder import build_organisation

__all__ = ["OnCallOrganisation"]


class OnCallOrganisation(Construct):
    """The organisation described by an organisation file, built inside this construct.

    The constructs are children of this one (their logical ids therefore differ from
    :func:`build_organisation` on a stack); they are available by their keys in the file.

    :param file: the organisation file (YAML).
    :param runbook_directory: the folder that runbook ``file:`` entries must lie in. Default: the
        organisation file's folder.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        file: str | pathlib.Path,
        runbook_directory: str | pathlib.Path | None = None,
    ) -> None:
        super().__init__(scope, id)
        #: What was built, by key.
        self.organisation = build_organisation(self, file, runbook_directory=runbook_directory)

    @property
    def contacts(self) -> dict[str, Contact]:
        return self.organisation.contacts

    @property
    def rotations(self) -> dict[str, Rotation]:
        return self.organisation.rotations

    @property
    def schedules(self) -> dict[str, OnCallSchedule]:
        return self.organisation.schedules

    @property
    def escalation_plans(self) -> dict[str, EscalationPlan]:
        return self.organisation.escalation_plans

    @property
    def runbooks(self) -> dict[str, IRunbook]:
        return self.organisation.runbooks

    @property
    def response_plans(self) -> dict[str, ResponsePlan]:
        return self.organisation.response_plans

    @property
    def chat_channels(self) -> dict[str, SlackChatChannel | TeamsChatChannel]:
        return self.organisation.chat_channels

    @property
    def alarms(self) -> dict[str, cloudwatch.Alarm]:
        return self.organisation.alarms

    @property
    def event_rules(self) -> dict[str, events.Rule]:
        return self.organisation.event_rules

    @property
    def replication_set(self) -> IReplicationSet | None:
        return self.organisation.replication_set
