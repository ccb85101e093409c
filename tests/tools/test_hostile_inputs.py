"""Hostile and edge inputs for the organisation file and the command line.

Each case asserts a clear refusal: an :class:`OrganisationFileError` at file:line:column, or a
non-zero exit code with one line on stderr (no traceback, no "internal error", no whole
address), and that it comes quickly. Times are bounded generously (a loaded CI machine must not
fail them): the point is "seconds, not minutes". The cases count towards the corpus of
docs/validation.md.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import random
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from incident_constructs.organisation import MAX_NODES, OrganisationFileError, load_organisation
from incident_constructs.tools.cli import main
from incident_constructs.tools.replacements import check_replacements

ROOT = Path(__file__).resolve().parents[2]
#: Generous: a hostile case used to take 50-150 s; every one now takes well under a second.
SLOW = 10.0
ADDRESSES = ("alice@example.com", "bob@example.com", "12065550100", "+12065550100", "2065550100")


class Bounded:
    """Time (and, with ``memory=True``, traced memory) of a block, asserted afterwards."""

    def __init__(self, seconds: float = SLOW, *, memory_mb: float | None = None) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.elapsed = 0.0
        self.peak_mb = 0.0

    def __enter__(self) -> Bounded:
        if self.memory_mb is not None:
            tracemalloc.start()
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self._start
        if self.memory_mb is not None:
            self.peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        if exc[0] is None:
            assert self.elapsed < self.seconds, f"took {self.elapsed:.1f} s"
            if self.memory_mb is not None:
                assert self.peak_mb < self.memory_mb, f"used {self.peak_mb:.0f} MB"


# -- the organisation file --------------------------------------------------------------------------


def _laughs(levels: int = 8, fan: int = 10, indent: str = "") -> str:
    """The classic "billion laughs": each level lists the previous one ``fan`` times."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * fan)}]"]
    for level in range(1, levels + 1):
        lines.append(f"{indent}l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def _merge_chain(length: int) -> str:
    lines = ["m0: &m0 {k0: v}"]
    for i in range(1, length):
        lines.append(f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: v}}")
    return "\n".join(lines) + "\n"


CHANNEL = "contacts:\n  alice:\n    channels:\n      - "

#: (id, file content, what the message says, (line, column) or None)
FILE_CASES: list[tuple[str, str | bytes, str, tuple[int, int] | None]] = [
    ("billion-laughs-8-levels", _laughs(), "values once its aliases (*name) are expanded", (5, 5)),
    (
        "billion-laughs-in-runbook-inputs",
        "runbooks:\n  rb-1:\n    steps:\n      - name: s\n        action: aws:pause\n        inputs:\n"
        + _laughs(indent="          "),
        "once its aliases",
        None,
    ),
    (
        "billion-laughs-as-mapping-values",
        "a: &a {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9, q: 0}\n"
        + "".join(
            f"{c}: &{c} {{{', '.join(f'k{i}: *{p}' for i in range(10))}}}\n"
            for p, c in zip("abcdefg", "bcdefgh", strict=False)
        ),
        "once its aliases",
        None,
    ),
    (
        "billion-laughs-wide-and-shallow",
        "a: &a [" + ", ".join(["x"] * 400) + "]\nb: [" + ", ".join(["*a"] * 400) + "]\n",
        "once its aliases",
        (2, 4),
    ),
    ("merge-key-chain", _merge_chain(600), "once its aliases", None),
    ("recursive-alias-in-a-list", "contacts: &a\n  x:\n    channels: [*a]\n", "recursive alias", (3, 16)),
    ("recursive-alias-in-a-mapping", "a: &a {b: {c: *a}}\n", "recursive alias", (1, 15)),
    ("recursive-alias-through-a-merge", "a: &a\n  <<: *a\n", "recursive alias", (2, 7)),
    ("deep-flow-lists-3000", "contacts: " + "[" * 3000 + "]" * 3000 + "\n", "nest more than 50 levels", (1, 60)),
    (
        "deep-flow-mappings-3000",
        "contacts: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "nest more than 50 levels",
        None,
    ),
    (
        "deep-block-mappings-3000",
        "".join(" " * i + f"k{i}:\n" for i in range(3000)) + " " * 3000 + "x: 1\n",
        "nest more than 50 levels",
        None,
    ),
    ("deep-block-lists-3000", "contacts:\n  " + "- " * 3000 + "x\n", "nest more than 50 levels", (2, 101)),
    ("utf-16-le-with-bom", codecs.BOM_UTF16_LE + "contacts: {}\n".encode("utf-16-le"), "UTF-16 text", (1, 1)),
    ("utf-16-be-with-bom", codecs.BOM_UTF16_BE + "contacts: {}\n".encode("utf-16-be"), "UTF-16 text", (1, 1)),
    ("utf-32-with-bom", "contacts: {}\n".encode("utf-32"), "UTF-32 text", (1, 1)),
    ("utf-16-without-bom", "contacts: {}\n".encode("utf-16-le"), "NUL characters", (1, 2)),
    (
        "latin-1-accent",
        'contacts:\n  alice:\n    display_name: "Ren\xe9"\n'.encode("latin-1"),
        "not UTF-8 text (byte 0xE9",
        (3, 23),
    ),
    ("cut-utf-8-sequence", b'contacts:\n  alice: {display_name: "\xc3"}\n', "not UTF-8 text", (2, 26)),
    (
        "bell-control-character",
        'contacts:\n  alice: {display_name: "a\x07b"}\n',
        "character #x0007 is not allowed",
        (2, 27),
    ),
    ("number-as-top-level-key", "1: x\n", "the key '1' is read as a number", (1, 1)),
    ("number-as-alias", "contacts:\n  123: {display_name: x}\n", "the key '123' is read as a number", (2, 3)),
    ("boolean-key-on", "contacts:\n  on: {display_name: x}\n", "read as a boolean", (2, 3)),
    ("boolean-key-yes", "contacts:\n  yes: {}\n", "read as a boolean", (2, 3)),
    ("null-key", "contacts:\n  ~: {}\n", "the key is empty or null", (2, 3)),
    ("float-key", "contacts:\n  1.5: {}\n", "read as a number", (2, 3)),
    ("list-as-key", "? [a, b]\n: c\n", "a key must be text, not a list or a mapping", (1, 3)),
    ("mapping-as-key", "{? {a: 1} : 2}\n", "a key must be text", (1, 4)),
    ("empty-file", "", "the file is empty", (1, 1)),
    ("comments-only", "# nothing\n   \n# at all\n", "the file is empty", (1, 1)),
    ("document-marker-only", "---\n", "the file is empty", (1, 1)),
    ("null-document", "~\n", "the file is empty", (1, 1)),
    ("empty-mapping", "{}\n", "the file defines nothing", (1, 1)),
    ("list-document", "- contacts\n", "must hold a mapping of sections", (1, 1)),
    ("text-document", "hello\n", "must hold a mapping of sections", (1, 1)),
    ("two-documents", "contacts: {}\n---\ncontacts: {}\n", "not valid YAML", (2, 1)),
    (
        "binary-tag",
        "contacts:\n  alice: {display_name: !!binary aGVsbG8=}\n",
        "tag tag:yaml.org,2002:binary is not allowed",
        (2, 25),
    ),
    ("set-tag", "contacts: !!set {a, b}\n", "tag tag:yaml.org,2002:set is not allowed", (1, 11)),
    ("omap-tag", "contacts: !!omap [a: 1]\n", "is not allowed: use a plain list", (1, 11)),
    (
        "custom-tag",
        "runbooks:\n  rb-1: {steps: [{name: s, action: aws:pause, inputs: {x: !Ref Foo}}]}\n",
        "tag !Ref is not allowed",
        (2, 59),
    ),
    ("python-object-tag", "contacts: !!python/object:os.system {}\n", "is not allowed", (1, 11)),
    (
        "integer-of-5000-digits",
        "contacts:\n  alice:\n    retry_interval_minutes: " + "9" * 5000 + "\n",
        "a number of more than 40 characters",
        (3, 29),
    ),
    ("undefined-alias", "contacts: *nobody\n", "found undefined alias", (1, 11)),
    ("duplicate-anchor", "a: &x 1\nb: &x 2\nc: *x\n", "not valid YAML", None),
    ("tab-indentation", "contacts:\n\talice: {}\n", "not valid YAML", (2, 1)),
    ("unclosed-quote", 'contacts:\n  alice: {display_name: "x}\n', "not valid YAML", None),
    ("unknown-section", "contact:\n  alice: {}\n", "unknown key 'contact'", (1, 1)),
    (
        "duplicate-key-after-merge-still-a-duplicate",
        "contacts:\n  base: &b {display_name: B}\n  alice:\n    <<: *b\n    display_name: A\n    display_name: C\n",
        "appears more than once",
        (6, 5),
    ),
    (
        "engage-after-100000000-minutes",
        CHANNEL + "{name: m, email: alice@example.com, engage_after_minutes: 100000000}\n",
        "10000**00 is not allowed: 0 to 1440",
        (4, 67),
    ),
    (
        "number-of-on-calls-a-million",
        "rotations:\n  r:\n    contacts: [a]\n    start_time: '2025-01-01T09:00:00'\n    time_zone: UTC\n"
        "    recurrence: {every: day, hand_off_time: '09:00'}\n    number_of_on_calls: 1000000\n",
        "1000000 is not allowed: 1 to 30",
        (7, 25),
    ),
    (
        "hand-off-time-read-as-sexagesimal",
        "rotations:\n  r:\n    contacts: [a]\n    start_time: '2025-01-01T09:00:00'\n    time_zone: UTC\n"
        "    recurrence: {every: day, hand_off_time: 9:00}\n",
        "540 (written 9:00; put it in quotes to keep it as text) is not allowed: a string is required",
        (6, 45),
    ),
    (
        "display-name-read-as-boolean",
        "contacts:\n  alice: {display_name: yes}\n",
        "True (written yes; put it in quotes to keep it as text) is not allowed",
        (2, 25),
    ),
    ("very-long-unknown-key", "contacts:\n  alice: {" + "k" * 100_000 + ": 1}\n", "not valid YAML", None),
    ("very-long-quoted-alias", "contacts:\n  ? " + "a" * 100_000 + "\n  : {}\n", "is not allowed: 1-255", (2, 5)),
    (
        "very-long-display-name",
        "contacts:\n  alice: {display_name: " + "x" * 100_000 + "}\n",
        "xxxx... is not allowed: at most 255 characters",
        (2, 25),
    ),
]


