"""What was read from an account: :class:`AccountSnapshot`, and its file ``account.json``.

Each live resource is held in CloudFormation's shape (the properties its
``AWS::SSMContacts::*``, ``AWS::SSMIncidents::*`` or ``AWS::SSM::Document`` resource would
have), so that it compares with a synthesized template property by property. A personal
contact's engagement plan is held as the ``AWS::SSMContacts::Plan`` the library writes for it.

``account.json`` never holds an address: channel addresses are masked when written
(``re***@example.com``, ``+1206*****00``). A snapshot loaded from the file knows the masks only.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from ..core.masking import mask_address
from .errors import AdoptError

__all__ = [
    "AccountSnapshot",
    "LiveResource",
    "CONTACT",
    "CHANNEL",
    "PLAN",
    "ROTATION",
    "RESPONSE_PLAN",
    "REPLICATION_SET",
    "DOCUMENT",
    "ADOPTED_TYPES",
]

CONTACT = "AWS::SSMContacts::Contact"
CHANNEL = "AWS::SSMContacts::ContactChannel"
PLAN = "AWS::SSMContacts::Plan"
ROTATION = "AWS::SSMContacts::Rotation"
RESPONSE_PLAN = "AWS::SSMIncidents::ResponsePlan"
REPLICATION_SET = "AWS::SSMIncidents::ReplicationSet"
DOCUMENT = "AWS::SSM::Document"
#: The CloudFormation types that are read, matched and compared.
ADOPTED_TYPES = (CONTACT, CHANNEL, PLAN, ROTATION, RESPONSE_PLAN, REPLICATION_SET, DOCUMENT)

#: The file's format marker and version.
FORMAT = "incident-constructs/account-snapshot"
VERSION = 1
ACCOUNT_FILE = "account.json"
#: account.json is never larger than this when read back.
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclasses.dataclass
class LiveResource:
    """One live resource, in CloudFormation's shape."""

    #: The CloudFormation type.
    type: str
    #: The ARN (a personal contact's plan has its contact's ARN, as CloudFormation's
    #: ``AWS::SSMContacts::Plan`` does; a document has its document ARN).
    arn: str
    #: The natural key: the alias, ``(alias, channel name)`` joined by " / ", the rotation,
    #: response plan or document name, or ``replication-set``.
    name: str
    #: The properties as the CloudFormation resource has them.
    properties: dict[str, Any]
    #: What is read but is no property: ``ActivationStatus`` of a channel, ``Owner`` of a
    #: document (``custom`` or ``aws``), ``DocumentVersion``, ``AddressMasked`` and
    #: ``AddressParameter`` of a channel.
    info: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def identifier(self) -> dict[str, str]:
        """What ``cdk import --resource-mapping`` takes for this resource."""
        if self.type == DOCUMENT:
            return {"Name": str(self.properties.get("Name", self.name))}
        return {"Arn": self.arn}

    def to_json(self, *, mask: bool) -> dict[str, Any]:
        properties = json.loads(json.dumps(self.properties, default=str))
        info = dict(self.info)
        if self.type == CHANNEL and mask and isinstance(properties.get("ChannelAddress"), str):
            if not info.get("AddressMasked"):
                properties["ChannelAddress"] = mask_address(properties["ChannelAddress"])
            info["AddressMasked"] = True
        return {"type": self.type, "arn": self.arn, "name": self.name, "properties": properties, "info": info}

    @staticmethod
    def from_json(data: Any, where: str) -> LiveResource:
        if not isinstance(data, dict):
            raise AdoptError(f"{where}: a resource must be an object")
        for key in ("type", "arn", "name"):
            if not isinstance(data.get(key), str):
                raise AdoptError(f"{where}: {key!r} must be a string")
        if data["type"] not in ADOPTED_TYPES:
            raise AdoptError(f"{where}: type {data['type']!r} is not one of {', '.join(ADOPTED_TYPES)}")
        properties = data.get("properties")
        info = data.get("info", {})
        if not isinstance(properties, dict) or not isinstance(info, dict):
            raise AdoptError(f"{where}: 'properties' and 'info' must be objects")
        return LiveResource(data["type"], data["arn"], data["name"], properties, info)


