"""The on-call organisation as one data file.

A YAML file describes contacts and their channels, rotations and on-call schedules,
escalation plans, runbooks, response plans, Slack and Microsoft Teams chat channels, the
CloudWatch alarms and EventBridge rules that start incidents, AWS RAM shares and the
replication set; :func:`build_organisation` builds the constructs directly in a stack (with the same construct
ids, hence the same logical ids, as the same organisation written by hand), and
:class:`OnCallOrganisation` builds them inside a construct of its own.

The room's modules, one job each:

* ``schema.json``: the one schema of the file (JSON Schema Draft 2020-12), whose patterns and
  limits are the constructs' own (``incident_constructs/_rules.py``; a test keeps them equal);
* :mod:`.loader`: reading (bounded YAML, UTF-8, positions), the schema check and the errors,
  ``file:line:column`` each; no CDK import;
* :mod:`.builder`: one function per section, building the constructs;
* :mod:`.construct`: :class:`OnCallOrganisation`;
* :mod:`.synth`: ``python -m incident_constructs.organisation.synth FILE OUTDIR``, which the
  command line's ``--file`` runs in a child process.

Names are loaded from their module on first use (PEP 562): ``loader`` stays free of the CDK
when imported through this package.
"""

from typing import TYPE_CHECKING

from .._exports import lazy_exports

if TYPE_CHECKING:
    from .builder import Organisation, build_organisation
    from .construct import OnCallOrganisation
    from .loader import (
        MAX_DEPTH,
        MAX_FILE_BYTES,
        MAX_NODES,
        OrganisationFileError,
        OrganisationProblem,
        load_organisation,
        organisation_json_schema,
    )

_EXPORTS: dict[str, str] = {
    "MAX_DEPTH": ".loader",
    "MAX_FILE_BYTES": ".loader",
    "MAX_NODES": ".loader",
    "OnCallOrganisation": ".construct",
    "Organisation": ".builder",
    "OrganisationFileError": ".loader",
    "OrganisationProblem": ".loader",
    "build_organisation": ".builder",
    "load_organisation": ".loader",
    "organisation_json_schema": ".loader",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "OnCallOrganisation",
    "Organisation",
    "OrganisationFileError",
    "OrganisationProblem",
    "build_organisation",
    "load_organisation",
    "organisation_json_schema",
]