@pytest.mark.parametrize("content, expected, position", [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_a_hostile_file_is_refused_quickly_at_its_line_and_column(
    tmp_path: Path, content: str | bytes, expected: str, position: tuple[int, int] | None
) -> None:
    path = tmp_path / "org.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with Bounded(memory_mb=200), pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    message = str(caught.value)
    assert expected in message
    first = caught.value.problems[0]
    assert first.file == str(path)
    if position is not None:
        assert (first.line, first.column) == position, message
    assert "Traceback" not in message
    # A message is for people: no line is a megabyte long.
    assert all(len(line) < 1000 for line in message.splitlines())


def test_a_billion_laughs_file_of_about_a_kilobyte_is_refused_in_milliseconds(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(levels=8, fan=10), encoding="utf-8")
    assert 400 < path.stat().st_size < 1200
    with Bounded(seconds=2.0, memory_mb=20) as bounds, pytest.raises(OrganisationFileError, match="once its aliases"):
        load_organisation(path)
    assert bounds.elapsed < 2.0


def test_aliases_that_stay_under_the_bound_are_read(tmp_path: Path) -> None:
    """Aliases are fine: a few thousand values once expanded load normally."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "contacts:\n  alice: &person {display_name: Alice}\n  bob: *person\n  carol: *person\n", encoding="utf-8"
    )
    data = load_organisation(path)
    assert data["contacts"]["bob"] == {"display_name": "Alice"}
    assert MAX_NODES >= 10_000


def test_a_merge_key_followed_by_an_overriding_key_is_not_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            contacts:
              base: &base
                display_name: Base
                retry_interval_minutes: 5
              alice:
                <<: *base
                display_name: Alice
              bob:
                <<: [*base]
                retry_interval_minutes: 10
            """
        ),
        encoding="utf-8",
    )
    data = load_organisation(path)
    assert data["contacts"]["alice"] == {"display_name": "Alice", "retry_interval_minutes": 5}
    assert data["contacts"]["bob"] == {"display_name": "Base", "retry_interval_minutes": 10}


