"""The replication set: the regions where Incident Manager keeps its data."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import jsii
import typing_extensions as te
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssmincidents as ssmincidents
from aws_cdk import region_info

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms
from constructs import Construct

from .._validation import (
    INCIDENT_MANAGER_REGIONS,
    SSM_INCIDENTS_TAGS,
    Checker,
    add_tag_validation,
    check_incident_manager_region,
    check_scope_and_id,
    claim_unique_name,
    is_token,
    partition_of,
    regions_text,
)

__all__ = ["IReplicationSet", "ReplicationSet", "AWS_OWNED_KEY"]

#: The ``SseKmsKeyId`` that means "encrypt with the AWS owned key".
AWS_OWNED_KEY = "DefaultKey"
#: Regions of a replication set (schema and API).
MAX_REGIONS = 3
#: The schema's pattern of a replication set ARN (no region; the id is made by the service).
REPLICATION_SET_ARN_PATTERN = re.compile(
    r"arn:aws(-(cn|us-gov|iso(-b)?))?:ssm-incidents::[0-9]{12}:replication-set/[^.]+", re.ASCII
)


@functools.lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """The regions aws-cdk-lib knows (its region-info database)."""
    return frozenset(region_info.Fact.regions)  # one round trip, not one per region


@te.runtime_checkable
class IReplicationSet(cdk.IResource, te.Protocol):
    """The account's replication set, owned by this app or already existing."""

    @property
    def replication_set_arn(self) -> str:
        """``arn:<partition>:ssm-incidents::<account>:replication-set/<id>`` (the id is made by the service)."""
        ...


@jsii.implements(IReplicationSet)
class _ImportedReplicationSet(cdk.Resource):
    def __init__(self, scope: Construct, id: str, *, arn: str, account: str | None = None) -> None:
        # Replication set ARNs have no region: only the account is taken from the ARN (as
        # aws-cdk-lib's imports of global resources do); the region stays the stack's.
        super().__init__(scope, id, account=account)
        self._arn = arn

    @property
    def replication_set_arn(self) -> str:
        return self._arn


