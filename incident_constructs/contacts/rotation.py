"""On-call rotations: who takes the shift, when it hands off, and who is on call at any moment.

A :class:`Rotation` is an ``AWS::SSMContacts::Rotation``. Its shifts are also computed in
plain Python (:meth:`Rotation.who_is_on_call`, :meth:`Rotation.shifts`) from the same settings
that go into the template, following the rules written down in the README (On-call schedules):

* the first shift starts at ``start_time`` (a wall-clock time in ``time_zone``) and belongs to
  the first ``number_of_on_calls`` contacts of the list;
* hand-offs happen at the recurrence's local hand-off time (daily, on a day of the week, or on
  a day of the month), so a daylight saving change moves them in UTC but not on the wall clock;
* each shift lasts ``recurrence_multiplier`` recurrence periods; the first shift ends at the
  ``recurrence_multiplier``-th hand-off after ``start_time``;
* shift *k* belongs to the contacts at positions ``k * n .. k * n + n - 1`` (modulo the number of
  contacts), ``n`` being ``number_of_on_calls``;
* with shift coverage, nobody of the rotation is on call outside the coverage windows (hand-offs
  still happen at their times, covered or not);
* during an override (:class:`RotationOverride`), the override's contacts are on call instead of
  the contacts whose turn it is, inside the shifts (the coverage windows) only; those shifts are
  marked :attr:`ShiftType.OVERRIDDEN`, as ``ListRotationShifts`` marks them.

CloudFormation has no resource for overrides: each one is deployed with aws-cdk-lib's
``custom_resources.AwsCustomResource``, which calls ``CreateRotationOverride`` when it is created,
``DeleteRotationOverride`` with the id the service returned when it is deleted, and creates a new
override (then deletes the old one) when it changes.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, NamedTuple

import aws_cdk as cdk
import jsii
import typing_extensions as te
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssmcontacts as ssmcontacts
from aws_cdk import custom_resources as cr
from constructs import Construct

from .._rules import (
    HAND_OFF_PATTERN,
    HAND_OFF_RULE,
    MAX_CONTACTS_PER_ROTATION,
    MAX_MULTIPLIER,
    MAX_ROTATION_NAME_LENGTH,
    MIN_COVERAGE_MINUTES,
    ROTATION_NAME_PATTERN,
    ROTATION_NAME_RULE,
)
from .._rules import START_TIME_PATTERN as _START_TIME_PATTERN
from .._validation import (
    SSM_CONTACTS_TAGS,
    Checker,
    add_tag_validation,
    check_incident_manager_region,
    check_scope_and_id,
    claim_unique_name,
    is_token,
)
from ..core.shifts import _DAYS, DayOfWeek, OverrideWindow, RecurrenceKind, ShiftCalculator, ShiftType
from .contact import ContactType, IContact, require_contact

__all__ = [
    "DayOfWeek",
    "IRotation",
    "RecurrenceKind",
    "Rotation",
    "RotationOverride",
    "RotationRecurrence",
    "Shift",
    "ShiftCoverage",
    "ShiftType",
]

START_TIME_PATTERN = re.compile(_START_TIME_PATTERN)
START_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
TIME_ZONE_RULE = (
    "an IANA time zone name such as America/Los_Angeles, Europe/London, Asia/Seoul or UTC; "
    "abbreviations (PST, CEST, EST) and offsets (UTC+2, Etc/GMT-2) are refused."
)
MAX_CONTACTS = MAX_CONTACTS_PER_ROTATION
#: The schema's and the API's pattern of a contact ARN in a rotation (``ContactIds``).
CONTACT_ARN_PATTERN = re.compile(
    r"arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[-\w+=/,.@]*:[0-9]+:([\w+=/,.@:-]+)*", re.ASCII
)
#: A rotation ARN: a contact ARN whose resource is ``rotation/<id>``.
ROTATION_ARN_PATTERN = re.compile(
    r"arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[a-z0-9-]+:[0-9]{12}:rotation/[\w+=/,.@:-]+", re.ASCII
)
#: How many hand-offs after ``start_time`` the shift computation walks (``who_is_on_call``,
#: ``shifts``): 50,000 is 136 years of daily hand-offs, computed in well under a second.
MAX_HAND_OFFS = 50_000
#: The user guide (Managing an existing on-call schedule, "Creating an override for an on-call
#: schedule rotation"): "An override must be at least 30 minutes in length. You can only specify
#: an override for shifts that occur no more than six months in the future."
MIN_OVERRIDE_MINUTES = 30
MAX_OVERRIDE_MONTHS_AHEAD = 6
#: The API's limit of ``NewContactIds`` (0 to 30 contact ARNs).
MAX_OVERRIDE_CONTACTS = 30
#: The context key that pins "now" for the six-months check (an ISO 8601 time with its offset),
#: e.g. ``cdk synth -c incident-constructs:now=2026-03-01T00:00:00Z``. Default: the clock.
NOW_CONTEXT = "incident-constructs:now"
#: The custom resource type of an override in the template (``AwsCustomResource``).
OVERRIDE_RESOURCE_TYPE = "Custom::RotationOverride"
#: The IAM actions the override's custom resource may call, on this rotation's ARN only.
OVERRIDE_ACTIONS = ("ssm-contacts:CreateRotationOverride", "ssm-contacts:DeleteRotationOverride")
_UTC = timezone.utc


@dataclass(frozen=True)
class RotationRecurrence:
    """When a rotation hands off to the next contacts. Build it with :meth:`daily`,
    :meth:`weekly` or :meth:`monthly`; the values are checked by the :class:`Rotation`."""

    kind: RecurrenceKind
    hand_off_time: str
    day_of_week: DayOfWeek | str | None = None
    day_of_month: int | None = None

    @staticmethod
    def daily(*, hand_off_time: str) -> RotationRecurrence:
        """Hand off every day at ``hand_off_time`` (``"HH:MM"``, local time of the rotation)."""
        return RotationRecurrence(RecurrenceKind.DAILY, hand_off_time)

    @staticmethod
    def weekly(*, day_of_week: DayOfWeek | str, hand_off_time: str) -> RotationRecurrence:
        """Hand off every week on ``day_of_week`` (``MON`` to ``SUN``) at ``hand_off_time``."""
        return RotationRecurrence(RecurrenceKind.WEEKLY, hand_off_time, day_of_week=day_of_week)

    @staticmethod
    def monthly(*, day_of_month: int, hand_off_time: str) -> RotationRecurrence:
        """Hand off every month on ``day_of_month`` (1-31) at ``hand_off_time``.

        In months shorter than ``day_of_month`` the hand-off happens on the month's last day.
        """
        return RotationRecurrence(RecurrenceKind.MONTHLY, hand_off_time, day_of_month=day_of_month)


@dataclass(frozen=True)
class ShiftCoverage:
    """A window of a day of the week during which the rotation is on call (local time).

    Give several for several days or several windows a day. Windows last at least 30 minutes,
    end after they start on the same day, and do not overlap.

    :param day_of_week: ``MON`` to ``SUN``.
    :param start: the start of the window, ``"HH:MM"``.
    :param end: the end of the window, ``"HH:MM"``, later than ``start``.
    """

    day_of_week: DayOfWeek | str
    start: str
    end: str


@dataclass(frozen=True)
class RotationOverride:
    """Other contacts of the rotation on call from ``start`` to ``end``, instead of the contacts
    whose turn it is (a vacation, a swap). Give it to a :class:`Rotation` (``overrides=[...]`` or
    :meth:`Rotation.add_override`).

    :param start: when the override begins, a timezone-aware ``datetime``.
    :param end: when it ends (excluded), aware, at least 30 minutes after ``start`` and at most
        six months after now (the service's rules).
    :param contacts: 0 to 30 contacts that are members of the rotation, each once. They replace
        all the contacts on call; list a contact whose turn it is to keep them on call. An empty
        list puts nobody of the rotation on call.
    """

    start: datetime
    end: datetime
    contacts: Sequence[IContact]


class Shift(NamedTuple):
    """A stretch of time with the same contacts on call: ``(start, end, contacts)``; ``end`` excluded.

    ``shift_type`` is :attr:`ShiftType.REGULAR` for the rotation's own turn and
    :attr:`ShiftType.OVERRIDDEN` during an override, whose ``overridden_contacts`` are the
    contacts whose turn it was (``ListRotationShifts``: ``Type`` and ``ShiftDetails``).
    """

    start: datetime
    end: datetime
    contacts: list[IContact]
    shift_type: ShiftType = ShiftType.REGULAR
    overridden_contacts: tuple[IContact, ...] = ()


# -- checks ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _iana_zone_names() -> frozenset[str]:
    names = set()
    for name in zoneinfo.available_timezones():
        if name == "UTC" or "/" in name and not name.startswith(("Etc/", "posix/", "right/", "SystemV/")):
            names.add(name)
    return frozenset(names)


def check_time_zone(checker: Checker, field: str, value: Any) -> None:
    """An IANA zone name (``Area/Location`` or ``UTC``); tokens pass."""
    checker.string(field, value, max_len=255)
    if is_token(value):
        return
    if value not in _iana_zone_names():
        checker.fail(field, value, TIME_ZONE_RULE)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _day(checker: Checker, field: str, value: Any) -> DayOfWeek:
    try:
        return DayOfWeek(value)
    except ValueError:
        checker.fail(field, value, "one of MON, TUE, WED, THU, FRI, SAT, SUN.")
        raise  # pragma: no cover - fail() raises


def _hand_off(checker: Checker, field: str, value: Any) -> None:
    checker.string(field, value, max_len=5, pattern=HAND_OFF_PATTERN, pattern_text=HAND_OFF_RULE)


# -- the shift computation (pure Python) -----------------------------------------------------


# -- the construct -----------------------------------------------------------------------------


@te.runtime_checkable
class IRotation(cdk.IResource, te.Protocol):
    """An on-call rotation, owned by this app (:class:`Rotation`) or imported
    (:meth:`Rotation.from_rotation_arn`)."""

    @property
    def rotation_arn(self) -> str:
        """The rotation's ARN (``arn:<partition>:ssm-contacts:<region>:<account>:rotation/<id>``)."""
        ...

    @property
    def rotation_name(self) -> str:
        """The rotation's name (for an imported rotation: the last part of its ARN)."""
        ...


@jsii.implements(IRotation)
class _ImportedRotation(cdk.Resource):
    """A rotation that exists already. Its settings are unknown here, so it has no shifts: an
    on-call schedule can name it, but cannot say who it puts on call."""

    def __init__(self, scope: Construct, id: str, *, arn: str, name: str) -> None:
        if is_token(arn):
            super().__init__(scope, id)
        else:
            super().__init__(scope, id, environment_from_arn=arn)
        self._arn = arn
        self._name = name

    @property
    def rotation_arn(self) -> str:
        return self._arn

    @property
    def rotation_name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"Rotation.from_rotation_arn({self._arn!r})"


@jsii.implements(IRotation)
class Rotation(cdk.Resource):
    """An on-call rotation (an ``AWS::SSMContacts::Rotation``): contacts that take turns.

    Add it to an :class:`~incident_constructs.OnCallSchedule` to engage whoever is on call.
    The shifts are also computed in Python: :meth:`who_is_on_call` and :meth:`shifts`.

    The resource has the construct id ``Resource`` (``rotation.node.default_child``) and is
    retained when removed from the stack unless ``removal_policy`` says otherwise.

    :param rotation_name: the rotation's name, unique in the account: 1-255 letters, digits and '_'.
    :param contacts: 1 to 30 different personal contacts; the list order is the shift order.
    :param start_time: the start of the first shift, wall-clock time in ``time_zone``: a naive
        ``datetime``, an aware one (converted to ``time_zone``) or ``"YYYY-MM-DDTHH:MM:SS"``.
    :param time_zone: an IANA time zone name, e.g. ``America/Los_Angeles`` or ``UTC``.
    :param recurrence: when shifts hand off, e.g. ``RotationRecurrence.weekly(day_of_week="MON",
        hand_off_time="09:00")``.
    :param number_of_on_calls: contacts on call at once, 1 to the number of contacts. Default: 1.
    :param recurrence_multiplier: days, weeks or months a shift lasts, 1-100. Default: 1.
    :param shift_coverage: windows of the week when the rotation is on call. Default: around the clock.
    :param overrides: one-off changes of who is on call (:class:`RotationOverride`), each deployed
        as a custom resource (see :meth:`add_override`). Default: none.
    :param tags: tags of the rotation (keys and values as AWS::SSMContacts::Rotation allows them).
        ``Tags.of(scope)`` tags it too. Default: none.
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        rotation_name: str,
        contacts: Sequence[IContact],
        start_time: datetime | str,
        time_zone: str,
        recurrence: RotationRecurrence,
        number_of_on_calls: int = 1,
        recurrence_multiplier: int = 1,
        shift_coverage: Sequence[ShiftCoverage] | None = None,
        overrides: Sequence[RotationOverride] | None = None,
        tags: Mapping[str, str] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("Rotation", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "Rotation")
        self._checker = checker
        check_incident_manager_region(checker, scope, "AWS::SSMContacts::Rotation")
        checker.removal_policy("removal_policy", removal_policy)
        if tags is not None:
            checker.tags("tags", tags, rules=SSM_CONTACTS_TAGS)
        checker.string(
            "rotation_name",
            rotation_name,
            max_len=MAX_ROTATION_NAME_LENGTH,
            pattern=ROTATION_NAME_PATTERN,
            pattern_text=ROTATION_NAME_RULE,
        )
        self._contacts = self._check_contacts(contacts)
        checker.integer("number_of_on_calls", number_of_on_calls, minimum=1)
        if number_of_on_calls > len(self._contacts):
            checker.fail(
                "number_of_on_calls",
                number_of_on_calls,
                f"at most the number of contacts in the rotation ({len(self._contacts)}).",
            )
        checker.integer("recurrence_multiplier", recurrence_multiplier, minimum=1, maximum=MAX_MULTIPLIER)
        check_time_zone(checker, "time_zone", time_zone)
        start_text, start_local = self._check_start_time(start_time, time_zone)
        recurrence = self._check_recurrence(recurrence)
        coverage = self._check_coverage(shift_coverage)
        claim_unique_name(self, checker, "rotation", "rotation_name", rotation_name, scope=scope)

        self._name = rotation_name
        self._time_zone = time_zone
        #: The start of the first shift, wall-clock time in ``time_zone`` (None when a token).
        self.start_time: datetime | None = start_local
        self.recurrence = recurrence
        self.number_of_on_calls = number_of_on_calls
        self.recurrence_multiplier = recurrence_multiplier
        self.shift_coverage: list[ShiftCoverage] = list(shift_coverage or [])
        self._coverage = coverage
        self._calculator: ShiftCalculator | None = None

        #: The ``AWS::SSMContacts::Rotation`` resource (construct id ``Resource``).
        self.resource = ssmcontacts.CfnRotation(
            self,
            "Resource",
            name=rotation_name,
            contact_ids=[c.contact_arn for c in self._contacts],
            start_time=start_text,
            time_zone_id=time_zone,
            recurrence=self._render_recurrence(),
            tags=[cdk.CfnTag(key=k, value=v) for k, v in sorted((tags or {}).items())] or None,
        )
        self.resource.apply_removal_policy(removal_policy)
        add_tag_validation(self, self.resource, "Rotation", SSM_CONTACTS_TAGS, scope=scope)
        self._arn = self.resource.attr_arn

        self._overrides: list[_CheckedOverride] = []
        #: The custom resources of the overrides, in the order they were added.
        self.override_resources: list[cr.AwsCustomResource] = []
        if overrides is not None:
            if isinstance(overrides, (str, bytes)) or not isinstance(overrides, Sequence):
                checker.fail("overrides", overrides, "a list of RotationOverride.")
            for override in overrides:
                self.add_override(override)

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_rotation_arn(scope: Construct, id: str, rotation_arn: str) -> IRotation:
        """Use an existing rotation, by ARN (``arn:<partition>:ssm-contacts:<region>:<account>:rotation/<id>``).

        An on-call schedule can hold it; its shifts are not known here, so the schedule's
        ``who_is_on_call`` and ``shifts`` cannot count it.
        """
        checker = Checker(check_scope_and_id("Rotation", scope, id), "Rotation")
        checker.string("rotation_arn", rotation_arn, min_len=1, max_len=2048)
        if is_token(rotation_arn):
            name = cdk.Fn.select(1, cdk.Fn.split("/", rotation_arn))
        else:
            if not ROTATION_ARN_PATTERN.fullmatch(rotation_arn):
                checker.fail(
                    "rotation_arn",
                    rotation_arn,
                    "an ARN like arn:aws:ssm-contacts:<region>:<account>:rotation/<id>.",
                )
            name = rotation_arn.split(":")[5].split("/", 1)[1]
        return _ImportedRotation(scope, id, arn=rotation_arn, name=name)

    # -- attributes ------------------------------------------------------------------------
    @property
    def rotation_arn(self) -> str:
        """The rotation's ARN."""
        return self._arn

    def __repr__(self) -> str:
        return f"Rotation(rotation_name={self._name!r})"

    @property
    def rotation_name(self) -> str:
        return self._name

    @property
    def time_zone(self) -> str:
        return self._time_zone

    @property
    def contacts(self) -> list[IContact]:
        """The contacts, in shift order."""
        return list(self._contacts)

    # -- overrides -------------------------------------------------------------------------
    @property
    def overrides(self) -> list[RotationOverride]:
        """The overrides, in the order they were added; times in UTC."""
        return [RotationOverride(o.start, o.end, [self._contacts[i] for i in o.positions]) for o in self._overrides]

    def add_override(self, override: RotationOverride) -> cr.AwsCustomResource:
        """Put other contacts of this rotation on call from ``override.start`` to ``override.end``.

        Checked now, with the service's rules (the user guide, "Creating an override for an
        on-call schedule rotation"): timezone-aware times in whole seconds; an end later than the
        start, at least 30 minutes after it and at most six months after now (the context value
        ``incident-constructs:now`` pins "now"; an override that has ended is kept until you remove
        it); 0 to 30 contacts that are members of the rotation, each once; no overlap with another
        override of this rotation.

        Deployed with aws-cdk-lib's ``AwsCustomResource`` (type ``Custom::RotationOverride``,
        construct id ``Override<start in UTC>``, e.g. ``Override20260301T170000``):
        ``createRotationOverride`` when created, ``deleteRotationOverride`` with the returned id
        when deleted; a change creates a new override, then CloudFormation deletes the old one.
        Its policy allows only those two actions, on this rotation's ARN.

        :returns: the custom resource.
        """
        checked = self._check_override(f"overrides[{len(self._overrides)}]", override)
        resource = self._render_override(checked)
        self._overrides.append(checked)
        self.override_resources.append(resource)
        self._calculator = None
        return resource

    def _check_override(self, field: str, override: Any) -> _CheckedOverride:
        checker = self._checker
        if not isinstance(override, RotationOverride):
            checker.fail(field, override, "a RotationOverride(start=..., end=..., contacts=[...]).")
        start = to_utc(checker, f"{field} start", override.start)
        end = to_utc(checker, f"{field} end", override.end)
        for name, value in (("start", override.start), ("end", override.end)):
            if value.microsecond:
                checker.fail(f"{field} {name}", value.isoformat(), "whole seconds (the template keeps no fractions).")
        if end <= start:
            checker.fail(
                f"{field} end", override.end.isoformat(), f"later than its start ({override.start.isoformat()})."
            )
        if end - start < timedelta(minutes=MIN_OVERRIDE_MINUTES):
            checker.fail(
                field,
                f"{utc_text(start)} to {utc_text(end)}",
                f"at least {MIN_OVERRIDE_MINUTES} minutes long (the user guide: "
                "'An override must be at least 30 minutes in length').",
            )
        self._check_ahead(field, end)
        positions = self._check_override_contacts(f"{field} contacts", override.contacts)
        for other in self._overrides:
            if start < other.end and other.start < end:
                checker.fail(
                    field,
                    f"{utc_text(start)} to {utc_text(end)}",
                    "overrides of one rotation must not overlap "
                    f"(it overlaps the override from {utc_text(other.start)} to {utc_text(other.end)}).",
                )
        return _CheckedOverride(start, end, positions)

    def _now(self) -> datetime:
        """``incident-constructs:now`` from the context, or the clock."""
        value = self.node.try_get_context(NOW_CONTEXT)
        if value is None:
            return datetime.now(_UTC)
        moment = None
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
            self._checker.fail(
                f"the context value {NOW_CONTEXT}",
                value,
                "an ISO 8601 time with its offset, e.g. 2026-03-01T00:00:00Z.",
            )
        return moment.astimezone(_UTC)

    def _check_ahead(self, field: str, end: datetime) -> None:
        now = self._now()
        latest = months_after(now, MAX_OVERRIDE_MONTHS_AHEAD)
        if end > latest:
            self._checker.fail(
                f"{field} end",
                utc_text(end),
                f"at most {MAX_OVERRIDE_MONTHS_AHEAD} months after now ({utc_text(now)}), so by {utc_text(latest)} "
                "(the user guide: 'You can only specify an override for shifts that occur no more than six months "
                f"in the future'); add it later, or pin now with the context value {NOW_CONTEXT}.",
            )

    def _check_override_contacts(self, field: str, contacts: Any) -> tuple[int, ...]:
        checker = self._checker
        if isinstance(contacts, (str, bytes)) or not isinstance(contacts, Sequence):
            checker.fail(field, contacts, "a list of contacts of the rotation (empty: nobody on call).")
        items = list(contacts)
        checker.count(field, items, minimum=0, maximum=MAX_OVERRIDE_CONTACTS)
        positions: list[int] = []
        for contact in items:
            require_contact(checker, field, contact)
            position = self._member_position(contact)
            if position is None:
                members = ", ".join("(token)" if is_token(c.alias) else c.alias for c in self._contacts)
                checker.fail(
                    field,
                    contact.alias,
                    f"contacts of this rotation only ({members}); the user guide: 'You can only assign contacts "
                    "to an override that are already assigned to the rotation'.",
                )
            if position in positions:
                checker.fail(field, contact.alias, "each contact at most once in an override.")
            positions.append(position)
        return tuple(positions)

    def _member_position(self, contact: IContact) -> int | None:
        for index, member in enumerate(self._contacts):
            if member is contact:
                return index
        alias = contact.alias
        if is_token(alias):
            return None
        for index, member in enumerate(self._contacts):
            if not is_token(member.alias) and member.alias == alias:
                return index
        return None

    def _render_override(self, checked: _CheckedOverride) -> cr.AwsCustomResource:
        create = cr.AwsSdkCall(
            service="SSMContacts",
            action="createRotationOverride",
            parameters={
                "RotationId": self.rotation_arn,
                "NewContactIds": [self._contacts[i].contact_arn for i in checked.positions],
                "StartTime": utc_text(checked.start),
                "EndTime": utc_text(checked.end),
            },
            physical_resource_id=cr.PhysicalResourceId.from_response("RotationOverrideId"),
        )
        delete = cr.AwsSdkCall(
            service="SSMContacts",
            action="deleteRotationOverride",
            parameters={"RotationId": self.rotation_arn, "RotationOverrideId": cr.PhysicalResourceIdReference()},
        )
        return cr.AwsCustomResource(
            self,
            f"Override{checked.start:%Y%m%dT%H%M%S}",
            resource_type=OVERRIDE_RESOURCE_TYPE,
            on_create=create,
            on_update=create,
            on_delete=delete,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=list(OVERRIDE_ACTIONS), resources=[self.rotation_arn])]
            ),
            install_latest_aws_sdk=False,
        )

    # -- checks ----------------------------------------------------------------------------
    def _check_contacts(self, contacts: Any) -> list[IContact]:
        checker = self._checker
        if isinstance(contacts, (str, bytes)) or not isinstance(contacts, Sequence):
            checker.fail("contacts", contacts, "a list of personal contacts.")
        result = list(contacts)
        checker.count("contacts", result, minimum=1, maximum=MAX_CONTACTS)
        seen_ids: set[int] = set()
        seen_aliases: set[str] = set()
        for contact in result:
            require_contact(checker, "contacts", contact)
            arn = contact.contact_arn
            if isinstance(arn, str) and not is_token(arn) and not CONTACT_ARN_PATTERN.fullmatch(arn):
                checker.fail(
                    "contacts",
                    arn,
                    "contacts whose ARN is arn:<aws, aws-cn or aws-us-gov>:ssm-contacts:<region>:<account>:contact/<alias>.",
                )
            if contact.contact_type not in (None, ContactType.PERSONAL):
                checker.fail(
                    "contacts",
                    contact.alias,
                    f"personal contacts only (this one is {contact.contact_type.value}).",
                )
            alias = contact.alias
            if id(contact) in seen_ids or (not is_token(alias) and alias in seen_aliases):
                checker.fail("contacts", alias, "each contact at most once in a rotation.")
            seen_ids.add(id(contact))
            if not is_token(alias):
                seen_aliases.add(alias)
        return result

    def _check_start_time(self, value: Any, time_zone: str) -> tuple[str, datetime | None]:
        checker = self._checker
        if isinstance(value, str):
            if is_token(value):
                return value, None
            if not START_TIME_PATTERN.fullmatch(value):
                checker.fail("start_time", value, "a datetime or a string 'YYYY-MM-DDTHH:MM:SS' (no offset).")
            try:
                parsed = datetime.strptime(value, START_TIME_FORMAT)
            except ValueError:
                checker.fail("start_time", value, "a real date and time of day.")
            return value, parsed
        if not isinstance(value, datetime):
            checker.fail("start_time", value, "a datetime or a string 'YYYY-MM-DDTHH:MM:SS' (no offset).")
        if value.microsecond:
            checker.fail("start_time", value.isoformat(), "whole seconds (the service keeps no fractions).")
        if value.tzinfo is not None:
            if is_token(time_zone):
                checker.fail("start_time", value.isoformat(), "a naive datetime when time_zone is a token.")
            try:
                value = value.astimezone(zoneinfo.ZoneInfo(time_zone)).replace(tzinfo=None)
            except (OverflowError, ValueError):
                checker.fail("start_time", value.isoformat(), f"a time that exists in {time_zone}.")
        return value.isoformat(timespec="seconds"), value

    def _check_recurrence(self, recurrence: Any) -> RotationRecurrence:
        checker = self._checker
        if not isinstance(recurrence, RotationRecurrence):
            checker.fail(
                "recurrence", recurrence, "a RotationRecurrence: RotationRecurrence.daily(), .weekly() or .monthly()."
            )
        try:
            kind = RecurrenceKind(recurrence.kind)
        except ValueError:
            checker.fail("recurrence kind", recurrence.kind, "DAILY, WEEKLY or MONTHLY.")
            raise  # pragma: no cover - fail() raises
        _hand_off(checker, "recurrence hand_off_time", recurrence.hand_off_time)
        day_of_week: DayOfWeek | None = None
        if kind is RecurrenceKind.WEEKLY:
            day_of_week = _day(checker, "recurrence day_of_week", recurrence.day_of_week)
        if kind is RecurrenceKind.MONTHLY:
            checker.integer("recurrence day_of_month", recurrence.day_of_month, minimum=1, maximum=31)
        checked: RotationRecurrence = dataclasses.replace(recurrence, kind=kind, day_of_week=day_of_week)
        return checked

    def _check_coverage(self, coverage: Any) -> dict[int, list[tuple[int, int]]] | None:
        checker = self._checker
        if coverage is None:
            return None
        if isinstance(coverage, (str, bytes)) or not isinstance(coverage, Sequence):
            checker.fail("shift_coverage", coverage, "a list of ShiftCoverage.")
        if not coverage:
            checker.fail("shift_coverage", coverage, "at least one window, or None for around the clock.")
        by_day: dict[int, list[tuple[int, int]]] = {}
        for window in coverage:
            if not isinstance(window, ShiftCoverage):
                checker.fail("shift_coverage", window, "ShiftCoverage(day_of_week=..., start='HH:MM', end='HH:MM').")
            day = _day(checker, "shift_coverage day_of_week", window.day_of_week)
            _hand_off(checker, f"shift_coverage {day.value} start", window.start)
            _hand_off(checker, f"shift_coverage {day.value} end", window.end)
            if is_token(window.start) or is_token(window.end):
                continue
            lo, hi = _minutes(window.start), _minutes(window.end)
            shown = f"{day.value} {window.start}-{window.end}"
            if hi <= lo:
                checker.fail(
                    "shift_coverage",
                    shown,
                    "the end must be later than the start on the same day (split a window over midnight in two).",
                )
            if hi - lo < MIN_COVERAGE_MINUTES:
                checker.fail("shift_coverage", shown, f"a window lasts at least {MIN_COVERAGE_MINUTES} minutes.")
            for other_lo, other_hi in by_day.get(day.weekday, []):
                if lo < other_hi and other_lo < hi:
                    checker.fail(
                        "shift_coverage",
                        shown,
                        f"windows of the same day must not overlap (it overlaps {day.value} "
                        f"{other_lo // 60:02d}:{other_lo % 60:02d}-{other_hi // 60:02d}:{other_hi % 60:02d}).",
                    )
            by_day.setdefault(day.weekday, []).append((lo, hi))
        return {day: sorted(windows) for day, windows in by_day.items()}

    # -- rendering -------------------------------------------------------------------------
    def _render_recurrence(self) -> ssmcontacts.CfnRotation.RecurrenceSettingsProperty:
        rec = self.recurrence
        daily: list[str] | None = None
        weekly: list[ssmcontacts.CfnRotation.WeeklySettingProperty] | None = None
        monthly: list[ssmcontacts.CfnRotation.MonthlySettingProperty] | None = None
        if rec.kind is RecurrenceKind.DAILY:
            daily = [rec.hand_off_time]
        elif rec.kind is RecurrenceKind.WEEKLY:
            weekly = [
                ssmcontacts.CfnRotation.WeeklySettingProperty(
                    day_of_week=DayOfWeek(rec.day_of_week).value, hand_off_time=rec.hand_off_time
                )
            ]
        else:
            assert rec.day_of_month is not None
            monthly = [
                ssmcontacts.CfnRotation.MonthlySettingProperty(
                    day_of_month=rec.day_of_month, hand_off_time=rec.hand_off_time
                )
            ]
        coverages: list[ssmcontacts.CfnRotation.ShiftCoverageProperty] | None = None
        if self.shift_coverage:
            by_day: dict[DayOfWeek, list[ShiftCoverage]] = {}
            for window in self.shift_coverage:
                by_day.setdefault(DayOfWeek(window.day_of_week), []).append(window)
            coverages = [
                ssmcontacts.CfnRotation.ShiftCoverageProperty(
                    day_of_week=day.value,
                    coverage_times=[
                        ssmcontacts.CfnRotation.CoverageTimeProperty(start_time=w.start, end_time=w.end)
                        for w in sorted(by_day[day], key=lambda w: -1 if is_token(w.start) else _minutes(w.start))
                    ],
                )
                for day in _DAYS
                if day in by_day
            ]
        return ssmcontacts.CfnRotation.RecurrenceSettingsProperty(
            number_of_on_calls=self.number_of_on_calls,
            recurrence_multiplier=self.recurrence_multiplier,
            daily_settings=daily,
            weekly_settings=weekly,
            monthly_settings=monthly,
            shift_coverages=coverages,
        )

    # -- the shifts ------------------------------------------------------------------------
    def calculator(self) -> ShiftCalculator:
        """The shift computation for this rotation's settings (refused when a setting is a token)."""
        if self._calculator is None:
            rec = self.recurrence
            tokens = [
                field
                for field, value in (
                    ("time_zone", self._time_zone),
                    ("start_time", self.start_time),
                    ("recurrence hand_off_time", rec.hand_off_time),
                )
                if value is None or is_token(value)
            ]
            if (
                self.shift_coverage
                and self._coverage is not None
                and any(is_token(w.start) or is_token(w.end) for w in self.shift_coverage)
            ):
                tokens.append("shift_coverage")
            if tokens:
                self._checker.fail(
                    ", ".join(tokens), "a token", "shifts can only be computed from values known at synth time."
                )
            assert self.start_time is not None
            try:
                zone = zoneinfo.ZoneInfo(self._time_zone)
                zone.utcoffset(self.start_time)
                self.start_time.replace(tzinfo=zone).astimezone(_UTC)
            except (OverflowError, ValueError):
                self._checker.fail(
                    "start_time",
                    self.start_time.isoformat(),
                    "a start that exists in UTC (shifts are computed in UTC).",
                )
            self._calculator = ShiftCalculator(
                zone=zoneinfo.ZoneInfo(self._time_zone),
                start=self.start_time,
                kind=RecurrenceKind(rec.kind),
                hand_off=_minutes(rec.hand_off_time),
                day_of_week=DayOfWeek(rec.day_of_week).weekday if rec.kind is RecurrenceKind.WEEKLY else None,
                day_of_month=rec.day_of_month,
                multiplier=self.recurrence_multiplier,
                on_calls=self.number_of_on_calls,
                contact_count=len(self._contacts),
                coverage=self._coverage,
                overrides=[OverrideWindow(o.start, o.end, o.positions) for o in self._overrides],
            )
        return self._calculator

    def who_is_on_call(self, *, at: datetime) -> list[IContact]:
        """The contacts on call at the moment ``at`` (a timezone-aware datetime), in list order
        of their turn; an empty list before the first shift or outside the shift coverage."""
        moment = to_utc(self._checker, "at", at)
        calculator = self.calculator()
        self._check_reach(calculator, "at", moment)
        try:
            positions = calculator.on_call_at(moment)
        except (OverflowError, ValueError):
            self._checker.fail("at", moment.isoformat(), "a time whose shift ends before the year 10000.")
        return [self._contacts[i] for i in positions]

    def shifts(self, *, start: datetime, end: datetime) -> list[Shift]:
        """The on-call stretches between ``start`` and ``end`` (aware datetimes), cut at both ends,
        at the edges of the shift coverage and of overrides; times in the rotation's time zone.
        Each is marked regular or overridden (:attr:`Shift.shift_type`)."""
        begin, finish = require_range(self._checker, start, end)
        zone = zoneinfo.ZoneInfo(self._time_zone)
        calculator = self.calculator()
        self._check_reach(calculator, "end", finish)
        try:
            return [
                Shift(
                    piece.start.astimezone(zone),
                    piece.end.astimezone(zone),
                    [self._contacts[i] for i in piece.members],
                    piece.shift_type,
                    tuple(self._contacts[i] for i in piece.replaced),
                )
                for piece in calculator.intervals(begin, finish)
            ]
        except (OverflowError, ValueError):
            self._checker.fail("end", finish.isoformat(), "a time whose shift ends before the year 10000.")

    def _check_reach(self, calculator: ShiftCalculator, field: str, moment: datetime) -> None:
        """Refuse a moment so far after ``start_time`` that computing it would walk more than
        MAX_HAND_OFFS hand-offs (the computation walks every hand-off from the start)."""
        days = (moment - calculator.start).total_seconds() / 86400
        period = {RecurrenceKind.DAILY: 1.0, RecurrenceKind.WEEKLY: 7.0, RecurrenceKind.MONTHLY: 28.0}[calculator.kind]
        if days / period > MAX_HAND_OFFS:
            self._checker.fail(
                field,
                moment.isoformat(),
                f"a time at most {MAX_HAND_OFFS} hand-offs after the rotation's start_time "
                f"({calculator.start_local.isoformat()}).",
            )