def test_a_merged_value_is_reported_where_it_is_written(tmp_path: Path) -> None:
    """A bad value that arrives through ``<<`` is reported at the line that wrote it; an
    overriding key at its own line."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "defaults: &d {retry_interval_minutes: 99}\ncontacts:\n  alice:\n    <<: *d\n    display_name: 7\n",
        encoding="utf-8",
    )
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    where = {p.path: (p.line, p.column) for p in caught.value.problems}
    assert where["contacts.alice.retry_interval_minutes"] == (1, 39)
    assert where["contacts.alice.display_name"] == (5, 19)


def test_every_schema_problem_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            contacts:
              alice:
                display_name: 5
                retry_interval_minutes: 100
              bob:
                colour: blue
            response_plans:
              plan: {title: t, impact: 9}
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (3, "contacts.alice.display_name"),
        (4, "contacts.alice.retry_interval_minutes"),
        (6, "contacts.bob.colour"),
        (8, "response_plans.plan.impact"),
    ]
    assert len(str(caught.value).splitlines()) == 4


def test_thousands_of_problems_make_a_message_of_fifty_lines_and_a_count(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("contacts:\n" + "".join(f"  c{i}: {{colour: x}}\n" for i in range(3000)), encoding="utf-8")
    with Bounded(), pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    assert len(caught.value.problems) == 3000
    lines = str(caught.value).splitlines()
    assert len(lines) == OrganisationFileError.SHOWN + 1
    assert lines[-1] == "... and 2950 more problems"


def test_a_large_valid_file_loads_in_seconds(tmp_path: Path) -> None:
    people = "".join(
        f"  p{i}:\n    display_name: Person {i}\n    channels:\n"
        f"      - {{name: mail, email: p{i}@example.com}}\n      - {{name: phone, sms: '+1206555{i:04d}', engage_after_minutes: 5}}\n"
        for i in range(2000)
    )
    path = tmp_path / "org.yaml"
    path.write_text("contacts:\n" + people, encoding="utf-8")
    with Bounded():
        data = load_organisation(path)
    assert len(data["contacts"]) == 2000


def test_a_file_larger_than_five_megabytes_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    with path.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)
    with Bounded(), pytest.raises(OrganisationFileError, match="at most 5,242,880 are read"):
        load_organisation(path)


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_a_path_that_is_not_a_readable_file(tmp_path: Path, make: str) -> None:
    path = tmp_path / "org.yaml"
    if make == "directory":
        path.mkdir()
    with pytest.raises(OrganisationFileError, match="cannot read the organisation file"):
        load_organisation(path)


# -- personal data in messages --------------------------------------------------------------------


PERSONAL_CASES: list[tuple[str, str, str]] = [
    ("sms-unquoted-number", "{name: p, sms: 12065550100}", "12065****00"),
    ("voice-unquoted-with-plus", "{name: p, voice: +12065550100}", "12065****00"),
    ("sms-as-float", "{name: p, sms: 1.2065550100e+10}", "12065******.0"),
    ("email-as-list", "{name: m, email: [alice@example.com, bob@example.com]}", "a list of 2 items"),
    ("email-as-mapping", "{name: m, email: {alice@example.com: 1}}", "a mapping of 1 key"),
    ("address-as-the-whole-channel", "alice@example.com", "'al***@example.com'"),
    ("address-as-a-key", "{name: m, alice@example.com: x}", "unknown key 'al***@example.com'"),
    ("number-as-a-key", "{name: m, 12065550100: sms}", "the key '12065****00'"),
    ("two-addresses", "{name: m, email: alice@example.com, sms: '+12065550100'}", "exactly one of the keys"),
]


@pytest.mark.parametrize("channel, shown", [c[1:] for c in PERSONAL_CASES], ids=[c[0] for c in PERSONAL_CASES])
def test_an_address_is_never_printed_whole_whatever_its_yaml_type(tmp_path: Path, channel: str, shown: str) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(CHANNEL + channel + "\n", encoding="utf-8")
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    message = str(caught.value)
    assert shown in message
    for address in ADDRESSES:
        assert address not in message, message
    assert all(p.line == 4 for p in caught.value.problems)


# -- runbook files --------------------------------------------------------------------------------

SECRET = "AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI"


def _runbook_org(tmp_path: Path, file: str) -> Path:
    folder = tmp_path / "org"
    folder.mkdir(exist_ok=True)
    path = folder / "org.yaml"
    path.write_text(f"runbooks:\n  restart:\n    file: {json.dumps(file)}\n", encoding="utf-8")
    return path


def _assert_no_content(message: str) -> None:
    assert SECRET not in message
    assert "aws_secret_access_key" not in message


@pytest.mark.parametrize(
    "file",
    ["../credentials", "../../credentials", "sub/../../credentials"],
    ids=["parent", "grandparent", "via-subfolder"],
)
def test_a_runbook_file_outside_the_folder_is_refused_without_reading_it(tmp_path: Path, file: str) -> None:
    (tmp_path / "credentials").write_text(f"[default]\naws_secret_access_key = {SECRET}\n", encoding="utf-8")
    path = _runbook_org(tmp_path, file)
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (3, "runbooks.restart.file")
    assert "is not inside" in problem.message
    _assert_no_content(str(caught.value))


def test_an_absolute_runbook_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    path = _runbook_org(tmp_path, "/etc/passwd")
    with pytest.raises(OrganisationFileError, match="is not inside"):
        load_organisation(path)


def test_a_symbolic_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "credentials").write_text(f"aws_secret_access_key: {SECRET}\n", encoding="utf-8")
    path = _runbook_org(tmp_path, "runbook.yaml")
    (path.parent / "runbook.yaml").symlink_to(tmp_path / "credentials")
    with pytest.raises(OrganisationFileError, match="is not inside") as caught:
        load_organisation(path)
    _assert_no_content(str(caught.value))


def test_a_named_runbook_folder_admits_files_outside_the_organisation_files_folder(tmp_path: Path) -> None:
    shared = tmp_path / "shared-runbooks"
    shared.mkdir()
    (shared / "restart.yaml").write_text(
        "schemaVersion: '0.3'\nmainSteps: [{name: s, action: aws:pause, inputs: {}}]\n"
    )
    path = _runbook_org(tmp_path, "../shared-runbooks/restart.yaml")
    with pytest.raises(OrganisationFileError, match="is not inside"):
        load_organisation(path)
    data = load_organisation(path, runbook_directory=tmp_path)
    assert data["runbooks"]["restart"]["file"] == "../shared-runbooks/restart.yaml"


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("creds.yaml", f"[default]\naws_secret_access_key = {SECRET}\n  x: : y\n", "not valid YAML"),
        ("creds.yaml", f"key: {SECRET}\n\tother: 1\n", "not valid YAML"),
        ("creds.json", f'{{"aws_secret_access_key": "{SECRET}",}}', "is not valid JSON"),
        ("creds.yaml", f'password: "{SECRET}\xff"\n'.encode("latin-1"), "not UTF-8 text"),
        ("laughs.yaml", _laughs(), "once its aliases"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nests values too deeply"),
        ("tagged.yaml", f"secret: !Secret {SECRET}\n", "tag !Secret is not allowed"),
    ],
    ids=["yaml-error", "yaml-tab", "json-error", "not-utf-8", "billion-laughs", "deep-json", "custom-tag"],
)
def test_a_runbook_file_that_does_not_parse_is_refused_without_echoing_it(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = _runbook_org(tmp_path, name)
    target = path.parent / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    with Bounded(), pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (3, "runbooks.restart.file")
    assert expected in problem.message
    _assert_no_content(str(caught.value))


def test_a_missing_runbook_file_is_named_not_read(tmp_path: Path) -> None:
    path = _runbook_org(tmp_path, "missing.yaml")
    with pytest.raises(OrganisationFileError, match="cannot read runbook file 'missing.yaml': it does not exist"):
        load_organisation(path)


# -- building: problems of a section together ----------------------------------------------------------


def test_construct_problems_of_a_section_are_reported_together(tmp_path: Path) -> None:
    from support.stacks import new_stack

    from incident_constructs.organisation import build_organisation

    path = tmp_path / "org.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            contacts:
              alice:
                channels:
                  - {name: phone, sms: '+1'}
              bob:
                channels:
                  - {name: mail, email: 'not an address'}
              carol:
                channels:
                  - {name: mail, email: carol@example.com}
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(OrganisationFileError) as caught:
        build_organisation(new_stack(), path)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (4, "contacts.alice.channels[0].sms"),
        (7, "contacts.bob.channels[0].email"),
    ]


_ODD_YAML = [
    None,
    True,
    0,
    -1,
    10**12,
    1.5,
    "",
    "x",
    "[/]",
    [],
    [1],
    {},
    {"a": None},
    "+12065550100",
    "a@b.c",
    "09:00",
    1441,
]


@pytest.mark.parametrize("seed", range(25))
def test_random_values_in_the_example_file_end_in_a_clear_error_or_a_build(tmp_path: Path, seed: int) -> None:
    """Replace a few values of the example organisation file, anywhere, with values of any
    type: the build succeeds or raises OrganisationFileError, never a Python or jsii error."""
    import shutil

    import aws_cdk as cdk
    import yaml

    from incident_constructs.organisation import build_organisation

    rng = random.Random(seed)
    data = load_organisation(ROOT / "examples" / "organisation.yaml")
    paths = [p for p in _paths(data) if p]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        target: Any = data
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = copy.deepcopy(rng.choice(_ODD_YAML))
        except (KeyError, IndexError, TypeError):
            continue
    if (ROOT / "examples" / "runbooks").is_dir():
        shutil.copytree(ROOT / "examples" / "runbooks", tmp_path / "runbooks")
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    app = cdk.App(builtin_cloud_formation_validation=False)
    with Bounded():
        try:
            build_organisation(cdk.Stack(app, "Org"), path)
        except OrganisationFileError as error:
            assert all(p.line >= 1 and p.column >= 1 for p in error.problems)
            for problem in error.problems:
                if ".channels" in problem.path:
                    assert "+12065550100" not in str(problem) and "a@b.c" not in str(problem), str(problem)


# -- the command line -------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    """The console script in this process: (exit code, stdout, stderr)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    with redirect_stdout(out), redirect_stderr(err):
        os.environ["COLUMNS"] = "200"
        try:
            main(list(args))
        except SystemExit as exit:
            code = exit.code
        finally:
            os.environ.pop("COLUMNS", None)
    return int(code or 0), out.getvalue(), err.getvalue()


