"""An :class:`~incident_constructs.adopt.AccountSnapshot` as an organisation file.

The file builds what was read, with :func:`incident_constructs.build_organisation`: aliases,
display names, channels, engagement plans (as ``engage_after_minutes`` where that reproduces the
live stages exactly), rotations, schedules, escalation plans, runbooks (custom documents as
files beside it), response plans and the replication set (``existing: true``).

What the file cannot express exactly is never changed without a word: each such thing is listed
in :attr:`WriteResult.not_expressible` and in the file's header, saying what is live, what the file
builds instead (or leaves out) and what the file would need.

Keys that the organisation file may gain later (a response plan's existing runbook role, say)
are written only when the packaged schema (``incident_constructs/organisation/schema.json``)
has them; :data:`OPTIONAL_KEYS` names them.
"""

from __future__ import annotations

import functools
import json
import pathlib
import re
import shlex
import zoneinfo
from typing import Any

import yaml

from .. import _rules
from ..core.masking import mask_address
from ..core.stages import render_channel_stages
from ..organisation.loader import organisation_json_schema
from ..organisation.loader import pascal as loader_pascal
from .errors import AdoptError
from .reader import is_aws_owned_document, parse_document
from .snapshot import (
    ACCOUNT_FILE,
    CHANNEL,
    CONTACT,
    DOCUMENT,
    PLAN,
    REPLICATION_SET,
    RESPONSE_PLAN,
    ROTATION,
    AccountSnapshot,
    LiveResource,
    WriteResult,
)

__all__ = ["OPTIONAL_KEYS", "ORGANISATION_FILE", "organisation_data", "render_channel_stages", "write_snapshot"]

ORGANISATION_FILE = "organisation.yaml"
RUNBOOK_DIRECTORY = "runbooks"

#: Keys the organisation file does not have today, by (schema definition, key): written when the
#: packaged schema has them, reported as not expressible otherwise.
OPTIONAL_KEYS = {
    "role": ("response_plan", "runbook_role_arn"),
    "version": ("response_plan", "runbook_version"),
    "dynamic": ("response_plan", "runbook_dynamic_parameters"),
    "notifications": ("response_plan", "notification_topic_arns"),
    "chat": ("response_plan", "chat_topic_arns"),
    "pager_duty": ("response_plan", "pager_duty"),
    "existing_runbook": ("runbook", "existing"),
    "contact_tags": ("contact", "tags"),
    "rotation_tags": ("rotation", "tags"),
    "schedule_tags": ("schedule", "tags"),
    "escalation_tags": ("escalation_plan", "tags"),
    "engagement_stages": ("contact", "engagement_stages"),
}


def _bounded(pattern: str, most: int) -> re.Pattern[str]:
    """A pattern of the library's rules (``[...]*``) with its length bound: ``[...]{1,most}``."""
    return re.compile(f"{pattern.removesuffix('*')}{{1,{most}}}")


# The library's rules (incident_constructs/_rules.py, the constructs' own; no CDK there).
ALIAS_RE = _bounded(_rules.ALIAS_PATTERN, _rules.MAX_ALIAS_LENGTH)
DISPLAY_NAME_RE = _bounded(_rules.DISPLAY_NAME_PATTERN, _rules.MAX_DISPLAY_NAME_LENGTH)
CHANNEL_NAME_RE = _bounded(_rules.CHANNEL_NAME_PATTERN, _rules.MAX_CHANNEL_NAME_LENGTH)
CONSTRUCT_ID_RE = re.compile(_rules.CONSTRUCT_ID_PATTERN)
ROTATION_NAME_RE = _bounded(_rules.ROTATION_NAME_PATTERN, _rules.MAX_ROTATION_NAME_LENGTH)
HAND_OFF_RE = re.compile(_rules.HAND_OFF_PATTERN)
SSM_PREFIX_RE = re.compile(r"/[a-zA-Z0-9_.\-]+(/[a-zA-Z0-9_.\-]+)*")
DEFAULT_RETRY = _rules.DEFAULT_RETRY_INTERVAL_MINUTES
MAX_STAGE_MINUTES = _rules.MAX_STAGE_MINUTES
MAX_ENGAGE_AFTER = _rules.MAX_ENGAGE_AFTER_MINUTES
MAX_ROTATIONS = _rules.MAX_ROTATIONS_PER_SCHEDULE
_IMPACTS = {1: "critical", 2: "high", 3: "medium", 4: "low", 5: "no_impact"}
_DEFAULT_DYNAMIC = {"IncidentRecordArn": "INCIDENT_RECORD_ARN", "InvolvedResources": "INVOLVED_RESOURCES"}


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    try:
        return organisation_json_schema()
    except (OSError, ValueError):  # pragma: no cover - the package ships it
        return {}


