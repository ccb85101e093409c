"""ReplicationSet."""

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from support.stacks import new_app, new_stack, resources_of

from incident_constructs import IReplicationSet, ReplicationSet, ValidationError


def test_one_region_with_the_aws_owned_key_protected_and_retained():
    stack = new_stack()
    ReplicationSet(stack, "Rs", regions=["us-east-1"])
    (res,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    assert res["Properties"] == {
        "DeletionProtected": True,
        "Regions": [{"RegionName": "us-east-1", "RegionConfiguration": {"SseKmsKeyId": "DefaultKey"}}],
    }
    assert res["DeletionPolicy"] == "Retain" and res["UpdateReplacePolicy"] == "Retain"


def test_opt_out_of_protection_and_retention():
    stack = new_stack()
    ReplicationSet(
        stack, "Rs", regions=["eu-west-1"], deletion_protected=False, removal_policy=cdk.RemovalPolicy.DESTROY
    )
    (res,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    assert res["Properties"]["DeletionProtected"] is False and res["DeletionPolicy"] == "Delete"


def test_customer_managed_key_per_region_gets_a_scoped_key_policy():
    app = new_app()
    stack = cdk.Stack(app, "Im", env=cdk.Environment(account="111122223333", region="us-east-1"))
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    ReplicationSet(stack, "Rs", regions={"us-east-1": key})
    (res,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    assert res["Properties"]["Regions"][0]["RegionConfiguration"]["SseKmsKeyId"]["Fn::GetAtt"][0].startswith("Key")
    Template.from_stack(stack).has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                                "Condition": {
                                    "StringEquals": {
                                        "kms:ViaService": [
                                            "ssm-incidents.us-east-1.amazonaws.com",
                                            "ssm-contacts.us-east-1.amazonaws.com",
                                        ],
                                        "kms:CallerAccount": {"Ref": "AWS::AccountId"},
                                    }
                                },
                            }
                        )
                    ]
                )
            }
        },
    )


def test_key_in_another_region_is_refused():
    app = new_app()
    stack = cdk.Stack(app, "Im", env=cdk.Environment(account="111122223333", region="us-east-1"))
    key = kms.Key(stack, "Key")
    with pytest.raises(
        ValidationError, match="key of region eu-west-1 .* a key in eu-west-1; this key is in us-east-1"
    ):
        ReplicationSet(stack, "Rs", regions={"eu-west-1": key})


@pytest.mark.parametrize(
    "regions, fragment",
    [
        ([], "between 1 and 3 items"),
        (["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"], "between 1 and 3 items"),
        (["us-east-1", "us-east-1"], "each region at most once"),
        (["us-east-9"], "region 'us-east-9' is not allowed"),
        (["US-EAST-1"], "region 'US-EAST-1'"),
        ("us-east-1", "a list of region names"),
    ],
)
def test_region_rules(regions, fragment):
    with pytest.raises(ValidationError) as info:
        ReplicationSet(new_stack(), "Rs", regions=regions)
    assert fragment in str(info.value) and "TestStack/Rs (ReplicationSet)" in str(info.value)


def test_only_one_replication_set_per_account_in_an_app():
    stack = new_stack()
    ReplicationSet(stack, "Rs", regions=["us-east-1"])
    with pytest.raises(ValidationError, match="unique within the app and account"):
        ReplicationSet(stack, "Rs2", regions=["us-west-2"])


def test_three_regions():
    stack = new_stack()
    ReplicationSet(stack, "Rs", regions=["us-east-1", "us-west-2", "eu-west-1"])
    (res,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    assert [r["RegionName"] for r in res["Properties"]["Regions"]] == ["us-east-1", "us-west-2", "eu-west-1"]


def test_a_replication_set_is_a_cdk_resource_with_its_l1_as_default_child():
    stack = new_stack(env=cdk.Environment(account="111122223333", region="us-east-1"))
    rs = ReplicationSet(stack, "Rs", regions=["us-east-1"])
    assert isinstance(rs, cdk.Resource) and isinstance(rs, IReplicationSet)
    assert rs.node.default_child is rs.resource and rs.resource.node.id == "Resource"
    assert rs.stack is stack and (rs.env.account, rs.env.region) == ("111122223333", "us-east-1")
    assert stack.resolve(rs.replication_set_arn) == {"Fn::GetAtt": [stack.get_logical_id(rs.resource), "Arn"]}
    rs.apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    (res,) = resources_of(stack, "AWS::SSMIncidents::ReplicationSet").values()
    assert res["DeletionPolicy"] == "Delete"
