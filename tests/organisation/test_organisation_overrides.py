"""Rotation overrides in the organisation file (``overrides:`` under a rotation, issue 15): the
schema, each refused override at its file:line:column, the custom resources built, cfn-lint, and
the README's example and errors."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from support.lint import REPO_ROOT, cfn_lint_templates
from support.organisation import load_error, write_file

from incident_constructs import _rules
from incident_constructs.contacts.rotation import NOW_CONTEXT, OVERRIDE_RESOURCE_TYPE
from incident_constructs.organisation import (
    OrganisationFileError,
    build_organisation,
    load_organisation,
    organisation_json_schema,
)

#: "now" for the six-months rule, pinned so that the tests do not depend on the day they run.
NOW = "2026-03-01T00:00:00Z"
ENV = cdk.Environment(account="111122223333", region="us-east-1")
BOB_ARN = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob"

#: Line 12 is the first override, line 13 the second (positions in the tests below count on it).
ORG = """\
contacts:
  alice: {channels: [{name: alice email, email: alice@example.com}]}
  carol: {channels: [{name: carol email, email: carol@example.com}]}
  dave: {channels: [{name: dave email, email: dave@example.com}]}
rotations:
  web_primary:
    contacts: [alice, carol, "arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob"]
    start_time: 2026-01-05T09:00:00
    time_zone: America/Los_Angeles
    recurrence: {every: week, day_of_week: MON, hand_off_time: "09:00"}
    overrides:
      - {start: 2026-03-06T17:00:00-08:00, end: 2026-03-10T09:00:00-07:00, contacts: [carol]}
      - {start: 2026-03-12T19:00:00Z, end: 2026-03-12T21:00:00Z, contacts: []}
"""
FIRST = "      - {start: 2026-03-06T17:00:00-08:00, end: 2026-03-10T09:00:00-07:00, contacts: [carol]}\n"
SECOND = "      - {start: 2026-03-12T19:00:00Z, end: 2026-03-12T21:00:00Z, contacts: []}\n"


def _stack(tmp_path: Path, now: str | None = NOW, name: str = "OnCall") -> cdk.Stack:
    app = cdk.App(
        outdir=str(tmp_path / "cdk.out"),
        builtin_cloud_formation_validation=False,
        context={NOW_CONTEXT: now} if now is not None else None,
    )
    return cdk.Stack(app, name, env=ENV)


def _build(tmp_path: Path, text: str, now: str | None = NOW) -> tuple[cdk.Stack, Any]:
    stack = _stack(tmp_path, now)
    return stack, build_organisation(stack, write_file(tmp_path, text))


def _build_problems(tmp_path: Path, text: str, now: str | None = NOW) -> list[tuple[int, int, str, str]]:
    with pytest.raises(OrganisationFileError) as error:
        _build(tmp_path, text, now)
    return [(p.line, p.column, p.path, p.message) for p in error.value.problems]


def _load_problems(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in load_error(tmp_path, text).problems]


def _column(line: str, needle: str) -> int:
    """The 1-based column of ``needle`` in ``line``."""
    assert needle in line, (needle, line)
    return line.index(needle) + 1


def _template(stack: cdk.Stack) -> dict[str, Any]:
    return stack.node.root.synth().get_stack_by_name(stack.stack_name).template  # type: ignore[attr-defined,no-any-return]


def _sdk_call(value: Any) -> dict[str, Any]:
    """An AwsCustomResource call, with references written ``<<Logical.Arn>>``."""
    if isinstance(value, str):
        return json.loads(value)  # type: ignore[no-any-return]
    parts = value["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "<<{}.{}>>".format(*p["Fn::GetAtt"]) for p in parts)
    return json.loads(text)  # type: ignore[no-any-return]


# -- the schema ------------------------------------------------------------------------------


def test_timestamps_are_read_as_text_as_written() -> None:
    """YAML timestamps (unquoted, with an offset or Z) stay text, exactly as written."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = load_organisation(write_file(Path(folder), ORG))
    first, second = data["rotations"]["web_primary"]["overrides"]
    assert first == {"start": "2026-03-06T17:00:00-08:00", "end": "2026-03-10T09:00:00-07:00", "contacts": ["carol"]}
    assert second["start"] == "2026-03-12T19:00:00Z" and second["contacts"] == []


