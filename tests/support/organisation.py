"""Organisation files for the tests of incident_constructs.organisation."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

MINIMAL = """\
contacts:
  incident-responder:
    display_name: Incident Responder
    channels:
      - {name: incident responder email, email: responder@example.com, engage_after_minutes: 0}
      - {name: incident responder mobile, sms: "+12065550100", engage_after_minutes: 10}
escalation_plans:
  app-escalation-plan:
    stages:
      - {contacts: [incident-responder], duration_minutes: 5, acknowledgement_stops_progression: true}
response_plans:
  EC2HighCPU: {title: cpu-incident-1, impact: medium, engagements: [app-escalation-plan]}
"""


def write_file(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    """``text`` (dedented) as ``tmp_path/name``."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def build_error(tmp_path: Path, text: str) -> Any:
    """The OrganisationFileError of building ``text`` in a new stack."""
    from incident_constructs.organisation import OrganisationFileError, build_organisation
    from support.stacks import new_stack

    path = write_file(tmp_path, text)
    with pytest.raises(OrganisationFileError) as error:
        build_organisation(new_stack(), path)
    return error.value


def load_error(tmp_path: Path, text: str) -> Any:
    """The OrganisationFileError of loading ``text`` (no CDK involved)."""
    from incident_constructs.organisation import OrganisationFileError, load_organisation

    path = write_file(tmp_path, text)
    with pytest.raises(OrganisationFileError) as error:
        load_organisation(path)
    return error.value