def assert_one_line_error(code: int, err: str, *expected: str) -> None:
    assert code not in (0, 70), err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("incident-constructs: error: ") or lines[0].startswith("error: "), err
    assert "internal error" not in err and "Traceback" not in err
    for text in expected:
        assert text in err, err
    for address in ADDRESSES:
        assert address not in err


def _contact(alias: str, kind: str = "PERSONAL", plan: Any = None) -> dict[str, Any]:
    props: dict[str, Any] = {"Alias": alias, "DisplayName": alias, "Type": kind}
    if plan is not None:
        props["Plan"] = plan
    return {"Type": "AWS::SSMContacts::Contact", "Properties": props}


def _target(logical_id: str, essential: bool = False) -> dict[str, Any]:
    return {"ContactTargetInfo": {"ContactId": {"Fn::GetAtt": [logical_id, "Arn"]}, "IsEssential": essential}}


def small_template() -> dict[str, Any]:
    """Alice with an email channel (retry 5), an escalation plan engaging her, a response plan,
    and a weekly rotation with an on-call schedule: every kind the command line reads."""
    return {
        "Resources": {
            "Alice": _contact("alice"),
            "AliceMail": {
                "Type": "AWS::SSMContacts::ContactChannel",
                "Properties": {
                    "ContactId": {"Fn::GetAtt": ["Alice", "Arn"]},
                    "ChannelName": "alice mail",
                    "ChannelType": "EMAIL",
                    "ChannelAddress": "alice@example.com",
                },
            },
            "AlicePlan": {
                "Type": "AWS::SSMContacts::Plan",
                "Properties": {
                    "ContactId": {"Fn::GetAtt": ["Alice", "Arn"]},
                    "Stages": [
                        {
                            "DurationInMinutes": 0,
                            "Targets": [
                                {
                                    "ChannelTargetInfo": {
                                        "ChannelId": {"Fn::GetAtt": ["AliceMail", "Arn"]},
                                        "RetryIntervalInMinutes": 5,
                                    }
                                }
                            ],
                        }
                    ],
                },
            },
            "Escalation": _contact(
                "escalation", "ESCALATION", [{"DurationInMinutes": 5, "Targets": [_target("Alice", True)]}]
            ),
            "Rotation": {
                "Type": "AWS::SSMContacts::Rotation",
                "Properties": {
                    "Name": "weekly",
                    "ContactIds": [{"Fn::GetAtt": ["Alice", "Arn"]}],
                    "StartTime": "2025-01-06T09:00:00",
                    "TimeZoneId": "Europe/Berlin",
                    "Recurrence": {
                        "NumberOfOnCalls": 1,
                        "RecurrenceMultiplier": 1,
                        "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": "09:00"}],
                    },
                },
            },
            "Schedule": _contact(
                "schedule", "ONCALL_SCHEDULE", [{"RotationIds": [{"Fn::GetAtt": ["Rotation", "Arn"]}]}]
            ),
            "Plan": {
                "Type": "AWS::SSMIncidents::ResponsePlan",
                "Properties": {
                    "Name": "Plan",
                    "IncidentTemplate": {"Title": "t", "Impact": 3},
                    "Engagements": [{"Fn::GetAtt": ["Escalation", "Arn"]}, {"Fn::GetAtt": ["Schedule", "Arn"]}],
                },
            },
        }
    }


_DEFAULT: Any = object()


def write_assembly(directory: Path, templates: dict[str, Any], *, manifest: Any = _DEFAULT) -> Path:
    """A cloud assembly of plain JSON files: ``templates`` by stack name."""
    directory.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for name, template in templates.items():
        (directory / f"{name}.template.json").write_text(json.dumps(template), encoding="utf-8")
        artifacts[name] = {"type": "aws:cloudformation:stack", "properties": {"templateFile": f"{name}.template.json"}}
    (directory / "manifest.json").write_text(
        json.dumps({"version": "36.0.0", "artifacts": artifacts} if manifest is _DEFAULT else manifest),
        encoding="utf-8",
    )
    return directory


def test_the_small_assembly_is_read_by_every_command(tmp_path: Path) -> None:
    """The baseline the hostile variants below start from."""
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": small_template()}))
    code, out, err = run("timeline", "Plan", "--assembly", assembly, "--at", "2026-01-07T10:00", "--json")
    assert code == 0, err
    assert {e["contact"] for e in json.loads(out)["events"]} >= {"alice", "escalation", "schedule"}
    for args in (("oncall", "--at", "2026-01-07T10:00"), ("diagram",), ("diagram", "--format", "dot")):
        code, out, err = run(*args, "--assembly", assembly)
        assert code == 0, err
        assert "alice@example.com" not in out


MANIFEST_CASES: list[tuple[str, Any, str]] = [
    ("manifest-is-a-list", [1, 2], "not a cloud assembly manifest: it holds a list"),
    ("manifest-is-text", "cdk", "it holds a string"),
    ("manifest-is-a-number", 7, "it holds a number"),
    ("manifest-is-null", None, "it holds a null"),
    ("manifest-is-false", False, "it holds a boolean"),
    ("artifacts-is-a-list", {"artifacts": []}, "artifacts is a list"),
    ("artifact-is-text", {"artifacts": {"S": "x"}}, "artifact 'S' is a string"),
    (
        "stack-without-properties",
        {"artifacts": {"S": {"type": "aws:cloudformation:stack"}}},
        "has no properties object",
    ),
    (
        "template-file-not-text",
        {"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": 5}}}},
        "is not a file name",
    ),
    (
        "template-file-outside",
        {"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "/etc/passwd"}}}},
        "leads out of the cloud assembly",
    ),
    (
        "template-file-dot-dot",
        {"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../x.json"}}}},
        "leads out of the cloud assembly",
    ),
    (
        "template-file-missing",
        {"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "nope.json"}}}},
        "cannot read template",
    ),
    (
        "nested-assembly-missing",
        {"artifacts": {"A": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "nope"}}}},
        "has no manifest.json",
    ),
    (
        "nested-assembly-outside",
        {"artifacts": {"A": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "/tmp"}}}},
        "leads out of the cloud assembly",
    ),
]


@pytest.mark.parametrize("manifest, expected", [c[1:] for c in MANIFEST_CASES], ids=[c[0] for c in MANIFEST_CASES])
def test_a_manifest_of_an_unexpected_shape_is_one_line(tmp_path: Path, manifest: Any, expected: str) -> None:
    assembly = write_assembly(tmp_path / "cdk.out", {}, manifest=manifest)
    with Bounded():
        code, _, err = run("diagram", "--assembly", str(assembly))
    assert_one_line_error(code, err, expected)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "cannot read the manifest"),
        (b"{not json", "cannot read the manifest"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[" * 200_000 + b"]" * 200_000, "nested more than 100 levels deep"),
        (b"[" * 150 + b"]" * 150, "nested more than 100 levels deep"),
    ],
    ids=["empty", "not-json", "utf-16", "json-200000-deep", "json-150-deep"],
)
def test_a_manifest_that_is_not_json_is_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "manifest.json").write_bytes(content)
    with Bounded():
        code, _, err = run("timeline", "Plan", "--assembly", str(tmp_path / "cdk.out"))
    assert_one_line_error(code, err, expected)


def test_a_stage_assembly_that_contains_itself_is_read_once(tmp_path: Path) -> None:
    assembly = write_assembly(tmp_path / "cdk.out", {"Stack": small_template()})
    manifest = json.loads((assembly / "manifest.json").read_text())
    manifest["artifacts"]["Self"] = {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}
    (assembly / "manifest.json").write_text(json.dumps(manifest))
    with Bounded():
        code, out, err = run("diagram", "--assembly", str(assembly))
    assert code == 0, err
    assert "alice" in out