def supports(feature: str) -> bool:
    """True when the organisation file's schema has the key of ``feature`` (see :data:`OPTIONAL_KEYS`)."""
    definition, key = OPTIONAL_KEYS[feature]
    return key in ((_schema().get("$defs") or {}).get(definition) or {}).get("properties", {})


def pascal(key: str) -> str:
    """The organisation file's default construct id (the key in PascalCase)."""
    return loader_pascal(key)


def _stage_key(stages: list[dict[str, Any]]) -> list[tuple[int, list[str]]]:
    """Stages compared as the service sees them: durations in order, targets as a set."""
    return [
        (int(s.get("DurationInMinutes", 0)), sorted(json.dumps(t, sort_keys=True) for t in s.get("Targets") or []))
        for s in stages
    ]


def _iana_zone(name: str) -> bool:
    if name == "UTC":
        return True
    return (
        "/" in name
        and not name.startswith(("Etc/", "posix/", "right/", "SystemV/"))
        and name in zoneinfo.available_timezones()
    )


def _valid_address(kind: str, address: str) -> str | None:
    """Why the library refuses a literal address, or None."""
    if not 1 <= len(address) <= 320:
        return "it is not 1 to 320 characters"
    if kind == "EMAIL":
        import email_validator

        try:
            email_validator.validate_email(address, check_deliverability=False)
        except email_validator.EmailNotValidError:
            return "the library's email check refuses it"
        return None
    import phonenumbers

    if not address.startswith("+") or not address[1:].isascii() or not address[1:].isdigit():
        return "it is not an E.164 number"
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(address, None))
    except phonenumbers.NumberParseException:
        valid = False
    return None if valid else "the library's phone number check refuses it"


def _parameter_slug(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_.\-]+", "-", name).strip("-") or "channel"