@jsii.implements(IReplicationSet)
class ReplicationSet(cdk.Resource):
    """The account's replication set (``AWS::SSMIncidents::ReplicationSet``).

    An account has one; deleting it deletes all Incident Manager data (contacts, plans,
    incidents). It is therefore deletion protected and retained by default.

    :param regions: 1 to 3 unique regions, as a list (AWS owned key) or as a mapping of region to a
        customer managed ``kms.IKey`` in that region (``None`` for the AWS owned key). Each owned key
        gets a key policy statement that lets Incident Manager use it (``kms:CreateGrant`` and
        ``kms:DescribeKey``, only through ssm-incidents and ssm-contacts of that region).
    :param deletion_protected: refuse deletion of the last region. Default: True.
    :param tags: tags of the replication set (at most 50; keys without a leading ``aws:``). Tags added
        with ``Tags.of(...)`` reach it too and are checked with the same rules at synth. Default: none.
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        regions: Sequence[str] | Mapping[str, kms.IKey | None],
        deletion_protected: bool = True,
        tags: Mapping[str, str] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("ReplicationSet", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "ReplicationSet")
        check_incident_manager_region(checker, scope, "AWS::SSMIncidents::ReplicationSet")
        keys = self._check_regions(checker, regions)
        names = list(keys)
        checker.boolean("deletion_protected", deletion_protected)
        checker.tags("tags", {} if tags is None else tags, rules=SSM_INCIDENTS_TAGS)
        checker.removal_policy("removal_policy", removal_policy)
        claim_unique_name(
            self, checker, "replication-set", "replication set", "the account's replication set", scope=scope
        )
        region_props = []
        for name, key in keys.items():
            key_id = AWS_OWNED_KEY
            if key is not None:
                key_region = key.env.region
                if not is_token(key_region) and not is_token(name) and key_region != name:
                    checker.fail(
                        f"key of region {name}", key.node.path, f"a key in {name}; this key is in {key_region}."
                    )
                key.add_to_resource_policy(
                    iam.PolicyStatement(
                        sid="IncidentManagerUseOfTheKey",
                        actions=["kms:CreateGrant", "kms:DescribeKey"],
                        principals=[iam.AccountRootPrincipal()],
                        resources=["*"],
                        conditions={
                            "StringEquals": {
                                "kms:ViaService": [
                                    f"ssm-incidents.{name}.amazonaws.com",
                                    f"ssm-contacts.{name}.amazonaws.com",
                                ],
                                "kms:CallerAccount": cdk.Aws.ACCOUNT_ID,
                            }
                        },
                    )
                )
                key_id = key.key_arn
            region_props.append(
                ssmincidents.CfnReplicationSet.ReplicationRegionProperty(
                    region_name=name,
                    region_configuration=ssmincidents.CfnReplicationSet.RegionConfigurationProperty(
                        sse_kms_key_id=key_id
                    ),
                )
            )
        #: The regions, in order.
        self.regions = names
        #: The ``AWS::SSMIncidents::ReplicationSet`` (construct id ``Resource``).
        self.resource = ssmincidents.CfnReplicationSet(
            self,
            "Resource",
            regions=region_props,
            deletion_protected=deletion_protected,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in sorted(tags.items())] if tags else None,
        )
        self.resource.apply_removal_policy(removal_policy)
        add_tag_validation(self, self.resource, "ReplicationSet", SSM_INCIDENTS_TAGS, scope=scope)

    @staticmethod
    def _check_regions(checker: Checker, regions: Any) -> dict[str, kms.IKey | None]:
        """The regions and their keys, checked: 1-3 unique regions of one partition, each with
        Incident Manager, each key an IKey (or None for the AWS owned key)."""
        keys = _region_keys(checker, regions)
        count = len(regions) if isinstance(regions, (list, tuple)) else len(keys)
        checker.count("regions", range(count), minimum=1, maximum=MAX_REGIONS)
        for name in keys:
            _check_region_name(checker, name)
        _check_one_partition(checker, [n for n in keys if not is_token(n)])
        for name, key in keys.items():
            if key is not None and not (hasattr(key, "key_arn") and hasattr(key, "add_to_resource_policy")):
                checker.fail(f"key of region {name}", key, "an aws_kms.IKey or None (AWS owned key).")
        return keys

    @property
    def replication_set_arn(self) -> str:
        """The replication set's ARN."""
        return self.resource.attr_arn

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_replication_set_arn(scope: Construct, id: str, replication_set_arn: str) -> IReplicationSet:
        """Use the account's existing replication set, by ARN. Nothing is created.

        Replication set ARNs have no region and end in an id made by the service:
        ``arn:<partition>:ssm-incidents::<account>:replication-set/<id>``
        (``aws ssm-incidents list-replication-sets`` shows it).
        """
        checker = Checker(check_scope_and_id("ReplicationSet", scope, id), "ReplicationSet")
        checker.string("replication_set_arn", replication_set_arn, max_len=1000)
        account: str | None = None
        if not is_token(replication_set_arn):
            parts = replication_set_arn.split(":")
            if not REPLICATION_SET_ARN_PATTERN.fullmatch(replication_set_arn):
                checker.fail(
                    "replication_set_arn",
                    replication_set_arn,
                    "an ARN like arn:aws:ssm-incidents::<account>:replication-set/<id> (no region).",
                )
            account = parts[4] or None
        return _ImportedReplicationSet(scope, id, arn=replication_set_arn, account=account)

    @staticmethod
    def from_replication_set_attributes(
        scope: Construct, id: str, *, replication_set_arn: str | None = None
    ) -> IReplicationSet:
        """Use the account's existing replication set instead of creating one (an account has one).
        Nothing is created.

        :param replication_set_arn: the replication set's ARN (see :meth:`from_replication_set_arn`).
            Default: the pattern ``arn:<partition>:ssm-incidents::<account>:replication-set/*`` of
            the stack's account, which IAM policies accept but API calls do not.
        """
        if replication_set_arn is not None:
            return ReplicationSet.from_replication_set_arn(scope, id, replication_set_arn)
        check_scope_and_id("ReplicationSet", scope, id)
        pattern = cdk.Stack.of(scope).format_arn(
            service="ssm-incidents",
            region="",
            resource="replication-set",
            resource_name="*",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        return _ImportedReplicationSet(scope, id, arn=pattern)


def _region_keys(checker: Checker, regions: Any) -> dict[Any, Any]:
    """``regions`` as {region: key or None}: a mapping as given, a list with the AWS owned key."""
    if isinstance(regions, Mapping):
        return dict(regions)
    if not isinstance(regions, (list, tuple)):
        checker.fail("regions", regions, "a list of region names, like ['us-east-1'].")
    keys: dict[Any, Any] = {}
    for region in regions:
        if not isinstance(region, str):
            checker.fail("region", region, "a region name (a string), like 'us-east-1'.")
        if region in keys:
            checker.fail("regions", list(regions), "each region at most once.")
        keys[region] = None
    return keys


def _check_region_name(checker: Checker, name: Any) -> None:
    """A region that exists (tokens pass)."""
    if not isinstance(name, str):
        checker.fail("region", name, "a region name (a string), like 'us-east-1'.")
    if is_token(name):
        return
    checker.string("region", name, max_len=20)
    if name not in known_regions():
        checker.fail("region", name, "a region name that exists, like 'us-east-1' or 'eu-west-1'.")


def _check_one_partition(checker: Checker, names: list[str]) -> None:
    """A replication set cannot span partitions, and each region must have Incident Manager."""
    partitions = {partition_of(n) for n in names}
    if len(partitions) > 1:
        shown = ", ".join(f"{n} ({partition_of(n)})" for n in names)
        checker.fail("regions", names, f"regions of one partition (a replication set cannot span partitions: {shown}).")
    for name in names:
        if name not in INCIDENT_MANAGER_REGIONS:
            checker.fail("region", name, f"a region with Incident Manager: {regions_text()}.")