@pytest.mark.parametrize(
    "written",
    ["2026-03-06T17:00:00-08:00", "2026-03-07T01:00:00Z", "2026-03-07T01:00:00+00:00", "2026-03-07T10:00:00+09:00"],
)
def test_an_override_time_is_an_instant_with_its_offset(written: str) -> None:
    assert re.fullmatch(_rules.OVERRIDE_TIME_PATTERN, written)


@pytest.mark.parametrize(
    "change, key",
    [("start: 2026-03-06T17:00:00-08:00", "start"), ("end: 2026-03-10T09:00:00-07:00", "end")],
)
@pytest.mark.parametrize(
    "written",
    [
        "2026-03-06T17:00:00",  # no offset: wall-clock time of which zone?
        "2026-03-06 17:00:00Z",  # a YAML timestamp, but not the layout
        "2026-03-06T17:00:00.5Z",  # fractions of a second
        "2026-03-06T17:00Z",  # no seconds
        "2026-03-06",  # a date
        '"2026-03-06T17:00:00+0800"',  # an offset without ':'
    ],
)
def test_a_time_in_another_layout_is_refused_at_its_value(tmp_path: Path, change: str, key: str, written: str) -> None:
    line = FIRST.replace(change, f"{key}: {written}")
    problems = _load_problems(tmp_path, ORG.replace(FIRST, line))
    assert [(line, path) for line, _, path, _ in problems] == [(12, f"rotations.web_primary.overrides[0].{key}")]
    assert problems[0][1] == _column(line, f"{key}: ") + len(key) + 2
    assert problems[0][3].endswith(f"is not allowed: {_rules.OVERRIDE_TIME_RULE}")


@pytest.mark.parametrize(
    "old, new, needle, expected",
    [
        (
            "contacts: [carol]}",
            "contacts: [carol, carol]}",
            "contacts: [carol, carol]",  # a list is pointed at by its key
            (
                "rotations.web_primary.overrides[0].contacts",
                "['carol', 'carol'] is not allowed: each item at most once.",
            ),
        ),
        (
            ", contacts: [carol]}",
            "}",
            "{start",
            ("rotations.web_primary.overrides[0]", "missing key 'contacts' (required: start, end, contacts)."),
        ),
        (
            "contacts: [carol]}",
            "contacts: [carol], who: carol}",
            "who",
            ("rotations.web_primary.overrides[0].who", "unknown key 'who'; allowed keys: contacts, end, start."),
        ),
        (
            "contacts: [carol]}",
            'contacts: [""]}',
            '""',
            ("rotations.web_primary.overrides[0].contacts[0]", "'' is not allowed: at least 1 characters."),
        ),
        (
            "contacts: [carol]}",
            "contacts: carol}",
            "carol}",
            ("rotations.web_primary.overrides[0].contacts", "'carol' is not allowed: a list is required."),
        ),
    ],
    ids=["twice", "no-contacts", "unknown-key", "empty-reference", "not-a-list"],
)
def test_the_schema_refuses_an_override_of_the_wrong_shape(
    tmp_path: Path, old: str, new: str, needle: str, expected: tuple[str, str]
) -> None:
    line = FIRST.replace(old, new)
    assert _load_problems(tmp_path, ORG.replace(FIRST, line)) == [(12, _column(line, needle), *expected)]


def test_at_most_thirty_contacts_in_an_override(tmp_path: Path) -> None:
    many = ", ".join(f"p{i}" for i in range(31))
    (problem,) = _load_problems(tmp_path, ORG.replace(FIRST, FIRST.replace("[carol]", f"[{many}]")))
    assert problem[:3] == (12, _column(FIRST, "contacts: [carol]"), "rotations.web_primary.overrides[0].contacts")
    assert problem[3].endswith("is not allowed: at most 30 items.")


