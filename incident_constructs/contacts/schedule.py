"""On-call schedules: contacts that engage whoever their rotations put on call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from .._props import camel_case
from .._rules import MAX_ROTATIONS_PER_SCHEDULE
from .._validation import Checker, add_synth_validation, check_scope_and_id
from .contact import ContactBase, ContactType, IContact, import_contact
from .rotation import IRotation, Rotation, Shift, require_aware, require_range

__all__ = ["OnCallSchedule"]

#: Rotations an on-call schedule can hold.
MAX_ROTATIONS = MAX_ROTATIONS_PER_SCHEDULE


class OnCallSchedule(ContactBase):
    """An on-call schedule (an ``AWS::SSMContacts::Contact`` of type ONCALL_SCHEDULE).

    Engaging the schedule engages the contacts its rotations put on call at that moment.
    Use it wherever a contact goes: in an :class:`~incident_constructs.EscalationStage` or as a
    response plan engagement. The plan is written inline on the contact
    (``Plan: [{RotationIds: [...]}]``): rotations name personal contacts, never the schedule, so
    there is no circular dependency. A schedule needs 1 to 8 rotations when the app is
    synthesized (give ``rotations`` or call :meth:`add_rotation`).

    :param alias: the schedule's unique alias (create-only: changing it replaces the schedule).
    :param display_name: the name shown in the console. Default: the alias.
    :param rotations: the rotations, at most 8. Default: none (add them with :meth:`add_rotation`).
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alias: str,
        display_name: str | None = None,
        rotations: Sequence[IRotation] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("OnCallSchedule", scope, id)
        super().__init__(scope, id)
        if rotations is not None and (isinstance(rotations, (str, bytes)) or not isinstance(rotations, Iterable)):
            Checker(self, "OnCallSchedule").fail("rotations", rotations, "a list of rotations.")
        self._set_up_contact(scope, "OnCallSchedule", ContactType.ONCALL_SCHEDULE, alias, display_name)
        self._rotations: list[IRotation] = []
        for rotation in rotations or []:
            self.add_rotation(rotation)
        #: The ``AWS::SSMContacts::Contact`` resource (construct id ``Resource``); :meth:`add_rotation`
        #: sets its ``Plan`` again, so it always holds a real list (index overrides merge).
        self.resource = self._contact_resource(display_name, removal_policy, plan=self._camel_plan())
        add_synth_validation(self, self._validate)

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_on_call_schedule_arn(scope: Construct, id: str, on_call_schedule_arn: str) -> IContact:
        """Use an existing on-call schedule, by ARN."""
        return import_contact(
            scope,
            id,
            arn=on_call_schedule_arn,
            alias=None,
            contact_type=ContactType.ONCALL_SCHEDULE,
            kind="OnCallSchedule",
        )

    @staticmethod
    def from_on_call_schedule_alias(scope: Construct, id: str, alias: str) -> IContact:
        """Use an existing on-call schedule of the stack's account and region, by alias."""
        return import_contact(
            scope, id, arn=None, alias=alias, contact_type=ContactType.ONCALL_SCHEDULE, kind="OnCallSchedule"
        )

    # -- attributes ------------------------------------------------------------------------
    @property
    def rotations(self) -> list[IRotation]:
        """The rotations, in order."""
        return list(self._rotations)

    def add_rotation(self, rotation: IRotation) -> None:
        """Add a rotation (at most 8, each once): a :class:`Rotation` or an imported one
        (``Rotation.from_rotation_arn``)."""
        checker = self._checker
        if not isinstance(rotation, IRotation):
            checker.fail("rotations", rotation, "a Rotation or an imported rotation (Rotation.from_rotation_arn).")
        if any(r is rotation for r in self._rotations):
            checker.fail("rotations", rotation.rotation_name, "each rotation at most once.")
        if len(self._rotations) >= MAX_ROTATIONS:
            checker.fail(
                "rotations", rotation.rotation_name, f"at most {MAX_ROTATIONS} rotations per on-call schedule."
            )
        self._rotations.append(rotation)
        if self._resource is not None:
            self._resource.plan = self._camel_plan()

    def _plan(self) -> list[dict[str, Any]] | None:
        if not self._rotations:
            return None
        return [{"RotationIds": [r.rotation_arn for r in self._rotations]}]

    def _camel_plan(self) -> Any:  # the L1 takes its structs as camelCase dicts
        return camel_case(self._plan())

    def _validate(self) -> list[str]:
        if not self._rotations:
            return [f"OnCallSchedule {self._alias!r} has no rotations: give rotations=[...] or call add_rotation()."]
        return []

    # -- who is on call --------------------------------------------------------------------
    def _known_rotations(self) -> list[Rotation]:
        """The rotations, when every one is defined here (an imported rotation's shifts are unknown)."""
        for rotation in self._rotations:
            if not isinstance(rotation, Rotation):
                self._checker.fail(
                    "rotations",
                    rotation.rotation_name,
                    "rotations defined in this app: the shifts of an imported rotation are not known here.",
                )
        return [r for r in self._rotations if isinstance(r, Rotation)]

    def who_is_on_call(self, *, at: datetime) -> list[IContact]:
        """Everyone on call at ``at`` (aware) in any of the rotations, each once, in rotation order."""
        require_aware(self._checker, "at", at)
        result: list[IContact] = []
        for rotation in self._known_rotations():
            for contact in rotation.who_is_on_call(at=at):
                if not any(c is contact for c in result):
                    result.append(contact)
        return result

    def shifts(self, *, start: datetime, end: datetime) -> list[Shift]:
        """The stretches between ``start`` and ``end`` with the same people on call in the
        union of the rotations; times in the time zone of ``start``."""
        begin, finish = require_range(self._checker, start, end)
        pieces: list[tuple[datetime, datetime, list[IContact]]] = []
        for rotation in self._known_rotations():
            for shift in rotation.shifts(start=begin, end=finish):
                pieces.append(
                    (shift.start.astimezone(timezone.utc), shift.end.astimezone(timezone.utc), shift.contacts)
                )
        edges = sorted({t for s, e, _ in pieces for t in (s, e)})
        zone = start.tzinfo
        result: list[Shift] = []
        for a, b in zip(edges, edges[1:], strict=False):
            people: list[IContact] = []
            for s, e, contacts in pieces:
                if s <= a and b <= e:
                    people.extend(c for c in contacts if not any(p is c for p in people))
            if not people:
                continue
            last = result[-1] if result else None
            if last is not None and last.end == a and _same(last.contacts, people):
                result[-1] = Shift(last.start, b.astimezone(zone), last.contacts)
            else:
                result.append(Shift(a.astimezone(zone), b.astimezone(zone), people))
        return result


def _same(left: list[IContact], right: list[IContact]) -> bool:
    return len(left) == len(right) and all(a is b for a, b in zip(left, right, strict=False))