@dataclass(frozen=True)
class _CheckedOverride:
    """An override as checked: times in UTC, contacts as positions in the rotation's list."""

    start: datetime
    end: datetime
    positions: tuple[int, ...]


def utc_text(moment: datetime) -> str:
    """``2026-03-01T17:00:00Z``: how the template writes an override's times."""
    return moment.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months later (the month's last day when it is
    shorter), e.g. 2026-08-31 plus 6 months is 2027-02-28."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def to_utc(checker: Checker, field: str, value: Any) -> datetime:
    """A timezone-aware datetime in UTC, or a ValidationError (also for a time that cannot be
    expressed in UTC, such as ``datetime.max`` with a negative offset)."""
    aware = require_aware(checker, field, value)
    try:
        return aware.astimezone(_UTC)
    except (OverflowError, ValueError):
        checker.fail(field, aware.isoformat(), "a time between the years 1 and 9999 in UTC.")


def require_aware(checker: Checker, field: str, value: Any) -> datetime:
    """A timezone-aware datetime, or a ValidationError."""
    if not isinstance(value, datetime):
        checker.fail(
            field, value, "a timezone-aware datetime, e.g. datetime(2026, 1, 12, 17, 0, tzinfo=ZoneInfo('UTC'))."
        )
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        checker.fail(
            field,
            value.isoformat(),
            "a timezone-aware datetime (a naive one is ambiguous), e.g. datetime(2026, 1, 12, 17, 0, tzinfo=ZoneInfo('UTC')).",
        )
    aware: datetime = value
    return aware


def require_range(checker: Checker, start: Any, end: Any) -> tuple[datetime, datetime]:
    begin = to_utc(checker, "start", start)
    finish = to_utc(checker, "end", end)
    if finish <= begin:
        checker.fail("end", end.isoformat(), f"later than start ({start.isoformat()}).")
    return begin, finish
