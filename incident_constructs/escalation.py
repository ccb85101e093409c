"""Escalation plans: stages of contacts engaged one after the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import aws_cdk as cdk
import jsii
from constructs import Construct

from ._batch import render
from ._validation import add_synth_validation
from .contact import (
    ContactBase,
    ContactType,
    IContact,
    import_contact,
    reference,
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
    duration: cdk.Duration = field(default_factory=lambda: DEFAULT_STAGE_DURATION)
    acknowledgement_stops_progression: bool = False


@jsii.implements(cdk.ITaggableV2)
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
        display_name: Optional[str] = None,
        stages: Optional[Sequence[EscalationStage]] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self._set_up_contact(scope, "EscalationPlan", ContactType.ESCALATION, alias, display_name)
        self._stages: list[tuple[EscalationStage, Optional[int], list[IContact]]] = []
        for stage in stages or []:
            self.add_stage(stage)
        self._contact_resource(scope, id, display_name, removal_policy, plan=self._plan())
        if not self._stages:  # stages are never removed: only an empty plan can fail the rule
            add_synth_validation(self, self._validate)

    @staticmethod
    def from_escalation_plan_arn(scope: Construct, id: str, escalation_plan_arn: str) -> IContact:
        """Use an existing escalation plan, by ARN."""
        return import_contact(
            scope, id, arn=escalation_plan_arn, alias=None, contact_type=ContactType.ESCALATION, kind="EscalationPlan"
        )

    @staticmethod
    def from_alias(scope: Construct, id: str, alias: str) -> IContact:
        """Use an existing escalation plan of the stack's account and region, by alias."""
        return import_contact(scope, id, arn=None, alias=alias, contact_type=ContactType.ESCALATION, kind="EscalationPlan")

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
        minutes = checker.whole_minutes(f"stage {number} duration", stage.duration, minimum=0, maximum=30)
        if not isinstance(stage.acknowledgement_stops_progression, bool):
            checker.fail(
                f"stage {number} acknowledgement_stops_progression", stage.acknowledgement_stops_progression, "True or False."
            )
        self._stages.append((stage, minutes, contacts))
        if self._batched is not None:
            self._batched.set("Plan", self._plan())

    def _validate(self) -> list[str]:
        if not self._stages:
            return [f"EscalationPlan {self._alias!r} has no stages: give stages=[...] or call add_stage()."]
        return []

    def render_stages(self) -> list[dict[str, Any]]:
        """The plan's stages as the template holds them."""
        assert self._batched is not None
        return render(self._plan(), self._batched.place.stack)  # type: ignore[no-any-return]

    def _plan(self) -> list[dict[str, Any]]:
        return [
            {
                "DurationInMinutes": minutes if minutes is not None else stage.duration.to_minutes(),
                "Targets": [
                    {
                        "ContactTargetInfo": {
                            "ContactId": reference(contact),
                            "IsEssential": stage.acknowledgement_stops_progression,
                        }
                    }
                    for contact in contacts
                ],
            }
            for stage, minutes, contacts in self._stages
        ]