def test_the_schema_carries_the_rules() -> None:
    definitions = organisation_json_schema()["$defs"]
    assert definitions["rotation"]["properties"]["overrides"]["items"] == {"$ref": "#/$defs/rotation_override"}
    override = definitions["rotation_override"]
    assert override["required"] == ["start", "end", "contacts"]
    assert override["properties"]["contacts"]["maxItems"] == _rules.MAX_OVERRIDE_CONTACTS
    assert definitions["override_time"]["pattern"] == f"^{_rules.OVERRIDE_TIME_PATTERN}$"


# -- what is built ---------------------------------------------------------------------------


def test_each_override_is_added_to_its_rotation_as_a_custom_resource(tmp_path: Path) -> None:
    stack, org = _build(tmp_path, ORG)
    rotation = org.rotations["web_primary"]
    assert [(o.start, o.end) for o in rotation.overrides] == [
        (datetime(2026, 3, 7, 1, tzinfo=timezone.utc), datetime(2026, 3, 10, 16, tzinfo=timezone.utc)),
        (datetime(2026, 3, 12, 19, tzinfo=timezone.utc), datetime(2026, 3, 12, 21, tzinfo=timezone.utc)),
    ]
    assert [o.contacts for o in rotation.overrides] == [[org.contacts["carol"]], []]
    assert [r.node.id for r in rotation.override_resources] == ["Override20260307T010000", "Override20260312T190000"]
    template = _template(stack)
    overrides = {k: v for k, v in template["Resources"].items() if v["Type"] == OVERRIDE_RESOURCE_TYPE}
    assert len(overrides) == 2
    rotation_id = stack.resolve(rotation.resource.logical_id)
    carol_id = stack.resolve(org.contacts["carol"].resource.logical_id)
    creates = sorted(
        (_sdk_call(o["Properties"]["Create"]) for o in overrides.values()), key=lambda c: c["parameters"]["StartTime"]
    )
    assert [c["parameters"] for c in creates] == [
        {
            "RotationId": f"<<{rotation_id}.Arn>>",
            "NewContactIds": [f"<<{carol_id}.Arn>>"],
            "StartTime": "2026-03-07T01:00:00Z",
            "EndTime": "2026-03-10T16:00:00Z",
        },
        {
            "RotationId": f"<<{rotation_id}.Arn>>",
            "NewContactIds": [],
            "StartTime": "2026-03-12T19:00:00Z",
            "EndTime": "2026-03-12T21:00:00Z",
        },
    ]
    assert {c["action"] for c in creates} == {"createRotationOverride"}


def test_a_contact_of_the_rotation_named_by_arn_is_a_member(tmp_path: Path) -> None:
    text = ORG.replace(FIRST, FIRST.replace("contacts: [carol]", f'contacts: ["{BOB_ARN}", alice]'))
    stack, org = _build(tmp_path, text)
    first = org.rotations["web_primary"].overrides[0]
    assert [c.contact_arn for c in first.contacts] == [BOB_ARN, org.contacts["alice"].contact_arn]
    resources = _template(stack)["Resources"]
    (create,) = [
        _sdk_call(v["Properties"]["Create"])
        for v in resources.values()
        if v["Type"] == OVERRIDE_RESOURCE_TYPE and "2026-03-07T01" in json.dumps(v["Properties"]["Create"])
    ]
    assert create["parameters"]["NewContactIds"][0] == BOB_ARN


def test_the_templates_pass_cfn_lint(tmp_path: Path) -> None:
    stack, _ = _build(tmp_path, ORG)
    assembly = stack.node.root.synth()  # type: ignore[attr-defined]
    assert cfn_lint_templates([Path(assembly.get_stack_by_name(stack.stack_name).template_full_path)]) == []


# -- every refused override, at its place ------------------------------------------------------------


def _with(*lines: str) -> str:
    return ORG.replace(SECOND, SECOND + "".join(f"      - {line}\n" for line in lines))