def test_a_template_larger_than_twenty_megabytes_is_not_read(tmp_path: Path) -> None:
    assembly = write_assembly(tmp_path / "cdk.out", {"Stack": {}})
    with (assembly / "Stack.template.json").open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    code, _, err = run("diagram", "--assembly", str(assembly))
    assert_one_line_error(code, err, "at most 20,971,520 are read")


def _mutate(template: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(template)
    target: Any = result
    parts = path.split("/")
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return result


TEMPLATE_ERRORS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("template-is-a-list", lambda t: [t], "it holds a list, not an object"),
    ("resources-is-a-list", lambda t: {"Resources": list(t["Resources"].values())}, "Resources is a list"),
    ("resources-is-text", lambda t: {"Resources": "none"}, "Resources is a string"),
    (
        "resource-is-text",
        lambda t: _mutate(t, "Resources/Alice", "contact"),
        "resource 'Alice' is not an object with a Type",
    ),
    (
        "resource-without-type",
        lambda t: _mutate(t, "Resources/Alice", {"Properties": {}}),
        "is not an object with a Type",
    ),
    ("type-is-a-number", lambda t: _mutate(t, "Resources/Alice/Type", 5), "is not an object with a Type"),
    ("properties-is-a-list", lambda t: _mutate(t, "Resources/Alice/Properties", []), "are a list, not an object"),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in TEMPLATE_ERRORS], ids=[c[0] for c in TEMPLATE_ERRORS])