class _Writer:
    def __init__(self, snapshot: AccountSnapshot, prefix: str | None) -> None:
        self.s = snapshot
        self.prefix = prefix
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}
        self.parameters: list[tuple[str, str]] = []
        self.runbook_files: dict[str, str] = {}
        self.written_contacts: set[str] = set()  # aliases written in the file (any kind)
        self.rotation_names: dict[str, str] = {}  # rotation ARN -> name written
        self.declared: dict[str, dict[str, str]] = {}  # runbook -> parameter types

    # -- helpers ---------------------------------------------------------------------------------
    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")

    def construct_id(self, spec: dict[str, Any], where: str, key: str, kind: str) -> None:
        """Add ``id:`` when the default id (the key in PascalCase) is not a valid construct id or is taken."""
        candidate = pascal(key)
        if not CONSTRUCT_ID_RE.fullmatch(candidate) or candidate in self.ids:
            base = candidate if CONSTRUCT_ID_RE.fullmatch(candidate) else f"{kind}{candidate}"
            base = re.sub(r"[^A-Za-z0-9_\-]", "", base)[:240] or kind
            candidate, n = base, 2
            while candidate in self.ids:
                candidate, n = f"{base}{n}", n + 1
            spec["id"] = candidate
        self.ids[candidate] = where

    def ref(self, arn: Any) -> str:
        """A contact of the file by alias, any other by ARN (the file imports it)."""
        found = self.s.by_arn(str(arn))
        if found is not None and found.type == CONTACT and found.name in self.written_contacts:
            return found.name
        self.ids.setdefault(f"Imported{pascal(str(arn).rsplit('/', 1)[-1])}", f"the imported contact {arn}")
        return str(arn)

    def tags(self, spec: dict[str, Any], resource: LiveResource, feature: str, where: str) -> None:
        tags = {t["Key"]: t["Value"] for t in resource.properties.get("Tags") or []}
        if not tags:
            return
        if supports(feature):
            spec["tags"] = tags
        else:
            self.problem(
                where,
                f"tags {sorted(tags)} are live; the file has no tags for it, so the template has none "
                f"(the file needs a '{OPTIONAL_KEYS[feature][1]}' key here)",
            )

    # -- sections ---------------------------------------------------------------------------------
    def contacts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for contact in sorted(self.s.of_type(CONTACT), key=lambda c: c.name):
            if contact.properties.get("Type") != "PERSONAL":
                continue
            alias = contact.name
            where = f"contacts.{alias}"
            if not ALIAS_RE.fullmatch(alias):
                self.problem(
                    where,
                    "the alias breaks the library's alias rule (a-z, 0-9, '_' and '-'); left out, named by its ARN where used",
                )
                continue
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, alias, "Contact")
            self.display_name(spec, contact, where)
            self.tags(spec, contact, "contact_tags", where)
            channels = [c for c in self.s.of_type(CHANNEL) if c.properties.get("ContactId") == contact.arn]
            plan = self.s.find(PLAN, alias)
            self.channels(spec, alias, where, channels, (plan.properties.get("Stages") if plan else None) or [])
            out[alias] = spec
            self.written_contacts.add(alias)
        return out

    def display_name(self, spec: dict[str, Any], contact: LiveResource, where: str) -> None:
        name = contact.properties.get("DisplayName")
        if name is None:
            self.problem(
                where, f"no display name is live; the library writes the alias {contact.name!r} as DisplayName"
            )
        elif not DISPLAY_NAME_RE.fullmatch(name):
            self.problem(
                where,
                f"the display name {name!r} breaks the library's rule (letters a-z and A-Z, digits, spaces, '_' and '-'); "
                "left out, so the library writes the alias instead",
            )
        else:
            spec["display_name"] = name

    def channels(
        self, spec: dict[str, Any], alias: str, where: str, channels: list[LiveResource], stages: list[dict[str, Any]]
    ) -> None:
        """The contact's channels, engaged by ``engage_after_minutes`` where that reproduces the
        live plan, by explicit ``engagement_stages`` otherwise (when the schema has them)."""
        by_arn = {c.arn: c for c in channels}
        # (only engage_after_minutes cannot say it, what): reported in order, unless explicit stages say it.
        notes: list[tuple[bool, str]] = []
        times = self.channel_times(where, stages, by_arn, notes)
        result, rendered_input, written = self.channel_entries(alias, where, channels, times, notes)
        rendered = render_channel_stages(rendered_input) if rendered_input else []
        explicit = None
        if _stage_key(rendered) != _stage_key(stages):
            if supports("engagement_stages"):
                explicit = self.explicit_stages(where, stages, by_arn, written, notes)
            else:
                notes.append(
                    (
                        True,
                        f"{where}: the live engagement plan {_describe_stages(stages, by_arn)} is not what "
                        f"engage_after_minutes builds ({_describe_stages(rendered, by_arn)}); the file writes the latter "
                        "(the file needs explicit stages for a contact: an 'engagement_stages' key)",
                    )
                )
        self.problems.extend(text for timing, text in notes if explicit is None or not timing)
        if explicit is not None:
            for entry in result:
                entry.pop("engage_after_minutes", None)
        if result:
            spec["channels"] = result
        if explicit is not None:
            spec["engagement_stages"] = explicit

    def channel_times(
        self,
        where: str,
        stages: list[dict[str, Any]],
        by_arn: dict[str, LiveResource],
        notes: list[tuple[bool, str]],
    ) -> dict[str, tuple[int, int | None]]:
        """The minute each channel is first engaged, and its retry interval then."""
        times: dict[str, tuple[int, int | None]] = {}
        start = 0
        for number, stage in enumerate(stages, start=1):
            for target in stage.get("Targets") or []:
                info = target.get("ChannelTargetInfo")
                if info is None:
                    notes.append(
                        (
                            False,
                            f"{where}: stage {number} of the engagement plan engages a contact; the file's plan engages only the contact's own channels, so it is left out",
                        )
                    )
                    continue
                arn = info.get("ChannelId")
                if arn not in by_arn:
                    notes.append(
                        (
                            False,
                            f"{where}: stage {number} engages a channel that is not this contact's ({arn}); left out",
                        )
                    )
                elif arn in times:
                    notes.append(
                        (
                            True,
                            f"{where}: stage {number} engages channel {by_arn[arn].properties['ChannelName']!r} again; the file engages each channel once",
                        )
                    )
                else:
                    times[arn] = (start, info.get("RetryIntervalInMinutes"))
            start += int(stage.get("DurationInMinutes") or 0)
        return times

    def channel_entries(
        self,
        alias: str,
        where: str,
        channels: list[LiveResource],
        times: dict[str, tuple[int, int | None]],
        notes: list[tuple[bool, str]],
    ) -> tuple[list[dict[str, Any]], list[tuple[int, Any, int]], dict[str, dict[str, Any]]]:
        """The channels as the file writes them, what engage_after_minutes renders from them, and
        the entries by channel ARN."""
        ordered = sorted(channels, key=lambda c: (c.arn not in times, times.get(c.arn, (0, 0))[0]))
        result: list[dict[str, Any]] = []
        rendered_input: list[tuple[int, Any, int]] = []
        written: dict[str, dict[str, Any]] = {}
        for channel in ordered:
            name = str(channel.properties.get("ChannelName"))
            kind = str(channel.properties.get("ChannelType"))
            here = f"{where}.channels[{name}]"
            if not CHANNEL_NAME_RE.fullmatch(name) or name.replace("/", "-") in ("Plan", "Resource"):
                notes.append(
                    (
                        False,
                        f"{here}: the channel name breaks the library's rule (or is 'Plan' or 'Resource'); the channel is left out",
                    )
                )
                continue
            minute, retry = times.get(channel.arn, (0, None))
            if channel.arn not in times:
                notes.append(
                    (
                        True,
                        f"{here}: the channel is in no stage of the live engagement plan; the file engages it at minute 0",
                    )
                )
            if minute > MAX_ENGAGE_AFTER:
                notes.append(
                    (
                        True,
                        f"{here}: engaged at minute {minute}; the library allows at most {MAX_ENGAGE_AFTER}; written as {MAX_ENGAGE_AFTER}",
                    )
                )
                minute = MAX_ENGAGE_AFTER
            mark = len(self.problems)
            entry: dict[str, Any] = {"name": name, kind.lower(): self.address(alias, name, kind, channel, here)}
            notes.extend((False, text) for text in self.problems[mark:])
            del self.problems[mark:]
            entry["engage_after_minutes"] = minute
            if retry is not None and retry != DEFAULT_RETRY:
                entry["retry_interval_minutes"] = retry
            result.append(entry)
            written[channel.arn] = entry
            rendered_input.append((minute, channel.arn, DEFAULT_RETRY if retry is None else retry))
        return result, rendered_input, written

    def explicit_stages(
        self,
        where: str,
        stages: list[dict[str, Any]],
        by_arn: dict[str, LiveResource],
        written: dict[str, dict[str, Any]],
        notes: list[tuple[bool, str]],
    ) -> list[dict[str, Any]]:
        """The live plan as ``engagement_stages``: each stage's duration and the channels it engages."""
        explicit: list[dict[str, Any]] = []
        for number, stage in enumerate(stages, start=1):
            targets: list[dict[str, Any]] = []
            for target in stage.get("Targets") or []:
                info = target.get("ChannelTargetInfo") or {}
                entry = written.get(str(info.get("ChannelId")))
                if entry is None:
                    if info and info.get("ChannelId") in by_arn:
                        notes.append((False, f"{where}: stage {number} engages a channel the file leaves out"))
                    continue
                item: dict[str, Any] = {"name": entry["name"]}
                retry = info.get("RetryIntervalInMinutes")
                default = entry.get("retry_interval_minutes", DEFAULT_RETRY)
                if retry is None:
                    notes.append(
                        (
                            False,
                            f"{where}: stage {number} engages channel {entry['name']!r} with no retry interval; "
                            f"the file writes {default} minutes",
                        )
                    )
                elif retry != default:
                    item["retry_interval_minutes"] = retry
                targets.append(item)
            duration = int(stage.get("DurationInMinutes") or 0)
            if not targets and not duration:
                continue  # it engaged only what the file leaves out, and lasted no time
            explicit.append(
                {"duration_minutes": duration, "channels": targets} if targets else {"duration_minutes": duration}
            )
        return explicit

    def address(self, alias: str, name: str, kind: str, channel: LiveResource, where: str) -> str:
        address = str(channel.properties.get("ChannelAddress", ""))
        if channel.info.get("AddressMasked"):
            raise AdoptError(
                f"{where}: the snapshot holds a masked address (loaded from {ACCOUNT_FILE}); write the snapshot read from the account"
            )
        if self.prefix is None:
            reason = _valid_address(kind, address)
            if reason:
                self.problem(
                    where,
                    f"the address {mask_address(address)} is live, but {reason}: the file does not build; use --addresses ssm:/PREFIX",
                )
            return address
        base = f"{self.prefix}/{alias}/{_parameter_slug(name)}"
        parameter, n = base, 2
        while parameter in (p for p, _ in self.parameters):
            parameter, n = f"{base}-{n}", n + 1
        self.parameters.append((parameter, address))
        channel.info["AddressParameter"] = parameter
        return f"{{{{resolve:ssm:{parameter}}}}}"

    def rotations(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for rotation in sorted(self.s.of_type(ROTATION), key=lambda r: r.name):
            name = rotation.name
            where = f"rotations.{name}"
            p = rotation.properties
            if not ROTATION_NAME_RE.fullmatch(name):
                self.problem(where, "the rotation name breaks the library's rule; left out")
                continue
            zone = str(p.get("TimeZoneId"))
            if not _iana_zone(zone):
                self.problem(
                    where,
                    f"the time zone {zone!r} is refused by the library (an IANA Area/Location name or UTC is required); left out",
                )
                continue
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, name, "Rotation")
            spec["contacts"] = [self.ref(arn) for arn in p.get("ContactIds") or []]
            spec["start_time"] = p.get("StartTime")
            spec["time_zone"] = zone
            recurrence = p.get("Recurrence") or {}
            spec["recurrence"] = self.recurrence(recurrence, where)
            if recurrence.get("NumberOfOnCalls", 1) != 1:
                spec["number_of_on_calls"] = recurrence["NumberOfOnCalls"]
            if recurrence.get("RecurrenceMultiplier", 1) != 1:
                spec["recurrence_multiplier"] = recurrence["RecurrenceMultiplier"]
            coverage = [
                {"day_of_week": day["DayOfWeek"], "start": window["StartTime"], "end": window["EndTime"]}
                for day in recurrence.get("ShiftCoverages") or []
                for window in day.get("CoverageTimes") or []
            ]
            if coverage:
                spec["shift_coverage"] = coverage
            self.tags(spec, rotation, "rotation_tags", where)
            out[name] = spec
            self.rotation_names[rotation.arn] = name
        return out

    def recurrence(self, recurrence: dict[str, Any], where: str) -> dict[str, Any]:
        settings = [("day", s) for s in recurrence.get("DailySettings") or []]
        settings += [("week", s) for s in recurrence.get("WeeklySettings") or []]
        settings += [("month", s) for s in recurrence.get("MonthlySettings") or []]
        if not settings:
            self.problem(where, "the live rotation has no hand-off setting; written as a daily hand-off at 00:00")
            return {"every": "day", "hand_off_time": "00:00"}
        if len(settings) > 1:
            self.problem(
                where,
                f"the live rotation hands off {len(settings)} times per period; the file has one hand-off time, the first is written "
                "(the file needs several hand-offs per recurrence)",
            )
        every, setting = settings[0]
        if every == "day":
            return {"every": "day", "hand_off_time": setting}
        if every == "week":
            return {"every": "week", "day_of_week": setting["DayOfWeek"], "hand_off_time": setting["HandOffTime"]}
        return {"every": "month", "day_of_month": setting["DayOfMonth"], "hand_off_time": setting["HandOffTime"]}

    def schedules(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for contact in sorted(self.s.of_type(CONTACT), key=lambda c: c.name):
            if contact.properties.get("Type") != "ONCALL_SCHEDULE":
                continue
            alias = contact.name
            where = f"schedules.{alias}"
            ids = [i for stage in contact.properties.get("Plan") or [] for i in stage.get("RotationIds") or []]
            names = []
            for arn in ids:
                if arn in self.rotation_names:
                    names.append(self.rotation_names[arn])
                else:
                    self.problem(
                        where,
                        f"rotation {arn} is not written in the file (not read, or left out); the schedule cannot name it",
                    )
            if len(names) > MAX_ROTATIONS:
                self.problem(
                    where,
                    f"{len(names)} rotations; the library allows {MAX_ROTATIONS}; the first {MAX_ROTATIONS} are written",
                )
                names = names[:MAX_ROTATIONS]
            if not names or not ALIAS_RE.fullmatch(alias):
                self.problem(
                    where,
                    "left out (no rotation of the file, or an alias the library refuses); named by its ARN where used",
                )
                continue
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, alias, "Schedule")
            self.display_name(spec, contact, where)
            spec["rotations"] = names
            self.tags(spec, contact, "schedule_tags", where)
            out[alias] = spec
            self.written_contacts.add(alias)
        return out

    def escalation_order(self, plans: dict[str, LiveResource]) -> list[str]:
        """The escalation plans, each after the plans it engages (the file refers only to what is above)."""
        order: list[str] = []
        visiting: set[str] = set()

        def visit(alias: str) -> None:
            if alias in order or alias in visiting:
                return
            visiting.add(alias)
            for stage in plans[alias].properties.get("Plan") or []:
                for target in stage.get("Targets") or []:
                    ref = self.s.by_arn(str((target.get("ContactTargetInfo") or {}).get("ContactId")))
                    if ref is not None and ref.name in plans:
                        visit(ref.name)
            visiting.discard(alias)
            order.append(alias)

        for alias in sorted(plans):
            visit(alias)
        return order

    def escalation_stage(self, where: str, number: int, stage: dict[str, Any]) -> dict[str, Any] | None:
        contacts, essentials = [], []
        for target in stage.get("Targets") or []:
            if target.get("ContactTargetInfo") is None:
                self.problem(
                    where,
                    f"stage {number} engages a contact channel directly; the file's stages engage contacts only; left out",
                )
                continue
            info = target["ContactTargetInfo"]
            contacts.append(self.ref(info.get("ContactId")))
            essentials.append(bool(info.get("IsEssential")))
        if not contacts:
            self.problem(
                where,
                f"stage {number} engages no contact; the file's stages need one; the stage is left out (later stages start earlier)",
            )
            return None
        if len(set(essentials)) > 1:
            self.problem(
                where,
                f"stage {number} stops progression on acknowledgement for some contacts only; the file sets it per stage: written as true",
            )
        entry: dict[str, Any] = {"contacts": contacts, "duration_minutes": int(stage.get("DurationInMinutes") or 0)}
        if any(essentials):
            entry["acknowledgement_stops_progression"] = True
        return entry

    def escalation_plans(self) -> dict[str, Any]:
        plans = {c.name: c for c in self.s.of_type(CONTACT) if c.properties.get("Type") == "ESCALATION"}
        out: dict[str, Any] = {}
        for alias in self.escalation_order(plans):
            contact = plans[alias]
            where = f"escalation_plans.{alias}"
            stages = [
                entry
                for number, stage in enumerate(contact.properties.get("Plan") or [], start=1)
                if (entry := self.escalation_stage(where, number, stage)) is not None
            ]
            if not stages or not ALIAS_RE.fullmatch(alias):
                self.problem(
                    where,
                    "left out (no stage the file can express, or an alias the library refuses); named by its ARN where used",
                )
                continue
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, alias, "EscalationPlan")
            self.display_name(spec, contact, where)
            spec["stages"] = stages
            self.tags(spec, contact, "escalation_tags", where)
            out[alias] = spec
            self.written_contacts.add(alias)
        return out

    def runbooks(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for document in sorted(self.s.of_type(DOCUMENT), key=lambda d: d.name):
            name = document.name
            where = f"runbooks.{name}"
            text = self.s.documents.get(name)
            if text is None:
                self.problem(where, "its content was not read; left out")
                continue
            if document.properties.get("DocumentType") != "Automation":
                self.problem(
                    where, f"a {document.properties.get('DocumentType')} document, not an Automation runbook; left out"
                )
                continue
            suffix = "json" if str(document.properties.get("DocumentFormat", "JSON")).upper() == "JSON" else "yaml"
            relative = f"{RUNBOOK_DIRECTORY}/{name}.{suffix}"
            self.runbook_files[relative] = text
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, name, "Runbook")
            spec["file"] = relative
            if document.properties.get("VersionName"):
                self.problem(
                    where,
                    f"the live version is named {document.properties['VersionName']!r}; the library names no version, so the next content change makes an unnamed one",
                )
            content = document.properties.get("Content")
            if not isinstance(content, dict):
                try:
                    content = parse_document(text, str(document.properties.get("DocumentFormat")))
                except yaml.YAMLError:
                    content = None
            params = (content or {}).get("parameters") if isinstance(content, dict) else None
            self.declared[name] = (
                {k: str((v or {}).get("type")) for k, v in (params or {}).items()} if isinstance(params, dict) else {}
            )
            out[name] = spec
        return out

    def response_plans(self, runbooks: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for plan in sorted(self.s.of_type(RESPONSE_PLAN), key=lambda p: p.name):
            name = plan.name
            where = f"response_plans.{name}"
            p = plan.properties
            incident = p.get("IncidentTemplate") or {}
            spec: dict[str, Any] = {}
            self.construct_id(spec, where, name, "ResponsePlan")
            if p.get("DisplayName") is not None:
                spec["display_name"] = p["DisplayName"]
            spec["title"] = incident.get("Title")
            spec["impact"] = _IMPACTS.get(int(incident.get("Impact") or 0), incident.get("Impact"))
            for source, key in (("Summary", "summary"), ("DedupeString", "dedupe_string")):
                if incident.get(source) is not None:
                    spec[key] = incident[source]
            if p.get("Engagements"):
                spec["engagements"] = [self.ref(arn) for arn in p["Engagements"]]
            for index, action in enumerate(p.get("Actions") or []):
                if index:
                    self.problem(
                        where, "more than one runbook action is live; the file has one; the others are left out"
                    )
                    break
                self.action(spec, where, action.get("SsmAutomation") or {}, runbooks)
            self.integrations(spec, where, p)
            if incident.get("IncidentTags"):
                spec["incident_tags"] = {t["Key"]: t["Value"] for t in incident["IncidentTags"]}
            if p.get("Tags"):
                spec["tags"] = {t["Key"]: t["Value"] for t in p["Tags"]}
            out[name] = spec
        return out

    def integrations(self, spec: dict[str, Any], where: str, p: dict[str, Any]) -> None:
        """Notification topics, chat topics and PagerDuty: keys the file may gain (see OPTIONAL_KEYS)."""
        incident = p.get("IncidentTemplate") or {}
        if incident.get("NotificationTargets"):
            arns = [t.get("SnsTopicArn") for t in incident["NotificationTargets"]]
            self.optional(spec, where, "notifications", arns, f"incidents notify SNS topics {arns}")
        chat = (p.get("ChatChannel") or {}).get("ChatbotSns")
        if chat:
            what = f"the chat channel is SNS topics {list(chat)} (an existing AWS Chatbot set-up)"
            self.optional(spec, where, "chat", list(chat), what)
        for integration in p.get("Integrations") or []:
            pager = integration.get("PagerDutyConfiguration") or {}
            value = {
                "name": pager.get("Name"),
                "secret_arn": pager.get("SecretId"),
                "service_id": (pager.get("PagerDutyIncidentConfiguration") or {}).get("ServiceId"),
            }
            self.optional(spec, where, "pager_duty", value, f"PagerDuty configuration {pager.get('Name')!r} is live")

    def optional(
        self,
        spec: dict[str, Any],
        where: str,
        feature: str,
        value: Any,
        what: str,
        instead: str = "the template leaves it out",
    ) -> None:
        key = OPTIONAL_KEYS[feature][1]
        if supports(feature):
            spec[key] = value
        else:
            self.problem(where, f"{what}; the file cannot express it, so {instead} (the file needs a '{key}' key)")

    def action(self, spec: dict[str, Any], where: str, automation: dict[str, Any], runbooks: dict[str, Any]) -> None:
        document = str(automation.get("DocumentName"))
        if document in runbooks:
            spec["runbook"] = document
        elif is_aws_owned_document(document) and supports("existing_runbook"):
            runbooks[document] = {"existing": True}
            spec["runbook"] = document
        else:
            self.problem(
                where,
                f"the runbook {document!r} is "
                + (
                    "AWS's (or shared): the file cannot name an existing document (it needs 'existing: true' under runbooks)"
                    if is_aws_owned_document(document)
                    else "not written in the file"
                )
                + "; the plan is written without its runbook",
            )
            return
        role = automation.get("RoleArn")
        self.optional(
            spec, where, "role", role, f"the runbook runs with role {role}", "the template creates a new role for it"
        )
        version = automation.get("DocumentVersion")
        if version != "$LATEST":
            self.optional(
                spec, where, "version", version, f"runbook version {version!r} is live", "the template writes $LATEST"
            )
        declared = self.declared.get(document)
        static: dict[str, Any] = {}
        for parameter in automation.get("Parameters") or []:
            key, values = parameter.get("Key"), list(parameter.get("Values") or [])
            if declared is not None and key not in declared:
                self.problem(
                    where,
                    f"runbook parameter {key!r} is live but the runbook does not declare it; the library refuses it, so it is left out",
                )
                continue
            static[key] = values[0] if len(values) == 1 else values
        if static:
            spec["runbook_parameters"] = static
        live_dynamic = {
            d.get("Key"): (d.get("Value") or {}).get("Variable") for d in automation.get("DynamicParameters") or []
        }
        default = {
            k: v for k, v in _DEFAULT_DYNAMIC.items() if declared is not None and k in declared and k not in static
        }
        if live_dynamic != default:
            self.optional(
                spec,
                where,
                "dynamic",
                live_dynamic,
                f"dynamic runbook parameters {live_dynamic or 'none'} are live",
                f"the template passes {default or 'none'}",
            )
        if automation.get("TargetAccount") == "IMPACTED_ACCOUNT":
            spec["target_account"] = "IMPACTED_ACCOUNT"

    def replication_set(self) -> dict[str, Any] | None:
        sets = self.s.of_type(REPLICATION_SET)
        if not sets:
            return None
        if len(sets) > 1:  # pragma: no cover - one per account
            self.problem("replication_set", f"{len(sets)} replication sets are live; the first is written")
        self.ids.setdefault("ReplicationSet", "replication_set")
        return {"existing": True, "arn": sets[0].arn}

    def build(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        contacts = self.contacts()
        rotations = self.rotations()
        schedules = self.schedules()
        escalation_plans = self.escalation_plans()
        runbooks = self.runbooks()
        response_plans = self.response_plans(runbooks)
        replication_set = self.replication_set()
        for key, value in (
            ("contacts", contacts),
            ("rotations", rotations),
            ("schedules", schedules),
            ("escalation_plans", escalation_plans),
            ("runbooks", runbooks),
            ("response_plans", response_plans),
            ("replication_set", replication_set),
        ):
            if value:
                data[key] = value
        return data


def _describe_stages(stages: list[dict[str, Any]], channels: dict[str, LiveResource]) -> str:
    parts = []
    for stage in stages:
        names = []
        for target in stage.get("Targets") or []:
            info = target.get("ChannelTargetInfo") or {}
            channel = channels.get(str(info.get("ChannelId")))
            label = channel.properties.get("ChannelName") if channel else "a contact"
            retry = info.get("RetryIntervalInMinutes")
            names.append(f"{label} (retry {retry if retry is not None else 'unset'})")
        parts.append(f"[{stage.get('DurationInMinutes')} min: {', '.join(names) or 'nobody'}]")
    return " ".join(parts) or "(no stages)"


def organisation_data(
    snapshot: AccountSnapshot, *, address_prefix: str | None = None
) -> tuple[dict[str, Any], list[str], list[tuple[str, str]], dict[str, str]]:
    """The organisation file's data for ``snapshot``, what it cannot express, the address
    parameters (name, address) and the runbook files (relative path, text)."""
    writer = _Writer(snapshot, address_prefix)
    data = writer.build()
    return data, writer.problems, writer.parameters, writer.runbook_files


def parse_addresses(addresses: str | None) -> str | None:
    """``ssm:/PREFIX`` as ``/PREFIX`` (checked), or None."""
    if addresses is None:
        return None
    if not addresses.startswith("ssm:"):
        raise AdoptError(f"--addresses {addresses!r}: expected ssm:/PREFIX, like ssm:/oncall")
    prefix = addresses[4:].rstrip("/")
    if not SSM_PREFIX_RE.fullmatch(prefix) or len(prefix) > 500:
        raise AdoptError(
            f"--addresses {addresses!r}: the prefix must be a parameter path like /oncall (letters, digits, '_', '.', '-' and '/')"
        )
    if re.match(r"/(aws|ssm)", prefix, re.IGNORECASE):
        raise AdoptError(f"--addresses {addresses!r}: parameter names may not start with aws or ssm")
    return prefix


def _header(snapshot: AccountSnapshot, problems: list[str]) -> str:
    lines = [
        f"# Written by `incident-constructs adopt` from account {snapshot.account or '(unknown)'}, region {snapshot.region}, "
        f"at {snapshot.read_at}.",
        '# Build it with incident_constructs.build_organisation(stack, "organisation.yaml") in a stack of that',
        "# account and region, then bring the live resources under the stack with `cdk import` (see the README,",
        '# "Adopting an existing set-up"). The replication set is used as it is (existing: true).',
    ]
    if problems:
        lines.append("#")
        lines.append("# Not expressible exactly in this file (the template differs from the account here):")
        lines.extend(f"#  - {p}" for p in problems)
    return "\n".join(lines) + "\n"


def write_snapshot(
    snapshot: AccountSnapshot, directory: pathlib.Path, *, addresses: str | None, overwrite: bool
) -> WriteResult:
    prefix = parse_addresses(addresses)
    data, problems, parameters, runbook_files = organisation_data(snapshot, address_prefix=prefix)
    targets = [directory / ORGANISATION_FILE, directory / ACCOUNT_FILE, *(directory / r for r in runbook_files)]
    if not overwrite:
        existing = [str(t) for t in targets if t.exists()]
        if existing:
            raise AdoptError(f"{existing[0]} exists; choose an empty directory or overwrite")
    text = _header(snapshot, problems) + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    try:
        (directory / RUNBOOK_DIRECTORY).mkdir(parents=True, exist_ok=True) if runbook_files else directory.mkdir(
            parents=True, exist_ok=True
        )
        for relative, content in runbook_files.items():
            (directory / relative).write_text(content if content.endswith("\n") else content + "\n", encoding="utf-8")
        (directory / ORGANISATION_FILE).write_text(text, encoding="utf-8")
        account = snapshot.to_json()
        account["notExpressible"] = problems
        (directory / ACCOUNT_FILE).write_text(json.dumps(account, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise AdoptError(f"cannot write into {directory}: {error.strerror or type(error).__name__}") from None
    commands = [
        f"aws ssm put-parameter --region {snapshot.region} --type String --name {shlex.quote(name)} --value {shlex.quote(value)}"
        for name, value in parameters
    ]
    return WriteResult(files=targets, not_expressible=problems, put_parameter_commands=commands, organisation=data)
