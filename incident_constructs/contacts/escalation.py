"""Escalation plans: stages of contacts engaged one after the other."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from .._props import camel_case
from .._validation import Checker, DurationLike, add_synth_validation, check_scope_and_id
from .contact import (
    Contact,
    ContactBase,
    ContactType,
    IContact,
    import_contact,
    require_contact,
)

__all__ = ["EscalationPlan", "EscalationStage"]

#: A stage's duration when none is given.
DEFAULT_STAGE_DURATION = cdk.Duration.minutes(5)


@dataclass
class EscalationStage:
    """One stage of an escalation plan.

    :param contacts: the contacts engaged when the stage begins (people or on-call schedules).
    :param duration: how long before the next stage begins, 0 to 30 whole minutes.
        Default: 5 minutes.
    :param acknowledgement_stops_progression: when one of these contacts acknowledges, the plan
        stops: later stages are not engaged (the service's ``IsEssential``). Default: False.
    """

    contacts: Sequence[IContact]
    duration: DurationLike = field(default_factory=lambda: DEFAULT_STAGE_DURATION)
    acknowledgement_stops_progression: bool = False


class EscalationPlan(ContactBase):
    """An escalation plan (an ``AWS::SSMContacts::Contact`` of type ESCALATION).

    Stage *k* begins after the durations of stages 1..k-1. A plan needs at least one
    stage when the app is synthesized (give ``stages`` or call :meth:`add_stage`).

    :param alias: the plan's unique alias (create-only).
    :param display_name: the name shown in the console. Default: the alias.
    :param stages: the stages, in order. Default: none (add them with :meth:`add_stage`).
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alias: str,
        display_name: str | None = None,
        stages: Sequence[EscalationStage] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("EscalationPlan", scope, id)
        super().__init__(scope, id)
        if stages is not None and (isinstance(stages, (str, bytes)) or not isinstance(stages, Iterable)):
            Checker(self, "EscalationPlan").fail("stages", stages, "a list of EscalationStage.")
        self._set_up_contact(scope, "EscalationPlan", ContactType.ESCALATION, alias, display_name)
        self._stages: list[tuple[EscalationStage, int | None, list[IContact]]] = []
        self._validated = False  # a synth-time validation is added only when a rule could fail
        for stage in stages or []:
            self.add_stage(stage)
        #: The ``AWS::SSMContacts::Contact`` resource (construct id ``Resource``); :meth:`add_stage`
        #: sets its ``Plan`` again, so it always holds a real list (index overrides merge).
        self.resource = self._contact_resource(display_name, removal_policy, plan=self._camel_plan() or None)
        if not self._stages:  # stages are never removed: only a plan empty now can be empty at synth
            self._validate_at_synth()

    @staticmethod
    def from_escalation_plan_arn(scope: Construct, id: str, escalation_plan_arn: str) -> IContact:
        """Use an existing escalation plan, by ARN."""
        return import_contact(
            scope, id, arn=escalation_plan_arn, alias=None, contact_type=ContactType.ESCALATION, kind="EscalationPlan"
        )

    @staticmethod
    def from_escalation_plan_alias(scope: Construct, id: str, alias: str) -> IContact:
        """Use an existing escalation plan of the stack's account and region, by alias."""
        return import_contact(
            scope, id, arn=None, alias=alias, contact_type=ContactType.ESCALATION, kind="EscalationPlan"
        )

    @property
    def stages(self) -> list[EscalationStage]:
        """The stages, in order."""
        return [stage for stage, _, _ in self._stages]

    def add_stage(self, stage: EscalationStage) -> None:
        """Append a stage; checked at once (1+ unique contacts, 0-30 whole minutes)."""
        checker = self._checker
        number = len(self._stages) + 1
        if not isinstance(stage, EscalationStage):
            checker.fail(f"stage {number}", stage, "an EscalationStage.")
        if isinstance(stage.contacts, (str, bytes)) or not isinstance(stage.contacts, Iterable):
            checker.fail(f"stage {number} contacts", stage.contacts, "a list of contacts.")
        contacts = list(stage.contacts)
        if not contacts:
            checker.fail(f"stage {number} contacts", contacts, "at least one contact.")
        seen: set[int] = set()
        for contact in contacts:
            require_contact(checker, f"stage {number} contacts", contact)
            if contact is self:
                checker.fail(f"stage {number} contacts", contact.alias, "a plan cannot engage itself.")
            if id(contact) in seen:
                checker.fail(f"stage {number} contacts", contact.alias, "each contact at most once per stage.")
            seen.add(id(contact))
            cycle = _path_to(contact, self)
            if cycle:
                chain = " -> ".join([self._alias, *cycle])
                checker.fail(
                    f"stage {number} contacts",
                    contact.alias,
                    f"escalation plans cannot engage each other in a cycle ({chain}).",
                )
        minutes = checker.whole_minutes(f"stage {number} duration", stage.duration, minimum=0, maximum=30)
        if not isinstance(stage.acknowledgement_stops_progression, bool):
            checker.fail(
                f"stage {number} acknowledgement_stops_progression",
                stage.acknowledgement_stops_progression,
                "True or False.",
            )
        self._stages.append((stage, minutes, contacts))
        if any(isinstance(c, Contact) and not c.channels for c in contacts):
            # Channels may still be added: whether this contact can be engaged is known at synth.
            self._validate_at_synth()
        if self._resource is not None:
            self._resource.plan = self._camel_plan()

    def _validate_at_synth(self) -> None:
        if not self._validated:
            self._validated = True
            add_synth_validation(self, self._validate)

    def _validate(self) -> list[str]:
        if not self._stages:
            return [f"EscalationPlan {self._alias!r} has no stages: give stages=[...] or call add_stage()."]
        errors = []
        for number, (_, _, contacts) in enumerate(self._stages, start=1):
            for contact in contacts:
                if isinstance(contact, Contact) and not contact.channels:
                    errors.append(
                        f"EscalationPlan {self._alias!r} stage {number} engages contact {contact.alias!r}, which has no "
                        "channels: add one (add_email_channel, add_sms_channel, add_voice_channel)."
                    )
        return errors

    def render_stages(self) -> list[dict[str, Any]]:
        """The plan's stages as the template holds them."""
        return cdk.Stack.of(self).resolve(self._plan())  # type: ignore[no-any-return]

    def _camel_plan(self) -> Any:  # the L1 takes its structs as camelCase dicts
        return camel_case(self._plan())

    def _plan(self) -> list[dict[str, Any]]:
        return [
            {
                "DurationInMinutes": minutes if minutes is not None else stage_minutes_token(stage.duration),
                "Targets": [
                    {
                        "ContactTargetInfo": {
                            "ContactId": contact.contact_arn,
                            "IsEssential": stage.acknowledgement_stops_progression,
                        }
                    }
                    for contact in contacts
                ],
            }
            for stage, minutes, contacts in self._stages
        ]


def _path_to(start: IContact, target: IContact) -> list[str]:
    """The aliases from ``start`` to ``target`` through the stages of escalation plans, or []."""
    seen: set[int] = set()

    def walk(contact: IContact) -> list[str]:
        if contact is target:
            return [contact.alias]
        if not isinstance(contact, EscalationPlan) or id(contact) in seen:
            return []
        seen.add(id(contact))
        for _, _, contacts in contact._stages:
            for child in contacts:
                rest = walk(child)
                if rest:
                    return [contact.alias, *rest]
        return []

    return walk(start)


def stage_minutes_token(duration: DurationLike) -> Any:
    """A token duration's minutes (a ``timedelta`` is never a token)."""
    assert isinstance(duration, cdk.Duration)
    return duration.to_minutes()