PATH = "rotations.web_primary.overrides"


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "{start: 2026-03-07T00:00:00Z, end: 2026-03-07T10:00:00Z, contacts: [alice]}",
            (
                "{start",
                f"{PATH}[2]",
                "OnCall/WebPrimary (Rotation): overrides[2] '2026-03-07T00:00:00Z to 2026-03-07T10:00:00Z' is not "
                "allowed: overrides of one rotation must not overlap (it overlaps the override from "
                "2026-03-07T01:00:00Z to 2026-03-10T16:00:00Z).",
            ),
        ),
        (
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T19:29:59Z, contacts: []}",
            (
                "{start",
                f"{PATH}[2]",
                "OnCall/WebPrimary (Rotation): overrides[2] '2026-03-14T19:00:00Z to 2026-03-14T19:29:59Z' is not "
                "allowed: at least 30 minutes long (the user guide: 'An override must be at least 30 minutes in length').",
            ),
        ),
        (
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T18:00:00Z, contacts: []}",
            (
                "2026-03-14T18:00:00Z",
                f"{PATH}[2].end",
                "OnCall/WebPrimary (Rotation): overrides[2] end '2026-03-14T18:00:00+00:00' is not allowed: later "
                "than its start (2026-03-14T19:00:00+00:00).",
            ),
        ),
        (
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T21:00:00Z, contacts: [dave]}",
            (
                "contacts: [dave]",
                f"{PATH}[2].contacts",
                "OnCall/WebPrimary (Rotation): overrides[2] contacts 'dave' is not allowed: contacts of this rotation "
                "only (alice, carol, bob); the user guide: 'You can only assign contacts to an override that are "
                "already assigned to the rotation'.",
            ),
        ),
        (
            "{start: 2026-08-31T00:00:00Z, end: 2026-09-01T00:00:01Z, contacts: []}",
            (
                "2026-09-01T00:00:01Z",
                f"{PATH}[2].end",
                "OnCall/WebPrimary (Rotation): overrides[2] end '2026-09-01T00:00:01Z' is not allowed: at most 6 "
                "months after now (2026-03-01T00:00:00Z), so by 2026-09-01T00:00:00Z (the user guide: 'You can only "
                "specify an override for shifts that occur no more than six months in the future'); add it later, or "
                f"pin now with the context value {NOW_CONTEXT}.",
            ),
        ),
        (
            "{start: 2026-02-30T19:00:00Z, end: 2026-03-14T21:00:00Z, contacts: []}",
            (
                "2026-02-30T19:00:00Z",
                f"{PATH}[2].start",
                "'2026-02-30T19:00:00Z' is not allowed: a real date and time of day, with an offset from -23:59 to +23:59.",
            ),
        ),
        (
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T21:00:00+24:00, contacts: []}",
            (
                "2026-03-14T21:00:00+24:00",
                f"{PATH}[2].end",
                "'2026-03-14T21:00:00+24:00' is not allowed: a real date and time of day, with an offset from -23:59 "
                "to +23:59.",
            ),
        ),
        (
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T21:00:00Z, contacts: [erin]}",
            (
                "erin",
                f"{PATH}[2].contacts[0]",
                "'erin' is not one of the contacts of this file (alice, carol, dave); an existing contact is named by "
                "its ARN.",
            ),
        ),
    ],
    ids=[
        "overlap",
        "too-short",
        "end-before-start",
        "not-a-member",
        "six-months",
        "no-such-day",
        "offset-24",
        "unknown",
    ],
)
def test_a_refused_override_is_reported_at_its_place(tmp_path: Path, line: str, expected: tuple[str, str, str]) -> None:
    needle, path, message = expected
    assert _build_problems(tmp_path, _with(line)) == [(14, _column(f"      - {line}", needle), path, message)]


def test_the_six_months_read_the_clock_without_the_context_value(tmp_path: Path) -> None:
    """Without ``incident-constructs:now`` the clock is now: an override in 2099 is too far ahead."""
    line = "{start: 2099-01-01T00:00:00Z, end: 2099-01-02T00:00:00Z, contacts: []}"
    (problem,) = _build_problems(tmp_path, _with(line), now=None)
    assert problem[:3] == (14, _column(f"      - {line}", "2099-01-02"), f"{PATH}[2].end")
    assert "at most 6 months after now" in problem[3]