@dataclasses.dataclass
class AccountSnapshot:
    """The Incident Manager set-up of one account and region, as read by :func:`read_account`.

    :meth:`write` turns it into an organisation file, runbook files and ``account.json``;
    :meth:`load` reads ``account.json`` back (addresses masked).
    """

    region: str
    #: The account id and partition, taken from the ARNs read (None when nothing was read).
    account: str | None
    partition: str
    resources: list[LiveResource] = dataclasses.field(default_factory=list)
    #: The text of each custom runbook read, by document name (the content as stored, YAML or
    #: JSON); written beside the organisation file, and into account.json.
    documents: dict[str, str] = dataclasses.field(default_factory=dict)
    #: When it was read (UTC, ISO 8601).
    read_at: str = dataclasses.field(
        default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    )
    #: Things read that deserve a word (a runbook that could not be read, say).
    notes: list[str] = dataclasses.field(default_factory=list)

    # -- lookups -------------------------------------------------------------------------------
    def of_type(self, resource_type: str) -> list[LiveResource]:
        return [r for r in self.resources if r.type == resource_type]

    def find(self, resource_type: str, name: str) -> LiveResource | None:
        return next((r for r in self.resources if r.type == resource_type and r.name == name), None)

    def by_arn(self, arn: str) -> LiveResource | None:
        """The contact, rotation or response plan with this ARN (not a plan: it shares its contact's)."""
        return next((r for r in self.resources if r.arn == arn and r.type != PLAN), None)

    def __iter__(self) -> Iterator[LiveResource]:
        return iter(self.resources)

    @property
    def addresses_masked(self) -> bool:
        """True for a snapshot loaded from account.json: its addresses are masks."""
        return any(r.info.get("AddressMasked") for r in self.of_type(CHANNEL))

    # -- files ---------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """account.json's content: addresses masked."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "region": self.region,
            "account": self.account,
            "partition": self.partition,
            "readAt": self.read_at,
            "notes": list(self.notes),
            "resources": [r.to_json(mask=True) for r in self.resources],
            "documents": dict(self.documents),
        }

    @staticmethod
    def from_json(data: Any, where: str = ACCOUNT_FILE) -> AccountSnapshot:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise AdoptError(f"{where}: not an account snapshot written by incident-constructs adopt")
        if data.get("version") != VERSION:
            raise AdoptError(f"{where}: snapshot version {data.get('version')!r} is not supported (expected {VERSION})")
        if not isinstance(data.get("region"), str) or not isinstance(data.get("resources"), list):
            raise AdoptError(f"{where}: 'region' must be a string and 'resources' a list")
        documents = data.get("documents", {})
        if not isinstance(documents, dict) or not all(isinstance(v, str) for v in documents.values()):
            raise AdoptError(f"{where}: 'documents' must map document names to their text")
        account = data.get("account")
        return AccountSnapshot(
            region=data["region"],
            account=account if isinstance(account, str) else None,
            partition=str(data.get("partition") or "aws"),
            resources=[LiveResource.from_json(r, f"{where}: resources[{i}]") for i, r in enumerate(data["resources"])],
            documents=dict(documents),
            read_at=str(data.get("readAt", "")),
            notes=[str(n) for n in data.get("notes", []) if isinstance(n, str)],
        )

    @staticmethod
    def load(directory: str | pathlib.Path) -> AccountSnapshot:
        """Read ``account.json`` from ``directory`` (or the file itself, when given)."""
        path = pathlib.Path(directory)
        if path.is_dir():
            path = path / ACCOUNT_FILE
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise AdoptError(f"{path}: {size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise AdoptError(f"cannot read {path}: {error.strerror or type(error).__name__}") from None
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise AdoptError(f"{path}: not a JSON file ({type(error).__name__})") from None
        return AccountSnapshot.from_json(data, str(path))

    def write(
        self,
        directory: str | pathlib.Path,
        *,
        addresses: str | None = None,
        overwrite: bool = False,
    ) -> WriteResult:
        """Write ``organisation.yaml``, the custom runbooks (``runbooks/<name>.yaml`` or ``.json``)
        and ``account.json`` into ``directory`` (created when missing).

        :param addresses: ``"ssm:/PREFIX"`` to write each channel address as an SSM parameter
            reference (``{{resolve:ssm:/PREFIX/<alias>/<channel>}}``) instead of the address;
            :attr:`WriteResult.put_parameter_commands` then lists the ``aws ssm put-parameter``
            commands that create the parameters. Default: addresses are written as they are.
        :param overwrite: replace files that exist. Default: refuse.

        With ``addresses``, each channel's ``info["AddressParameter"]`` is set to its parameter's
        name (here and in account.json), so that :func:`import_mapping` knows the reference stands
        for the address it was made from.
        :returns: what was written, and what the organisation file cannot express.
        :raises AdoptError: a file exists (without ``overwrite``), cannot be written, or ``addresses``
            is not ``ssm:/PREFIX``.
        """
        from .organisation import write_snapshot

        return write_snapshot(self, pathlib.Path(directory), addresses=addresses, overwrite=overwrite)


@dataclasses.dataclass
class WriteResult:
    """What :meth:`AccountSnapshot.write` wrote."""

    #: The files written.
    files: list[pathlib.Path]
    #: What the organisation file cannot express exactly: each line says what is live, what the
    #: file builds instead (or that it leaves it out), and what the file would need.
    not_expressible: list[str]
    #: ``aws ssm put-parameter`` commands that create the address parameters (with
    #: ``addresses="ssm:/PREFIX"``); they hold the addresses, so they are never written to a file.
    put_parameter_commands: list[str]
    #: The organisation file's data, as written.
    organisation: dict[str, Any]
