"""Building a checked organisation file (:class:`~.loader.Document`) into constructs, one
section at a time: contacts, rotations, schedules, escalation plans, runbooks, response plans,
chat channels (Slack or Microsoft Teams), CloudWatch alarms, EventBridge rules and the
replication set. ``share_with`` lists of contacts, schedules, escalation plans and response plans
share them through AWS RAM as they are built.

Each construct gets the construct id ``id:`` of its entry or, by default, its key in PascalCase,
so a stack built from a file has the logical ids of the same stack written by hand.

One run reports every problem it safely can, together (file:line:column, via
:meth:`~.loader.Document.at`): the schema's problems, and the construct problems of every entry
that has no schema problem and whose references all name entries that were built. An entry that
names an entry that was not built is skipped without a word (its reference would only repeat the
other's problem). The problems are raised at the end, so a partly built scope is never synthesized.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import pathlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from .. import _rules
from .._props import camel_case
from .._validation import SSM_CONTACTS_TAGS, Checker, ValidationError, describe
from ..contacts.contact import Contact, IContact
from ..contacts.escalation import EscalationPlan, EscalationStage
from ..contacts.rotation import Rotation, RotationOverride, RotationRecurrence, ShiftCoverage
from ..contacts.schedule import OnCallSchedule
from ..integrations import IncidentTarget, SlackChatChannel, TeamsChatChannel
from ..response.replication_set import IReplicationSet, ReplicationSet
from ..response.response_plan import (
    DynamicParameter,
    Impact,
    IResponsePlan,
    PagerDutyIntegration,
    ResponsePlan,
    TargetAccount,
)
from ..response.runbook import IRunbook, Runbook, RunbookStep, check_step
from .loader import (
    Document,
    OrganisationFileError,
    OrganisationProblem,
    PathPart,
    blocks,
    check_document,
    format_path,
    pascal,
)

if TYPE_CHECKING:
    from aws_cdk import aws_sns as sns

__all__ = ["Organisation", "build_organisation"]


@dataclasses.dataclass
class Organisation:
    """The constructs built from an organisation file, each by its key in the file."""

    #: The file they were built from.
    file: str
    contacts: dict[str, Contact] = dataclasses.field(default_factory=dict)
    rotations: dict[str, Rotation] = dataclasses.field(default_factory=dict)
    schedules: dict[str, OnCallSchedule] = dataclasses.field(default_factory=dict)
    escalation_plans: dict[str, EscalationPlan] = dataclasses.field(default_factory=dict)
    #: Runbooks written in the file (:class:`Runbook`) and existing ones (``existing: true``).
    runbooks: dict[str, IRunbook] = dataclasses.field(default_factory=dict)
    response_plans: dict[str, ResponsePlan] = dataclasses.field(default_factory=dict)
    #: Slack (:class:`SlackChatChannel`) and Microsoft Teams (:class:`TeamsChatChannel`) channels.
    chat_channels: dict[str, SlackChatChannel | TeamsChatChannel] = dataclasses.field(default_factory=dict)
    #: CloudWatch alarms by alarm name, each starting incidents from its response plan.
    alarms: dict[str, cloudwatch.Alarm] = dataclasses.field(default_factory=dict)
    #: EventBridge rules by rule name, each with an :class:`IncidentTarget` of its response plan.
    event_rules: dict[str, events.Rule] = dataclasses.field(default_factory=dict)
    #: The replication set (created or existing), or None when the file has none.
    replication_set: IReplicationSet | None = None


def build_organisation(
    scope: Construct, file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None
) -> Organisation:
    """Build the organisation described by ``file`` directly in ``scope`` (a stack, usually).

    Each construct's id is its ``id:`` in the file or, by default, its key in PascalCase
    (``incident-responder`` becomes ``IncidentResponder``), so a stack built from the file has the
    logical ids of the same stack written by hand with those ids.

    :param runbook_directory: the folder that runbook ``file:`` entries must lie in (symbolic
        links resolved). Default: the organisation file's folder.
    :raises OrganisationFileError: the file breaks the schema or a rule of the service; the message
        names the file, line and column of each problem, the schema's and the constructs' together.
        ``scope`` then holds a partial build: do not synthesize it.
    """
    document, problems = check_document(file, runbook_directory=runbook_directory)
    return _Builder(scope, document, problems).build()


_IMPACTS = {
    "critical": Impact.CRITICAL,
    "high": Impact.HIGH,
    "medium": Impact.MEDIUM,
    "low": Impact.LOW,
    "no_impact": Impact.NO_IMPACT,
}
#: Response plan keys that only mean something with a runbook.
_RUNBOOK_KEYS = ("runbook_parameters", "runbook_dynamic_parameters", "runbook_version", "runbook_role_arn")
#: A Secrets Manager ARN that ends with the six characters the service adds to the name.
_COMPLETE_SECRET_ARN = re.compile(r".*:secret:.+-[A-Za-z0-9]{6}")
_COMPARISONS = {
    "GreaterThanOrEqualToThreshold": cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    "GreaterThanThreshold": cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    "LessThanThreshold": cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    "LessThanOrEqualToThreshold": cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
}
_MISSING_DATA = {
    "breaching": cloudwatch.TreatMissingData.BREACHING,
    "notBreaching": cloudwatch.TreatMissingData.NOT_BREACHING,
    "ignore": cloudwatch.TreatMissingData.IGNORE,
    "missing": cloudwatch.TreatMissingData.MISSING,
}


class _Skipped(Exception):
    """An entry names an entry of the file that was not built (whose problems are reported): it
    is not built either, and nothing is said about it."""


class _Builder:
    def __init__(self, scope: Construct, document: Document, problems: Sequence[OrganisationProblem] = ()) -> None:
        self.scope = scope
        self.doc = document
        self.result = Organisation(file=document.file)
        self._ids: dict[str, str] = {}
        self._imports: dict[str, Any] = {}
        #: The schema's problems (they keep their entries from being built).
        self._checked = tuple(problems)
        #: Every problem found, reported together at the end.
        self.problems: list[OrganisationProblem] = list(problems)
        #: The keys of the entries of each section that were not built.
        self._failed: dict[str, set[str]] = {}
        #: Sections not built at all (the schema refused the section itself).
        self._lost: set[str] = set()

    def build(self) -> Organisation:
        self._each("contacts", self.contact)
        self._each("rotations", self.rotation)
        self._each("schedules", self.schedule)
        self._each("escalation_plans", self.escalation_plan)
        self._each("runbooks", self.runbook)
        self._each("response_plans", self.response_plan)
        self._check_chat_references()
        self._each("chat_channels", self.chat_channel)
        self._each("alarms", self.alarm)
        self._each("event_rules", self.event_rule)
        if self.doc.data.get("replication_set") is not None and not self._blocked("replication_set"):
            self._collect(self.replication_set, self.doc.data["replication_set"])
        if self.problems:
            raise OrganisationFileError(sorted(dict.fromkeys(self.problems), key=lambda p: (p.line, p.column)))
        return self.result

    def _each(self, section: str, build: Callable[[str, Mapping[str, Any]], None]) -> None:
        """``build(key, spec)`` for every entry of ``section`` without a schema problem; the
        problems are collected, and the keys of the entries not built remembered."""
        failed = self._failed.setdefault(section, set())
        for key, spec in self._entries(section).items():
            if self._blocked(section, key) or not self._collect(build, key, spec):
                failed.add(key)

    def _collect(self, build: Callable[..., None], *args: Any) -> bool:
        """``build(*args)``; False (its problems collected) when it fails or is skipped."""
        try:
            build(*args)
        except _Skipped:
            return False
        except OrganisationFileError as error:
            self.problems.extend(error.problems)
            return False
        return True

    def _entries(self, section: str) -> Mapping[str, Any]:
        """The entries of ``section``; none when the schema refused the section itself."""
        entries = self.doc.data.get(section) or {}
        if not isinstance(entries, dict) or any(len(p.parts) <= 1 and blocks(p, [section]) for p in self._checked):
            self._lost.add(section)
            return {}
        return entries

    def _blocked(self, *parts: PathPart) -> bool:
        """The schema found a problem in (or above) this section or entry."""
        return any(blocks(p, parts) for p in self._checked)

    def _not_built(self, section: str, key: str) -> bool:
        """``key`` names an entry of ``section`` that was not built (it may exist: its problems
        are reported); whoever names it is skipped."""
        return section in self._lost or key in self._failed.get(section, ())

    # -- ids -----------------------------------------------------------------------------------
    def construct_id(
        self, path: list[PathPart], spec: Mapping[str, Any], key: str, *, default: str | None = None
    ) -> str:
        """The entry's ``id:``, or ``default`` (the key in PascalCase unless given)."""
        construct_id = str(spec.get("id") or (pascal(key) if default is None else default))
        if not construct_id:
            raise self.doc.fail(path, "no construct id can be made of this name; give this one an 'id:'.", key=True)
        where = path + ["id"] if "id" in spec else path
        owner = self._ids.get(construct_id)
        if owner is not None:
            raise self.doc.fail(
                where, f"construct id {construct_id!r} is already used by {owner}; give this one an 'id:'."
            )
        existing = self.scope.node.try_find_child(construct_id)
        if existing is not None:
            raise self.doc.fail(where, f"construct id {construct_id!r} is already used in {self.scope.node.path}.")
        self._ids[construct_id] = format_path(path)
        return construct_id

    def import_id(self, base: str, owner: str) -> str:
        """A free construct id for something the file uses but does not create (a role, a topic)."""
        candidate, n = base, 2
        while candidate in self._ids or self.scope.node.try_find_child(candidate) is not None:
            candidate, n = f"{base}{n}", n + 1
        self._ids[candidate] = owner
        return candidate

    # -- contacts ------------------------------------------------------------------------------
    def contact(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["contacts", alias]
        kwargs: dict[str, Any] = {"alias": alias, "display_name": spec.get("display_name")}
        if "retry_interval_minutes" in spec:
            kwargs["default_retry_interval"] = cdk.Duration.minutes(spec["retry_interval_minutes"])
        if "defer_activation" in spec:
            kwargs["defer_activation"] = spec["defer_activation"]
        with self.doc.at(path):
            contact = Contact(self.scope, self.construct_id(path, spec, alias), **kwargs)
        self.tags(path, spec, contact, "Contact")
        staged = "engagement_stages" in spec
        for index, channel in enumerate(spec.get("channels") or []):
            self.channel(contact, path + ["channels", index], channel, staged=staged)
        if staged:
            self.engagement_stages(contact, path + ["engagement_stages"], spec["engagement_stages"])
        self.share(path, spec, contact)
        self.result.contacts[alias] = contact

    def channel(self, contact: Contact, path: list[PathPart], channel: Mapping[str, Any], *, staged: bool) -> None:
        kind = next(k for k in ("email", "sms", "voice") if k in channel)
        if staged and "engage_after_minutes" in channel:
            raise self.doc.fail(
                path + ["engage_after_minutes"],
                "engage_after_minutes is not used when the contact gives engagement_stages: "
                "name the channel in a stage instead.",
            )
        retry = channel.get("retry_interval_minutes")
        add = {"email": contact.add_email_channel, "sms": contact.add_sms_channel, "voice": contact.add_voice_channel}
        try:
            add[kind](
                channel["name"],
                channel[kind],
                engage_after=cdk.Duration.minutes(channel.get("engage_after_minutes", 0)),
                retry_interval=None if retry is None else cdk.Duration.minutes(retry),
            )
        except ValidationError as error:
            field = kind if "address of channel" in str(error) else "name"
            raise self.doc.fail(path + [field], str(error)) from None

    def engagement_stages(self, contact: Contact, path: list[PathPart], stages: list[Mapping[str, Any]]) -> None:
        """The contact's engagement plan, stage by stage, instead of the one its channels'
        ``engage_after_minutes`` would make (set on the plan's L1, ``contact.plan``)."""
        if contact.plan is None:
            raise self.doc.fail(path, "a contact without channels has no engagement plan: give channels too.")
        by_name = {c.name: c for c in contact.channels}
        rendered: list[dict[str, Any]] = []
        for index, stage in enumerate(stages):
            here = path + [index]
            targets: list[dict[str, Any]] = []
            named: set[str] = set()
            for number, target in enumerate(stage.get("channels") or []):
                name = target["name"]
                channel = by_name.get(name)
                if channel is None or name in named:
                    reason = (
                        f"is not a channel of this contact; channels: {_names(by_name)}."
                        if channel is None
                        else "is named twice in this stage; each channel at most once per stage."
                    )
                    raise self.doc.fail(here + ["channels", number, "name"], f"{name!r} {reason}")
                named.add(name)
                retry = target.get("retry_interval_minutes", channel.retry_interval_minutes)
                targets.append(
                    {"ChannelTargetInfo": {"ChannelId": channel.channel_arn, "RetryIntervalInMinutes": retry}}
                )
            if stage["duration_minutes"] == 0 and not targets:
                raise self.doc.fail(
                    here + ["duration_minutes"], "0 is not allowed for a stage that engages no channel: 1 to 30."
                )
            rendered.append({"DurationInMinutes": stage["duration_minutes"], "Targets": targets})
        contact.plan.stages = camel_case(rendered)

    def tags(self, path: list[PathPart], spec: Mapping[str, Any], construct: Construct, kind: str) -> None:
        """Tags of a contact, rotation, schedule or escalation plan (``Tags.of``), checked first
        with AWS::SSMContacts's tag rules."""
        tags = spec.get("tags") or {}
        with self.doc.at(path + ["tags"]):
            Checker(construct, kind).tags("tags", tags, rules=SSM_CONTACTS_TAGS)
        for key, value in tags.items():
            cdk.Tags.of(construct).add(key, value)

    def share(
        self,
        path: list[PathPart],
        spec: Mapping[str, Any],
        construct: Contact | OnCallSchedule | EscalationPlan | ResponsePlan,
    ) -> None:
        """``share_with``: the construct shared through AWS RAM (``construct.share_with(*principals)``)."""
        principals = spec.get("share_with")
        if principals:
            with self.doc.at(path + ["share_with"]):
                construct.share_with(*principals)

    # -- rotations and schedules ---------------------------------------------------------------
    def rotation(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["rotations", name]
        contacts = [
            self.reference(path + ["contacts", i], ref, people_only=True) for i, ref in enumerate(spec["contacts"])
        ]
        recurrence = self.recurrence(path + ["recurrence"], spec["recurrence"])
        coverage = [ShiftCoverage(c["day_of_week"], c["start"], c["end"]) for c in spec.get("shift_coverage") or []]
        with self.doc.at(path):
            rotation = Rotation(
                self.scope,
                self.construct_id(path, spec, name),
                rotation_name=name,
                contacts=contacts,
                start_time=spec["start_time"],
                time_zone=spec["time_zone"],
                recurrence=recurrence,
                number_of_on_calls=spec.get("number_of_on_calls", 1),
                recurrence_multiplier=spec.get("recurrence_multiplier", 1),
                shift_coverage=coverage or None,
            )
        self.tags(path, spec, rotation, "Rotation")
        self.overrides(rotation, path + ["overrides"], spec.get("overrides") or [])
        self.result.rotations[name] = rotation

    def overrides(self, rotation: Rotation, path: list[PathPart], overrides: Sequence[Mapping[str, Any]]) -> None:
        """``overrides:`` of a rotation, each added with ``rotation.add_override`` and each refused
        one reported at its own place in the file (the others are still added and checked)."""
        problems: list[OrganisationProblem] = []
        skipped = False
        for index, spec in enumerate(overrides):
            try:
                self.override(rotation, path + [index], spec)
            except OrganisationFileError as error:
                problems.extend(error.problems)
            except _Skipped:
                skipped = True
        if problems:
            raise OrganisationFileError(problems)
        if skipped:
            raise _Skipped

    def override(self, rotation: Rotation, path: list[PathPart], spec: Mapping[str, Any]) -> None:
        """One override: its times (with their offsets) and its contacts (people of the file by
        key, or contact ARNs), checked by the rotation; a construct error points at the key it is
        about (``start``, ``end``, ``contacts``) or at the override."""
        start = self.instant(path + ["start"], spec["start"])
        end = self.instant(path + ["end"], spec["end"])
        contacts = [
            self.reference(path + ["contacts", i], ref, people_only=True) for i, ref in enumerate(spec["contacts"])
        ]
        # The rotation names an override by how many it holds: the file's index, once an earlier
        # override of the file was refused, differs.
        field = f"overrides[{len(rotation.override_resources)}]"
        try:
            rotation.add_override(RotationOverride(start=start, end=end, contacts=contacts))
        except ValidationError as error:
            index = path[-1]
            message = str(error).replace(f"): {field}", f"): overrides[{index}]", 1)
            where = list(path)
            for key in ("start", "end", "contacts"):
                if f"): overrides[{index}] {key} " in message:
                    where.append(key)
                    break
            raise self.doc.fail(where, message) from None

    def instant(self, path: list[PathPart], text: str) -> datetime.datetime:
        """An override's time: the schema took its shape (with an offset or Z); the date and the
        offset must exist too."""
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise self.doc.fail(
                path,
                f"{text!r} is not allowed: a real date and time of day, with an offset from -23:59 to +23:59.",
            ) from None
        return moment

    def recurrence(self, path: list[PathPart], spec: Mapping[str, Any]) -> RotationRecurrence:
        every = spec["every"]
        needed = {"week": "day_of_week", "month": "day_of_month"}.get(every)
        if needed is not None and needed not in spec:
            raise self.doc.fail(path, f"missing key {needed!r}: a rotation handing off every {every} needs it.")
        if every == "day":
            return RotationRecurrence.daily(hand_off_time=spec["hand_off_time"])
        if every == "week":
            return RotationRecurrence.weekly(day_of_week=spec["day_of_week"], hand_off_time=spec["hand_off_time"])
        return RotationRecurrence.monthly(day_of_month=spec["day_of_month"], hand_off_time=spec["hand_off_time"])

    def schedule(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["schedules", alias]
        rotations = []
        for index, ref in enumerate(spec["rotations"]):
            rotation = self.result.rotations.get(ref)
            if rotation is None and self._not_built("rotations", ref):
                raise _Skipped
            if rotation is None:
                raise self.doc.fail(
                    path + ["rotations", index],
                    f"{ref!r} is not a rotation of this file; rotations: {_names(self.result.rotations)}.",
                )
            rotations.append(rotation)
        with self.doc.at(path):
            schedule = OnCallSchedule(
                self.scope,
                self.construct_id(path, spec, alias),
                alias=alias,
                display_name=spec.get("display_name"),
                rotations=rotations,
            )
        self.tags(path, spec, schedule, "OnCallSchedule")
        self.share(path, spec, schedule)
        self.result.schedules[alias] = schedule

    # -- escalation plans ----------------------------------------------------------------------
    def escalation_plan(self, alias: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["escalation_plans", alias]
        with self.doc.at(path):
            plan = EscalationPlan(
                self.scope, self.construct_id(path, spec, alias), alias=alias, display_name=spec.get("display_name")
            )
        for index, stage in enumerate(spec["stages"]):
            stage_path = path + ["stages", index]
            contacts = [self.reference(stage_path + ["contacts", i], ref) for i, ref in enumerate(stage["contacts"])]
            with self.doc.at(stage_path):
                plan.add_stage(
                    EscalationStage(
                        contacts=contacts,
                        duration=cdk.Duration.minutes(stage.get("duration_minutes", 5)),
                        acknowledgement_stops_progression=stage.get("acknowledgement_stops_progression", False),
                    )
                )
        self.tags(path, spec, plan, "EscalationPlan")
        self.share(path, spec, plan)
        self.result.escalation_plans[alias] = plan

    # -- runbooks ------------------------------------------------------------------------------
    def runbook(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["runbooks", name]
        construct_id = self.construct_id(path, spec, name)
        runbook: IRunbook
        if spec.get("existing"):
            with self.doc.at(path):
                runbook = Runbook.from_document_name(self.scope, construct_id, name)
        elif "file" in spec:
            file = self.doc.directory / spec["file"]
            with self.doc.at(path + ["file"]):
                runbook = Runbook.from_yaml_file(self.scope, construct_id, file, document_name=name)
        else:
            steps = self.steps(path, spec["steps"])
            with self.doc.at(path):
                runbook = Runbook(
                    self.scope,
                    construct_id,
                    document_name=name,
                    description=spec.get("description"),
                    parameters=spec.get("parameters"),
                    steps=steps,
                )
        self.result.runbooks[name] = runbook

    def steps(self, path: list[PathPart], steps: list[Mapping[str, Any]]) -> list[RunbookStep]:
        """Inline steps, each checked as the runbook checks it, so that a problem points at its step."""
        checker = Checker(format_path(path), "Runbook")
        built: list[RunbookStep] = []
        seen: set[str] = set()
        for index, step in enumerate(steps):
            options = {k: v for k, v in step.items() if k not in ("name", "action", "inputs")}
            with self.doc.at(path + ["steps", index]):
                built.append(RunbookStep(step["name"], step["action"], step.get("inputs") or {}, **options))
                check_step(checker, index, built[-1].to_dict(), seen)
        return built

    # -- response plans ------------------------------------------------------------------------
    def response_plan(self, name: str, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["response_plans", name]
        engagements = [
            self.reference(path + ["engagements", i], ref) for i, ref in enumerate(spec.get("engagements") or [])
        ]
        construct_id = self.construct_id(path, spec, name)
        kwargs: dict[str, Any] = {
            key: spec[key]
            for key in ("display_name", "summary", "dedupe_string", "incident_tags", "tags")
            if key in spec
        }
        if "target_account" in spec:
            kwargs["target_account"] = TargetAccount(spec["target_account"])
        kwargs.update(self.runbook_options(path, spec, construct_id))
        kwargs.update(self.integration_options(path, spec, construct_id))
        impact = spec["impact"]
        with self.doc.at(path):
            plan = ResponsePlan(
                self.scope,
                construct_id,
                response_plan_name=name,
                title=spec["title"],
                impact=_IMPACTS[impact] if isinstance(impact, str) else Impact(impact),
                engagements=engagements,
                **kwargs,
            )
        self.share(path, spec, plan)
        self.result.response_plans[name] = plan

    def runbook_options(self, path: list[PathPart], spec: Mapping[str, Any], construct_id: str) -> dict[str, Any]:
        """The runbook, its parameters, version and existing role."""
        if "runbook" not in spec:
            for key in _RUNBOOK_KEYS:
                if key in spec:
                    raise self.doc.fail(path + [key], f"{key} is only used with a runbook: give runbook: too.")
            return {}
        runbook = self.result.runbooks.get(spec["runbook"])
        if runbook is None and self._not_built("runbooks", spec["runbook"]):
            raise _Skipped
        if runbook is None:
            raise self.doc.fail(
                path + ["runbook"],
                f"{spec['runbook']!r} is not a runbook of this file; runbooks: {_names(self.result.runbooks)}.",
            )
        options: dict[str, Any] = {"runbook": runbook}
        if "runbook_parameters" in spec:
            options["runbook_parameters"] = spec["runbook_parameters"]
        if "runbook_dynamic_parameters" in spec:
            dynamic = spec["runbook_dynamic_parameters"]
            options["runbook_dynamic_parameters"] = {k: DynamicParameter(v) for k, v in dynamic.items()}
        if "runbook_version" in spec:
            options["runbook_document_version"] = spec["runbook_version"]
        if "runbook_role_arn" in spec:
            from aws_cdk import aws_iam as iam

            role_id = self.import_id(f"{construct_id}RunbookRole", f"the runbook role of {format_path(path)}")
            with self.doc.at(path + ["runbook_role_arn"]):
                options["role"] = iam.Role.from_role_arn(self.scope, role_id, spec["runbook_role_arn"], mutable=False)
        return options

    def integration_options(self, path: list[PathPart], spec: Mapping[str, Any], construct_id: str) -> dict[str, Any]:
        """Existing SNS topics (notifications, chat) and PagerDuty."""
        options: dict[str, Any] = {}
        for key, prop in (
            ("notification_topic_arns", "notification_topics"),
            ("chat_topic_arns", "chat_channel_topics"),
        ):
            if key in spec:
                options[prop] = [self.topic(path + [key, i], arn) for i, arn in enumerate(spec[key])]
        if "pager_duty" in spec:
            from aws_cdk import aws_secretsmanager as secretsmanager

            pager = spec["pager_duty"]
            arn = pager["secret_arn"]
            secret_id = self.import_id(f"{construct_id}PagerDutySecret", f"the PagerDuty secret of {format_path(path)}")
            with self.doc.at(path + ["pager_duty", "secret_arn"]):
                if _COMPLETE_SECRET_ARN.fullmatch(arn):
                    secret = secretsmanager.Secret.from_secret_complete_arn(self.scope, secret_id, arn)
                else:
                    secret = secretsmanager.Secret.from_secret_partial_arn(self.scope, secret_id, arn)
            options["pager_duty"] = PagerDutyIntegration(
                name=pager["name"], secret=secret, service_id=pager["service_id"]
            )
        return options

    def topic(self, path: list[PathPart], arn: str) -> sns.ITopic:
        """An existing SNS topic by ARN, imported once however many plans name it."""
        key = f"topic {arn}"
        found: sns.ITopic | None = self._imports.get(key)
        if found is None:
            from aws_cdk import aws_sns as sns

            topic_id = self.import_id(f"ImportedTopic{pascal(arn.rsplit(':', 1)[-1])}", f"the SNS topic {arn}")
            with self.doc.at(path):
                found = sns.Topic.from_topic_arn(self.scope, topic_id, arn)
            self._imports[key] = found
        return found

    # -- chat channels -------------------------------------------------------------------------
    def chat_channel(self, name: str, spec: Mapping[str, Any]) -> None:
        """A Slack channel or, given ``team_id`` (the schema then requires ``channel_id`` and
        ``tenant_id`` and refuses the Slack keys), a Microsoft Teams channel."""
        path: list[PathPart] = ["chat_channels", name]
        construct_id = self.construct_id(path, spec, name)
        channel: SlackChatChannel | TeamsChatChannel
        with self.doc.at(path):
            if "team_id" in spec:
                channel = TeamsChatChannel(
                    self.scope,
                    construct_id,
                    team_id=spec["team_id"],
                    channel_id=spec["channel_id"],
                    tenant_id=spec["tenant_id"],
                    teams_channel_configuration_name=name,
                )
            else:
                channel = SlackChatChannel(
                    self.scope,
                    construct_id,
                    slack_workspace_id=spec["slack_workspace_id"],
                    slack_channel_id=spec["slack_channel_id"],
                    slack_channel_configuration_name=name,
                )
        self.result.chat_channels[name] = channel
        for plan_name, plan_spec in self._entries("response_plans").items():
            plan = self.result.response_plans.get(plan_name)
            if plan is not None and name in (plan_spec.get("chat_channels") or []):
                with self.doc.at(["response_plans", plan_name, "chat_channels"]):
                    channel.add_response_plan(plan)

    def _check_chat_references(self) -> None:
        """The chat channels the response plans built name are chat channels of the file."""
        known = set(self._entries("chat_channels"))
        if "chat_channels" in self._lost:
            return
        for plan_name, plan_spec in self._entries("response_plans").items():
            if plan_name not in self.result.response_plans:
                continue
            for index, ref in enumerate(plan_spec.get("chat_channels") or []):
                if ref not in known:
                    self.problems.append(
                        self.doc.problem(
                            ["response_plans", plan_name, "chat_channels", index],
                            f"{ref!r} is not a chat channel of this file; chat channels: {', '.join(sorted(known)) or 'none'}.",
                        )
                    )

    # -- alarms --------------------------------------------------------------------------------
    def alarm(self, name: str, spec: Mapping[str, Any]) -> None:
        """A CloudWatch alarm (``alarm_name`` its key) whose action starts an incident."""
        path: list[PathPart] = ["alarms", name]
        self.fullmatch(path, name, _rules.ALARM_NAME_PATTERN, _rules.ALARM_NAME_RULE, key=True)
        metric, period = self.metric(path + ["metric"], spec["metric"])
        self.evaluation(path, spec, period)
        threshold = spec["threshold"]
        try:
            finite = math.isfinite(threshold)
        except OverflowError:  # an integer too large for a double
            finite = False
        if not finite:
            raise self.doc.fail(
                path + ["threshold"],
                f"{describe(threshold)} is not allowed: a finite number (CloudWatch thresholds are doubles).",
            )
        plan = self.plan_reference(path + ["response_plan"], spec["response_plan"])
        missing = spec.get("treat_missing_data")
        construct_id = self.construct_id(path, spec, name, default=re.sub(r"[^A-Za-z0-9]", "", pascal(name)))
        with self.doc.at(path):
            alarm = cloudwatch.Alarm(
                self.scope,
                construct_id,
                alarm_name=name,
                alarm_description=spec.get("description"),
                metric=metric,
                threshold=threshold,
                evaluation_periods=spec["evaluation_periods"],
                datapoints_to_alarm=spec.get("datapoints_to_alarm"),
                comparison_operator=_COMPARISONS[spec.get("comparison", "GreaterThanOrEqualToThreshold")],
                treat_missing_data=None if missing is None else _MISSING_DATA[missing],
            )
            alarm.add_alarm_action(plan.alarm_action())
        self.result.alarms[name] = alarm

    def metric(self, path: list[PathPart], spec: Mapping[str, Any]) -> tuple[cloudwatch.Metric, int]:
        """The alarm's metric and its period in seconds."""
        for key, pattern, rule in (
            ("namespace", _rules.METRIC_NAMESPACE_PATTERN, _rules.METRIC_NAMESPACE_RULE),
            ("name", _rules.METRIC_NAME_PATTERN, _rules.METRIC_NAME_RULE),
            ("statistic", _rules.STATISTIC_PATTERN, _rules.STATISTIC_RULE),
        ):
            self.fullmatch(path + [key], spec[key], pattern, rule)
        dimensions: dict[str, str] = spec.get("dimensions") or {}
        for dimension, value in dimensions.items():
            where = path + ["dimensions", dimension]
            self.fullmatch(where, dimension, _rules.DIMENSION_NAME_PATTERN, _rules.DIMENSION_NAME_RULE, key=True)
            self.fullmatch(where, value, _rules.DIMENSION_VALUE_PATTERN, _rules.DIMENSION_VALUE_RULE)
        period = spec["period_minutes"] * 60 if "period_minutes" in spec else spec["period_seconds"]
        metric = cloudwatch.Metric(
            namespace=spec["namespace"],
            metric_name=spec["name"],
            dimensions_map=dimensions or None,
            statistic=spec["statistic"],
            period=cdk.Duration.seconds(period),
        )
        return metric, period

    def evaluation(self, path: list[PathPart], spec: Mapping[str, Any], period: int) -> None:
        """CloudWatch evaluates at most 7 days (1 day for a period under an hour), and an "M out
        of N" alarm has M <= N (PutMetricAlarm)."""
        periods = spec["evaluation_periods"]
        short = period < _rules.SHORT_PERIOD_SECONDS
        limit = _rules.MAX_SHORT_PERIOD_EVALUATION_SECONDS if short else _rules.MAX_EVALUATION_SECONDS
        if period * periods > limit:
            span = "1 day for a period under an hour" if short else "7 days"
            raise self.doc.fail(
                path + ["evaluation_periods"],
                f"{periods} is not allowed: the period times evaluation_periods is at most {span} "
                f"({limit // period} periods of {_seconds(period)}).",
            )
        datapoints = spec.get("datapoints_to_alarm")
        if datapoints is not None and datapoints > periods:
            raise self.doc.fail(
                path + ["datapoints_to_alarm"],
                f"{datapoints} is not allowed: at most evaluation_periods ({periods}); the alarm needs "
                "datapoints_to_alarm breaching periods out of the last evaluation_periods.",
            )

    # -- EventBridge rules ---------------------------------------------------------------------
    def event_rule(self, name: str, spec: Mapping[str, Any]) -> None:
        """An EventBridge rule (``rule_name`` its key, the default event bus) whose target starts
        an incident (:class:`IncidentTarget`)."""
        path: list[PathPart] = ["event_rules", name]
        self.fullmatch(path, name, _rules.EVENT_RULE_NAME_PATTERN, _rules.EVENT_RULE_NAME_RULE, key=True)
        pattern: dict[str, Any] = spec["event_pattern"]
        self.event_pattern(path + ["event_pattern"], pattern)
        plan = self.plan_reference(path + ["response_plan"], spec["response_plan"])
        construct_id = self.construct_id(path, spec, name)
        with self.doc.at(path):
            rule = events.Rule(
                self.scope,
                construct_id,
                rule_name=name,
                description=spec.get("description"),
                event_pattern=_event_pattern(pattern),
            )
            rule.add_target(IncidentTarget(plan))
        self.result.event_rules[name] = rule

    def event_pattern(self, path: list[PathPart], pattern: Mapping[str, Any]) -> None:
        """What the schema cannot say: no null (jsii drops it between Python and the template, so
        the rule would match something else) and at most 2048 characters of JSON (PutRule)."""
        for where in _nulls(path, pattern):
            raise self.doc.fail(
                where,
                "null is not allowed in an event pattern of this file: aws-cdk-lib drops it from the "
                "template (it reaches the CDK as undefined), so the rule would match something else; "
                "match a missing field with {exists: false}.",
            )
        size = len(json.dumps(pattern))
        if size > _rules.MAX_EVENT_PATTERN_LENGTH:
            raise self.doc.fail(
                path,
                f"the event pattern is {size} characters of JSON; EventBridge takes at most "
                f"{_rules.MAX_EVENT_PATTERN_LENGTH}.",
            )

    # -- response plans of alarms and rules -----------------------------------------------------
    def plan_reference(self, path: list[PathPart], ref: str) -> IResponsePlan:
        """A response plan of the file by name, or a plan shared from another account by ARN
        (imported once however many alarms and rules name it)."""
        plan: IResponsePlan | None = self.result.response_plans.get(ref)
        if plan is not None:
            return plan
        if ref.startswith("arn:"):
            key = f"response plan {ref}"
            plan = self._imports.get(key)
            if plan is None:
                plan_id = self.import_id(
                    f"ImportedResponsePlan{pascal(ref.rsplit('/', 1)[-1])}", f"the response plan {ref}"
                )
                with self.doc.at(path):
                    plan = ResponsePlan.from_response_plan_arn(self.scope, plan_id, ref)
                self._imports[key] = plan
            return plan
        if self._not_built("response_plans", ref):
            raise _Skipped
        raise self.doc.fail(
            path,
            f"{ref!r} is not a response plan of this file (response plans: {_names(self.result.response_plans)}); "
            "a plan shared from another account is named by its ARN.",
        )

    def fullmatch(self, path: list[PathPart], value: str, pattern: str, rule: str, *, key: bool = False) -> None:
        """The whole value matches ``pattern`` (a schema pattern's ``$`` also matches before a
        final line break)."""
        if re.fullmatch(pattern, value) is None:
            shown = f"name {describe(value)}" if key else describe(value)
            raise self.doc.fail(path, f"{shown} is not allowed: {rule}", key=key)

    # -- the replication set -------------------------------------------------------------------
    def replication_set(self, spec: Mapping[str, Any]) -> None:
        path: list[PathPart] = ["replication_set"]
        construct_id = self.construct_id(path, spec, "ReplicationSet")
        with self.doc.at(path):
            if spec.get("existing"):
                self.result.replication_set = ReplicationSet.from_replication_set_attributes(
                    self.scope, construct_id, replication_set_arn=spec.get("arn")
                )
            else:
                self.result.replication_set = ReplicationSet(
                    self.scope,
                    construct_id,
                    regions=spec["regions"],
                    deletion_protected=spec.get("deletion_protected", True),
                )

    # -- references ----------------------------------------------------------------------------
    def reference(self, path: list[PathPart], ref: str, *, people_only: bool = False) -> IContact:
        found: IContact | None = self.result.contacts.get(ref)
        if found is None and not people_only:
            found = self.result.schedules.get(ref) or self.result.escalation_plans.get(ref)
        if found is not None:
            return found
        if ref.startswith("arn:"):
            existing: IContact | None = self._imports.get(ref)
            if existing is None:
                with self.doc.at(path):
                    existing = Contact.from_contact_arn(self.scope, f"Imported{pascal(ref.rsplit('/', 1)[-1])}", ref)
                self._imports[ref] = existing
            return existing
        sections = ("contacts",) if people_only else ("contacts", "schedules", "escalation_plans")
        if any(self._not_built(section, ref) for section in sections):
            raise _Skipped
        kinds = "contacts" if people_only else "contacts, schedules and escalation plans defined above"
        known = (
            list(self.result.contacts)
            if people_only
            else [*self.result.contacts, *self.result.schedules, *self.result.escalation_plans]
        )
        raise self.doc.fail(
            path,
            f"{ref!r} is not one of the {kinds} of this file ({', '.join(known) or 'none'}); "
            "an existing contact is named by its ARN.",
        )


def _names(items: Mapping[str, Any]) -> str:
    return ", ".join(items) or "none"


def _seconds(period: int) -> str:
    """``1 minute``, ``5 minutes``, ``30 seconds``, ``1 hour``."""
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        if period % size == 0:
            count = period // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{period} seconds"  # pragma: no cover - every period is a whole number of seconds


def _nulls(path: list[PathPart], value: Any) -> Sequence[list[PathPart]]:
    """The paths of the nulls in ``value`` (an event pattern), in document order."""
    if value is None:
        return [path]
    items: Any = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [where for key, item in items for where in _nulls([*path, key], item)]


def _event_pattern(pattern: Mapping[str, Any]) -> events.EventPattern:
    """The file's event pattern (EventBridge's JSON) as aws-cdk-lib's struct: ``detail`` as it is,
    the other fields' lists as they are when they hold only text, and as a list token otherwise
    (content filters like ``{prefix: aws.}`` are mappings, which the struct's ``list[str]`` refuses)."""
    fields: dict[str, Any] = {}
    for key, value in pattern.items():
        if key != "detail" and not all(isinstance(item, str) for item in value):
            value = cdk.Token.as_list(value)
        fields[key.replace("-", "_")] = value
    return events.EventPattern(**fields)