def test_an_override_that_has_ended_is_kept(tmp_path: Path) -> None:
    _, org = _build(tmp_path, ORG, now="2027-01-01T00:00:00Z")
    assert len(org.rotations["web_primary"].override_resources) == 2


def test_every_refused_override_of_a_rotation_is_listed_with_the_files_index(tmp_path: Path) -> None:
    """The rotation counts the overrides it holds; after a refused one the file's index is named."""
    problems = _build_problems(
        tmp_path,
        _with(
            "{start: 2026-03-14T19:00:00Z, end: 2026-03-14T19:10:00Z, contacts: []}",
            "{start: 2026-03-15T19:00:00Z, end: 2026-03-15T21:00:00Z, contacts: [alice]}",
            "{start: 2026-03-15T20:00:00Z, end: 2026-03-15T22:00:00Z, contacts: [dave]}",
        ),
    )
    assert [(line, path) for line, _, path, _ in problems] == [(14, f"{PATH}[2]"), (16, f"{PATH}[4].contacts")]
    assert "): overrides[2] '2026-03-14T19:00:00Z to 2026-03-14T19:10:00Z'" in problems[0][3]
    assert "): overrides[4] contacts 'dave'" in problems[1][3]


# -- the README ----------------------------------------------------------------------------------


def _readme_section() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("### Rotation overrides in the file", 1)[1].split("\n### ", 1)[0]


def _readme_yaml() -> str:
    return re.search(r"```yaml\n(.*?)```", _readme_section(), re.S).group(1)  # type: ignore[union-attr]


def test_the_readmes_example_builds_and_passes_cfn_lint(tmp_path: Path) -> None:
    stack, org = _build(tmp_path, _readme_yaml())
    rotation = org.rotations["web_primary"]
    assert [r.node.id for r in rotation.override_resources] == ["Override20260307T010000", "Override20260312T190000"]
    assembly = stack.node.root.synth()  # type: ignore[attr-defined]
    assert cfn_lint_templates([Path(assembly.get_stack_by_name("OnCall").template_full_path)]) == []


def test_the_readmes_errors_are_what_the_file_gives(tmp_path: Path) -> None:
    """The README: dave among the contacts, and three overrides added to the list."""
    text = _readme_yaml()
    carol = "  carol: {channels: [{name: carol email, email: carol@example.com}]}\n"
    text = text.replace(carol, carol + "  dave: {channels: [{name: dave email, email: dave@example.com}]}\n")
    last = "      - {start: 2026-03-12T19:00:00Z, end: 2026-03-12T21:00:00Z, contacts: []}   # nobody\n"
    assert last in text
    text = text.replace(
        last,
        last
        + "      - start: 2026-03-07T00:00:00Z\n        end: 2026-03-07T10:00:00Z\n        contacts: [alice]\n"
        + "      - {start: 2026-03-14T19:00:00Z, end: 2026-03-14T19:10:00Z, contacts: []}\n"
        + "      - {start: 2026-03-20T19:00:00Z, end: 2026-03-20T21:00:00Z, contacts: [dave]}\n",
    )
    stack = _stack(tmp_path)
    path = write_file(tmp_path, text)
    with pytest.raises(OrganisationFileError) as error:
        build_organisation(stack, path)
    shown = str(error.value).replace(str(path), "org.yaml")
    block = re.search(r"```\n(org\.yaml:.*?)```", _readme_section(), re.S)
    assert block is not None
    assert block.group(1) == shown + "\n"


def test_the_readmes_table_rows_are_keys_of_the_schema() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Alarms, rules, Microsoft Teams and sharing", 1)[1].split("\n### ", 1)[0]
    rows = [row.split(" | ") for row in re.findall(r"^\| .*\|$", section, re.M)]
    where = {cells[1]: cells[0] for cells in rows if len(cells) > 2 and cells[1].startswith("rotation")}
    assert where["rotation"] == "| `overrides: [{start, end, contacts}]`"
    keys = set(re.findall(r"`([a-z_]+)", " ".join(cells[0] for cells in rows if cells[1] == "rotation override")))
    definitions = organisation_json_schema()["$defs"]
    assert keys == set(definitions["rotation_override"]["properties"]) == {"start", "end", "contacts"}