def test_a_template_of_an_unexpected_shape_is_one_line(
    tmp_path: Path, change: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    assembly = write_assembly(tmp_path / "cdk.out", {"Stack": change(small_template())})
    for command in (("timeline", "Plan"), ("oncall",), ("diagram",)):
        code, _, err = run(*command, "--assembly", str(assembly))
        assert_one_line_error(code, err, expected)


#: Values of unexpected types inside resources: read as unknown, never a Python error.
ODD_VALUES: list[tuple[str, str, Any]] = [
    ("alias-is-a-mapping", "Resources/Alice/Properties/Alias", {"Ref": "X"}),
    ("contact-type-is-a-list", "Resources/Escalation/Properties/Type", ["ESCALATION"]),
    ("plan-is-text", "Resources/Escalation/Properties/Plan", "stages"),
    ("stage-is-text", "Resources/Escalation/Properties/Plan/0", "stage"),
    ("targets-is-a-mapping", "Resources/Escalation/Properties/Plan/0/Targets", {"a": 1}),
    ("target-is-text", "Resources/Escalation/Properties/Plan/0/Targets/0", "alice"),
    ("contact-target-is-a-list", "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo", []),
    ("contact-id-is-a-list", "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId", ["a"]),
    ("contact-id-is-null", "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId", None),
    (
        "get-att-is-empty",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Fn::GetAtt": []},
    ),
    (
        "get-att-is-a-number",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Fn::GetAtt": 7},
    ),
    (
        "join-is-malformed",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Fn::Join": ["x"]},
    ),
    (
        "join-of-a-mapping",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Fn::Join": {"a": 1}},
    ),
    (
        "import-of-an-unknown-export",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Fn::ImportValue": "nope"},
    ),
    (
        "ref-to-a-missing-parameter",
        "Resources/Escalation/Properties/Plan/0/Targets/0/ContactTargetInfo/ContactId",
        {"Ref": "Nope"},
    ),
    ("duration-is-text", "Resources/Escalation/Properties/Plan/0/DurationInMinutes", "five"),
    ("duration-is-negative", "Resources/Escalation/Properties/Plan/0/DurationInMinutes", -5),
    ("duration-is-a-billion", "Resources/Escalation/Properties/Plan/0/DurationInMinutes", 10**9),
    ("duration-is-a-float", "Resources/Escalation/Properties/Plan/0/DurationInMinutes", 2.5),
    (
        "retry-is-negative",
        "Resources/AlicePlan/Properties/Stages/0/Targets/0/ChannelTargetInfo/RetryIntervalInMinutes",
        -1,
    ),
    (
        "retry-is-text",
        "Resources/AlicePlan/Properties/Stages/0/Targets/0/ChannelTargetInfo/RetryIntervalInMinutes",
        "1",
    ),
    (
        "retry-every-minute",
        "Resources/AlicePlan/Properties/Stages/0/Targets/0/ChannelTargetInfo/RetryIntervalInMinutes",
        1,
    ),
    ("channel-address-is-a-mapping", "Resources/AliceMail/Properties/ChannelAddress", {"Ref": "Phone"}),
    ("channel-address-is-a-number", "Resources/AliceMail/Properties/ChannelAddress", 12065550100),
    ("channel-owner-is-unknown", "Resources/AliceMail/Properties/ContactId", {"Fn::GetAtt": ["Nobody", "Arn"]}),
    ("engagements-is-text", "Resources/Plan/Properties/Engagements", "alice"),
    ("engagement-is-a-number", "Resources/Plan/Properties/Engagements/0", 5),
    ("incident-template-is-a-list", "Resources/Plan/Properties/IncidentTemplate", []),
    ("impact-is-text", "Resources/Plan/Properties/IncidentTemplate/Impact", "high"),
    ("actions-is-a-mapping", "Resources/Plan/Properties/Actions", {"SsmAutomation": 1}),
    ("name-is-a-number", "Resources/Plan/Properties/Name", 5),
    ("rotation-contacts-is-text", "Resources/Rotation/Properties/ContactIds", "alice"),
    ("rotation-ids-is-a-mapping", "Resources/Schedule/Properties/Plan/0/RotationIds", {"a": 1}),
    ("rich-markup-in-an-alias", "Resources/Alice/Properties/Alias", "[bold red]alice[/]"),
    ("closing-markup-tag-as-alias", "Resources/Alice/Properties/Alias", "[/]"),
    ("control-characters-in-a-name", "Resources/AliceMail/Properties/ChannelName", "mail\x1b[31m\nred\x00"),
    ("huge-alias", "Resources/Alice/Properties/Alias", "a" * 100_000),
]


@pytest.mark.parametrize("path, value", [c[1:] for c in ODD_VALUES], ids=[c[0] for c in ODD_VALUES])
def test_values_of_unexpected_types_never_end_in_an_internal_error(tmp_path: Path, path: str, value: Any) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": _mutate(small_template(), path, value)}))
    name = "5" if path == "Resources/Plan/Properties/Name" else "Plan"
    for args in (
        ("timeline", name, "--at", "2026-01-07T10:00", "--minutes", "60"),
        ("timeline", name, "--at", "2026-01-07T10:00", "--json"),
        ("oncall", "--at", "2026-01-07T10:00"),
        ("diagram",),
        ("diagram", "--format", "dot"),
    ):
        with Bounded():
            code, out, err = run(*args, "--assembly", assembly)
        assert code in (0, 1), (args, err)
        if code:
            assert_one_line_error(code, err)
        assert "alice@example.com" not in out and "12065550100" not in out
        assert "\x1b" not in out and "\x00" not in out


ROTATION_ERRORS: list[tuple[str, str, Any, str]] = [
    ("start-in-year-1", "StartTime", "0001-01-01T00:00:00", "is not in the years 1970 to 2199"),
    ("start-in-year-9999", "StartTime", "9999-12-31T23:59:59", "is not in the years 1970 to 2199"),
    ("start-is-a-mapping", "StartTime", {"Ref": "Start"}, "is not YYYY-MM-DDTHH:MM:SS"),
    ("zone-is-a-path", "TimeZoneId", "../../../../etc/passwd", "is not an IANA time zone name"),
    ("zone-is-a-mapping", "TimeZoneId", {"Ref": "Zone"}, "is not an IANA time zone name"),
    ("zone-is-empty", "TimeZoneId", "", "is not an IANA time zone name"),
    ("recurrence-is-a-list", "Recurrence", [], "Recurrence needs exactly one of"),
    ("weekly-settings-is-a-mapping", "Recurrence/WeeklySettings", {"DayOfWeek": "MON"}, "WeeklySettings is not a list"),
    ("weekly-setting-is-text", "Recurrence/WeeklySettings/0", "MON 09:00", "is not a mapping"),
    ("day-of-week-is-a-number", "Recurrence/WeeklySettings/0/DayOfWeek", 1, "is not one of MON"),
    ("hand-off-is-25-00", "Recurrence/WeeklySettings/0/HandOffTime", "25:00", "is not a time HH:MM"),
    (
        "hand-off-in-arabic-digits",
        "Recurrence/WeeklySettings/0/HandOffTime",
        "\u0660\u0669:\u0660\u0660",
        "is not a time HH:MM",
    ),
    ("hand-off-is-a-number", "Recurrence/WeeklySettings/0/HandOffTime", 900, "is not a time HH:MM"),
    (
        "a-billion-on-call",
        "Recurrence/NumberOfOnCalls",
        10**9,
        "NumberOfOnCalls 1000000000 is not a whole number from 1 to 30",
    ),
    (
        "a-billion-periods",
        "Recurrence/RecurrenceMultiplier",
        10**9,
        "RecurrenceMultiplier 1000000000 is not a whole number",
    ),
    ("on-calls-is-true", "Recurrence/NumberOfOnCalls", True, "NumberOfOnCalls True is not a whole number"),
    ("coverage-is-text", "Recurrence/ShiftCoverages", "always", "ShiftCoverages is not a list"),
]


@pytest.mark.parametrize("path, value, expected", [c[1:] for c in ROTATION_ERRORS], ids=[c[0] for c in ROTATION_ERRORS])
def test_a_rotation_that_cannot_be_computed_is_one_line(tmp_path: Path, path: str, value: Any, expected: str) -> None:
    template = _mutate(small_template(), f"Resources/Rotation/Properties/{path}", value)
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": template}))
    for args in (("oncall", "--at", "2026-01-07T10:00"), ("timeline", "Plan", "--at", "2026-01-07T10:00")):
        with Bounded():
            code, _, err = run(*args, "--assembly", assembly)
        assert_one_line_error(code, err, "rotation weekly: ", expected)


@pytest.mark.parametrize(
    "args, expected",
    [
        (("timeline", "Plan", "--at", "9999-12-31T23:59"), "must fall between 1970-01-01 and 2199-12-31"),
        (("timeline", "Plan", "--at", "0001-01-01T00:00"), "must fall between"),
        (("timeline", "Plan", "--at", "0001-01-01T00:00+14:00"), "must fall between"),
        (("timeline", "Plan", "--at", "9999-12-31T23:59-23:59"), "must fall between"),
        (("timeline", "Plan", "--at", "2199-12-31T23:59", "--minutes", "1440"), "the end of the simulated minutes"),
        (("timeline", "Plan", "--at", "yesterday"), "expected an ISO 8601 time"),
        (("timeline", "Plan", "--at", "2026-02-30T10:00"), "expected an ISO 8601 time"),
        (("timeline", "Plan", "--at", "9" * 100_000), "expected an ISO 8601 time"),
        (("timeline", "Plan", "--ack", "alice@\u00b2"), "expected CONTACT@MINUTE"),
        (("timeline", "Plan", "--ack", "alice@\uff13"), "expected CONTACT@MINUTE"),
        (("timeline", "Plan", "--ack", "alice@" + "9" * 5000), "expected CONTACT@MINUTE"),
        (("timeline", "Plan", "--ack", "@5"), "expected CONTACT@MINUTE"),
        (("timeline", "Plan", "--ack", "alice@-1"), "expected CONTACT@MINUTE"),
        (("timeline", "Plan", "--ack", "nobody@3"), "no contact 'nobody'"),
        (("timeline", "Plan", "--minutes", "100000"), "--minutes"),
        (("timeline", "Plan", "--max-events", "0"), "--max-events"),
        (("timeline", "Nope"), "no response plan named 'Nope'"),
        (("oncall", "--at", "9999-12-31T23:59"), "must fall between"),
        (("oncall", "--at", "2199-12-30T00:00", "--days", "366"), "--at plus --days 366 must fall between"),
        (("oncall", "--days", "-1"), "--days"),
        (("diagram", "--plan", "Nope"), "no response plan named 'Nope'"),
        (("diagram", "--format", "svg"), "--format"),
    ],
    ids=lambda value: str(value)[:40] if isinstance(value, tuple) else None,
)
def test_a_bad_option_is_one_line_and_a_non_zero_exit(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": small_template()}))
    with Bounded():
        code, out, err = run(*args, "--assembly", assembly)
    assert_one_line_error(code, err, expected)
    assert out == ""


@pytest.mark.parametrize(
    "content, expected",
    [
        (_laughs(), "once its aliases"),
        (
            CHANNEL
            + "{name: p, sms: 12065550100}\n"
            + "  bob:\n    channels: [{name: m, email: [alice@example.com]}]\n",
            "12065****00",
        ),
        ("contacts:\n  alice: {display_name: 5}\nrotations: []\n", "rotations: [] is not allowed"),
    ],
    ids=["billion-laughs", "addresses-of-any-type", "two-problems"],
)
def test_an_organisation_file_given_to_the_command_line_is_one_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(content, encoding="utf-8")
    with Bounded():
        code, out, err = run("diagram", "--file", str(path))
    assert_one_line_error(code, err, expected, f"{path}:")


def test_the_last_supported_moment_works(tmp_path: Path) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": small_template()}))
    with Bounded():
        code, out, err = run("oncall", "--at", "2199-12-01T00:00", "--days", "30", "--json", "--assembly", assembly)
    assert code == 0, err
    assert json.loads(out)["rotations"][0]["onCallNow"] == ["alice"]


def nested_plans(levels: int) -> dict[str, Any]:
    """Escalation plans nested ``levels`` deep, each engaging the one below in two stages: the
    people at the bottom are engaged 2**levels times."""
    template = small_template()
    resources = template["Resources"]
    below = "Alice"
    for level in range(1, levels + 1):
        resources[f"Level{level}"] = _contact(
            f"level-{level}", "ESCALATION", [{"DurationInMinutes": 1, "Targets": [_target(below)]}] * 2
        )
        below = f"Level{level}"
    resources["Plan"]["Properties"]["Engagements"] = [{"Fn::GetAtt": [below, "Arn"]}]
    return template


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_the_timeline_of_sixteen_nested_plans_is_bounded_and_says_where_it_stops(tmp_path: Path, as_json: bool) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": nested_plans(16)}))
    args = ["timeline", "Plan", "--assembly", assembly, "--at", "2026-01-07T10:00", "--minutes", "1440"]
    with Bounded(memory_mb=500):
        code, out, err = run(*(args + (["--json"] if as_json else [])))
    assert code == 0, err
    assert "the timeline stops here" in out
    if as_json:
        result = json.loads(out)
        assert len(result["events"]) == 2001
        assert result["truncatedAt"] is not None


def test_a_smaller_nesting_is_shown_whole(tmp_path: Path) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": nested_plans(4)}))
    code, out, err = run(
        "timeline", "Plan", "--assembly", assembly, "--at", "2026-01-07T10:00", "--minutes", "10", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["truncatedAt"] is None
    # 2**4 engagements of alice, each paged at once and every 5 minutes.
    assert sum(1 for e in result["events"] if e["kind"] == "engage" and e["contact"] == "alice") == 16


def test_the_diagram_of_sixteen_nested_plans_is_linear(tmp_path: Path) -> None:
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": nested_plans(16)}))
    with Bounded(seconds=5):
        code, out, err = run("diagram", "--assembly", assembly)
    assert code == 0, err
    assert len(out.splitlines()) < 200


# -- nested stacks and exports ----------------------------------------------------------------------


def nested_stack_assembly(directory: Path, *, metadata: bool) -> Path:
    """A parent stack whose response plan engages an escalation plan of a nested stack, which
    engages a contact of the parent through a parameter; another stack imports the plan's ARN."""
    directory.mkdir(parents=True)
    inner = {
        "Parameters": {"AliceArn": {"Type": "String"}},
        "Resources": {
            "Escalation": _contact(
                "nested-plan",
                "ESCALATION",
                [
                    {
                        "DurationInMinutes": 5,
                        "Targets": [{"ContactTargetInfo": {"ContactId": {"Ref": "AliceArn"}, "IsEssential": False}}],
                    }
                ],
            ),
        },
        "Outputs": {"EscalationArn": {"Value": {"Fn::GetAtt": ["Escalation", "Arn"]}}},
    }
    asset_hash = "ab" * 32
    (directory / "ParentInner.nested.template.json").write_text(json.dumps(inner))
    parent = small_template()
    resources = parent["Resources"]
    for key in ("Escalation", "Rotation", "Schedule"):
        del resources[key]
    stack: dict[str, Any] = {
        "Type": "AWS::CloudFormation::Stack",
        "Properties": {
            "Parameters": {"AliceArn": {"Fn::GetAtt": ["Alice", "Arn"]}},
            "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::URLSuffix"}, f"/bucket/{asset_hash}.json"]]},
        },
    }
    if metadata:
        stack["Metadata"] = {"aws:asset:path": "ParentInner.nested.template.json"}
    else:
        (directory / "Parent.assets.json").write_text(
            json.dumps(
                {"files": {asset_hash: {"source": {"path": "ParentInner.nested.template.json", "packaging": "file"}}}}
            )
        )
    resources["Inner"] = stack
    resources["Plan"]["Properties"]["Engagements"] = [{"Fn::GetAtt": ["Inner", "Outputs.EscalationArn"]}]
    parent["Outputs"] = {
        "PlanExport": {
            "Value": {"Fn::GetAtt": ["Inner", "Outputs.EscalationArn"]},
            "Export": {"Name": "Parent:Escalation"},
        }
    }
    other = {
        "Resources": {
            "Cross": {
                "Type": "AWS::SSMIncidents::ResponsePlan",
                "Properties": {
                    "Name": "Cross",
                    "IncidentTemplate": {"Title": "t", "Impact": 3},
                    "Engagements": [{"Fn::ImportValue": "Parent:Escalation"}],
                },
            }
        }
    }
    return write_assembly(directory, {"Parent": parent, "Other": other})


