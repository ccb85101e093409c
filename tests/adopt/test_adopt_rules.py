"""The library's rules that incident_constructs.adopt repeats without the CDK stay equal to the
constructs' own (patterns, defaults, the engagement plan's stages, the default construct id)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import aws_cdk as cdk
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_constructs.adopt import organisation as adopt


def _module(*names: str) -> Any:
    """The first of ``names`` that imports (modules move while the package's layout settles)."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(names[0])


contact = _module("incident_constructs.contacts.contact", "incident_constructs.contacts.contact")
rotation = _module("incident_constructs.contacts.rotation", "incident_constructs.contacts.rotation")
loader = _module("incident_constructs.organisation.loader")


def test_patterns_are_the_constructs_patterns() -> None:
    assert adopt.ALIAS_RE.pattern == f"{contact.ALIAS_PATTERN[:-1]}{{1,255}}"
    assert adopt.DISPLAY_NAME_RE.pattern == f"{contact.DISPLAY_NAME_PATTERN[:-1]}{{1,255}}"
    assert adopt.CHANNEL_NAME_RE.pattern == f"{contact.CHANNEL_NAME_PATTERN[:-1]}{{1,255}}"
    assert adopt.ROTATION_NAME_RE.pattern == f"{rotation.ROTATION_NAME_PATTERN[:-1]}{{1,255}}"
    assert adopt.HAND_OFF_RE.pattern == rotation.HAND_OFF_PATTERN
    assert adopt.CONSTRUCT_ID_RE.pattern == loader.organisation_json_schema()["$defs"]["construct_id"]["pattern"][1:-1]


def test_defaults_and_limits_are_the_constructs() -> None:
    assert contact.DEFAULT_RETRY_INTERVAL.to_minutes() == adopt.DEFAULT_RETRY
    assert adopt.MAX_ENGAGE_AFTER == contact.MAX_ENGAGE_AFTER_MINUTES
    assert adopt.MAX_STAGE_MINUTES == contact.MAX_STAGE_MINUTES
    assert adopt.MAX_ROTATIONS == 8


def test_time_zones_are_the_ones_rotations_accept() -> None:
    zones = rotation._iana_zone_names()
    for name in ("UTC", "Europe/London", "America/Los_Angeles", "Etc/GMT-2", "PST8PDT", "EST", "posix/Europe/Paris"):
        assert adopt._iana_zone(name) == (name in zones), name


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_stages_are_rendered_as_contacts_render_them(channels: list[tuple[int, int]]) -> None:
    given_channels = [(minute, f"arn:channel/{i}", retry) for i, (minute, retry) in enumerate(channels)]
    assert adopt.render_channel_stages(given_channels) == contact.render_channel_stages(given_channels)


@given(st.from_regex(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\- ]{0,20}"), fullmatch=True))
@settings(max_examples=200, deadline=None)
def test_the_default_construct_id_is_the_organisation_files(key: str) -> None:
    assert adopt.pascal(key) == loader.pascal(key)


def test_optional_keys_name_schema_definitions_that_exist() -> None:
    definitions = loader.organisation_json_schema()["$defs"]
    for feature, (definition, key) in adopt.OPTIONAL_KEYS.items():
        assert definition in definitions, feature
        assert adopt.supports(feature) == (key in definitions[definition]["properties"]), feature


def test_the_stack_is_not_needed_for_any_of_it() -> None:
    assert cdk.Duration.minutes(adopt.DEFAULT_RETRY).to_minutes() == 5