@pytest.mark.parametrize("metadata", [True, False], ids=["asset-path-metadata", "asset-manifest"])
@pytest.mark.parametrize("plan", ["Plan", "Cross"])
def test_an_escalation_plan_in_a_nested_stack_is_read_like_a_stage_assembly(
    tmp_path: Path, metadata: bool, plan: str
) -> None:
    assembly = str(nested_stack_assembly(tmp_path / "cdk.out", metadata=metadata))
    code, out, err = run("timeline", plan, "--assembly", assembly, "--at", "2026-01-07T10:00", "--json")
    assert code == 0, err
    events = json.loads(out)["events"]
    assert ("engage", "nested-plan", "engaged (escalation)") in [(e["kind"], e["contact"], e["detail"]) for e in events]
    assert any(e["kind"] == "page" and e["contact"] == "alice" for e in events)
    assert not any("unknown" in e["detail"] for e in events)


def test_a_nested_stack_that_nests_itself_is_one_line(tmp_path: Path) -> None:
    assembly = nested_stack_assembly(tmp_path / "cdk.out", metadata=True)
    inner = json.loads((assembly / "ParentInner.nested.template.json").read_text())
    inner["Resources"]["Again"] = {
        "Type": "AWS::CloudFormation::Stack",
        "Metadata": {"aws:asset:path": "ParentInner.nested.template.json"},
    }
    (assembly / "ParentInner.nested.template.json").write_text(json.dumps(inner))
    code, _, err = run("diagram", "--assembly", str(assembly))
    assert_one_line_error(code, err, "is read twice")


def test_parameters_and_outputs_that_refer_to_each_other_are_followed_a_bounded_number_of_times(tmp_path: Path) -> None:
    assembly = nested_stack_assembly(tmp_path / "cdk.out", metadata=True)
    inner = json.loads((assembly / "ParentInner.nested.template.json").read_text())
    inner["Outputs"]["EscalationArn"]["Value"] = {"Ref": "AliceArn"}
    (assembly / "ParentInner.nested.template.json").write_text(json.dumps(inner))
    parent = json.loads((assembly / "Parent.template.json").read_text())
    parent["Resources"]["Inner"]["Properties"]["Parameters"]["AliceArn"] = {
        "Fn::GetAtt": ["Inner", "Outputs.EscalationArn"]
    }
    (assembly / "Parent.template.json").write_text(json.dumps(parent))
    with Bounded():
        code, out, err = run("diagram", "--assembly", str(assembly))
    assert code == 0, err


def test_a_cdk_nested_stack_is_read(tmp_path: Path) -> None:
    """The same, synthesized by the CDK: an escalation plan in a cdk.NestedStack."""
    import aws_cdk as cdk

    from incident_constructs import Contact, EscalationPlan, EscalationStage, Impact, ResponsePlan

    app = cdk.App(outdir=str(tmp_path / "cdk.out"), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Parent", env=cdk.Environment(account="111122223333", region="eu-west-1"))
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("alice mail", "alice@example.com")
    nested = cdk.NestedStack(stack, "Inner")
    plan = EscalationPlan(
        nested,
        "Plan",
        alias="nested-plan",
        stages=[EscalationStage(contacts=[alice], duration=cdk.Duration.minutes(5))],
    )
    ResponsePlan(stack, "Top", response_plan_name="Top", title="t", impact=Impact.LOW, engagements=[plan])
    app.synth()
    code, out, err = run(
        "timeline", "Top", "--assembly", str(tmp_path / "cdk.out"), "--at", "2026-01-07T10:00", "--json"
    )
    assert code == 0, err
    events = json.loads(out)["events"]
    assert [e["contact"] for e in events if e["kind"] == "engage"] == ["nested-plan", "alice"]


# -- fuzzing the template shapes --------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


_ODD = [
    None,
    True,
    0,
    -1,
    10**12,
    1.5,
    "",
    "x",
    "[/]",
    [],
    [1],
    {},
    {"Ref": "Nope"},
    {"Fn::GetAtt": "A.B"},
    {"a": [None]},
]


@pytest.mark.parametrize("seed", range(40))
def test_random_shapes_never_end_in_an_internal_error(tmp_path: Path, seed: int) -> None:
    """Replace a few values of the small template, anywhere, with values of any type."""
    rng = random.Random(seed)
    template = small_template()
    paths = [p for p in _paths(template) if p]
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(paths)
        target: Any = template
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = copy.deepcopy(rng.choice(_ODD))
        except (KeyError, IndexError, TypeError):
            continue
    assembly = str(write_assembly(tmp_path / "cdk.out", {"Stack": template}))
    for args in (
        ("timeline", "Plan", "--at", "2026-01-07T10:00", "--json"),
        ("oncall", "--at", "2026-01-07T10:00"),
        ("diagram",),
    ):
        code, _, err = run(*args, "--assembly", assembly)
        assert code in (0, 1), (seed, args, err)
        assert "internal error" not in err and "Traceback" not in err
        if code:
            assert len(err.strip().splitlines()) == 1, err


# -- check-replacements -----------------------------------------------------------------------------


def _write(path: Path, value: Any) -> str:
    path.write_text(
        json.dumps(value) if not isinstance(value, (bytes, str)) else value if isinstance(value, str) else "",
        encoding="utf-8",
    )
    if isinstance(value, bytes):
        path.write_bytes(value)
    return str(path)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ([1], small_template(), "is not a JSON object"),
        (small_template(), {"Resources": []}, "has no Resources section"),
        (small_template(), {"Resources": {"A": "x"}}, "resource 'A' has no Type"),
        (
            small_template(),
            {"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": [1]}}},
            "Properties that are not an object",
        ),
        (small_template(), b"\xff\xfe{}", "is not UTF-8 text"),
        (small_template(), "[" * 100_000 + "]" * 100_000, "nests values more than 100 levels deep"),
        (
            small_template(),
            {"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"x": json.loads("[" * 200 + "]" * 200)}}}},
            "nests values more than 100 levels deep",
        ),
        (small_template(), "", "is not JSON"),
    ],
    ids=[
        "old-is-a-list",
        "resources-is-a-list",
        "resource-is-text",
        "properties-is-a-list",
        "not-utf-8",
        "deep-json",
        "deep-value",
        "empty",
    ],
)
def test_check_replacements_refuses_what_is_not_a_template_in_one_line(
    tmp_path: Path, old: Any, new: Any, expected: str
) -> None:
    with Bounded():
        code, out, err = run(
            "check-replacements", _write(tmp_path / "old.json", old), _write(tmp_path / "new.json", new)
        )
    assert code == 2
    assert_one_line_error(code, err, expected)


def test_check_replacements_on_a_missing_file_or_a_directory(tmp_path: Path) -> None:
    code, _, err = run("check-replacements", str(tmp_path / "nope.json"), str(tmp_path))
    assert_one_line_error(code, err, "cannot read the old template")


def test_odd_deletion_policies_do_not_end_in_an_internal_error(tmp_path: Path) -> None:
    old = small_template()
    old["Resources"]["Alice"]["DeletionPolicy"] = ["Retain"]
    old["Resources"]["AliceMail"]["UpdateReplacePolicy"] = {"x": 1}
    new = copy.deepcopy(old)
    del new["Resources"]["Alice"]
    new["Resources"]["AliceMail"]["Properties"]["ChannelType"] = "SMS"
    code, out, err = run("check-replacements", _write(tmp_path / "o.json", old), _write(tmp_path / "n.json", new))
    assert code == 1, err
    assert "BLOCKING" in out


def _people(contact_id: str = "Alice", channel_id: str = "AliceMail", retain: bool = True) -> dict[str, Any]:
    policy = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if retain else {}
    return {
        "Resources": {
            contact_id: {**_contact("alice"), **policy},
            channel_id: {
                "Type": "AWS::SSMContacts::ContactChannel",
                "Properties": {
                    "ContactId": {"Fn::GetAtt": [contact_id, "Arn"]},
                    "ChannelName": "alice mail",
                    "ChannelType": "EMAIL",
                    "ChannelAddress": "alice@example.com",
                },
                **policy,
            },
        }
    }


def _replication_set(logical_id: str = "ReplicationSet", *regions: tuple[str, Any]) -> dict[str, Any]:
    return {
        "Resources": {
            logical_id: {
                "Type": "AWS::SSMIncidents::ReplicationSet",
                "Properties": {
                    "Regions": [
                        {"RegionName": name, **({"RegionConfiguration": {"SseKmsKeyId": key}} if key else {})}
                        for name, key in regions
                    ],
                    "DeletionProtected": True,
                },
                "DeletionPolicy": "Retain",
            }
        }
    }


EU, US = ("eu-west-1", None), ("us-east-1", None)


@pytest.mark.parametrize(
    "old, new, blocking, expected",
    [
        (_people(), _people(contact_id="AliceSmith"), True, "same alias 'alice'"),
        (_people(), _people(channel_id="AliceEmail"), True, "its owner must activate it again"),
        (_people(retain=False), _people(contact_id="AliceSmith", retain=False), True, "the create fails"),
        (
            _replication_set("ReplicationSet", EU, US),
            _replication_set("ReplicationSet", EU, ("ap-south-1", None)),
            True,
            "adds ap-south-1 and removes us-east-1",
        ),
        (
            _replication_set("ReplicationSet", EU),
            _replication_set("ReplicationSet", EU, US, ("ap-south-1", None)),
            True,
            "adds ap-south-1, us-east-1",
        ),
        (
            _replication_set("ReplicationSet", EU),
            _replication_set("ReplicationSet", ("eu-west-1", {"Ref": "Key"})),
            True,
            "the key of eu-west-1 changed",
        ),
        (
            _replication_set("ReplicationSet", ("eu-west-1", "arn:aws:kms:eu-west-1:1:key/a")),
            _replication_set("ReplicationSet", ("eu-west-1", "arn:aws:kms:eu-west-1:1:key/b")),
            True,
            "the key of eu-west-1 changed",
        ),
        (
            _replication_set("ReplicationSet", EU),
            _replication_set("IncidentData", EU),
            True,
            "an account holds one replication set",
        ),
        (
            _replication_set("ReplicationSet", EU, US),
            _replication_set("ReplicationSet", EU),
            False,
            "removes the region us-east-1",
        ),
        (
            _replication_set("ReplicationSet", EU),
            _replication_set("ReplicationSet", EU, US),
            False,
            "No resource would be replaced",
        ),
    ],
    ids=[
        "contact-construct-id",
        "channel-construct-id",
        "contact-construct-id-not-retained",
        "region-swapped",
        "two-regions-added",
        "key-of-a-region-changed",
        "key-arn-changed",
        "replication-set-construct-id",
        "one-region-removed-warns",
        "one-region-added",
    ],
)
def test_check_replacements_blocks_changes_the_service_refuses(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], blocking: bool, expected: str
) -> None:
    code, out, err = run("check-replacements", _write(tmp_path / "o.json", old), _write(tmp_path / "n.json", new))
    assert code == (1 if blocking else 0), out + err
    assert expected in out
    assert check_replacements(old, new).blocking is blocking
    assert "alice@example.com" not in out


def test_a_changed_channel_construct_id_names_the_person_who_must_activate_it_again() -> None:
    report = check_replacements(_people(), _people(channel_id="AliceEmail"))
    assert report.people == ["alice"]
    assert [(r.channel_type, r.channel_name) for r in report.reactivations] == [("EMAIL", "alice mail")]


# -- the read-only commands need neither the CDK nor Node ------------------------------------------------


_PROBE = """
import sys
from incident_constructs.tools.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code or 0
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("aws_cdk", "jsii", "constructs"))
print("LOADED:" + ",".join(loaded), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "args",
    [
        ("timeline", "Plan", "--at", "2026-01-07T10:00"),
        ("timeline", "Cross", "--json"),
        ("oncall", "--at", "2026-01-07T10:00"),
        ("diagram",),
        ("diagram", "--format", "dot"),
        ("check-replacements", "OLD", "NEW"),
        ("schema",),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_read_only_commands_import_no_cdk_and_run_without_node(tmp_path: Path, args: tuple[str, ...]) -> None:
    assembly = nested_stack_assembly(tmp_path / "cdk.out", metadata=False)
    if args[0] == "oncall":
        assembly = write_assembly(tmp_path / "small.out", {"Stack": small_template()})
    argv = [
        a.replace("OLD", str(assembly / "Parent.template.json")).replace("NEW", str(assembly / "Parent.template.json"))
        for a in args
    ]
    if args[0] not in ("check-replacements", "schema"):
        argv += ["--assembly", str(assembly)]
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {"PATH": str(empty_bin), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED:\n" in result.stderr, result.stderr
    assert result.stdout.strip()
