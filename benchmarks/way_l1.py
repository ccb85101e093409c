"""The organisation written with raw aws-cdk-lib L1 constructs, the way a careful author would:
props passed to the constructors, typed property classes, one ``apply_removal_policy`` per
retained resource, ARNs read from the resources they name, the pseudo parameters read where
each team's role is written (as the library way makes its durations where they are used).
The template is equivalent to the library's (same resources, properties, policies and
dependencies; only logical ids differ)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_ssmcontacts as ssmcontacts
from aws_cdk import aws_ssmincidents as ssmincidents

from . import org


def build(app: cdk.App, n: int) -> None:
    stacks: dict[str, cdk.Stack] = {}

    def stack(name: str) -> cdk.Stack:
        if name not in stacks:
            stacks[name] = cdk.Stack(app, name)
        return stacks[name]

    replication = ssmincidents.CfnReplicationSet(
        stack(org.replication_set_stack_name(n)),
        "ReplicationSet",
        regions=[
            ssmincidents.CfnReplicationSet.ReplicationRegionProperty(
                region_name=org.REGION,
                region_configuration=ssmincidents.CfnReplicationSet.RegionConfigurationProperty(
                    sse_kms_key_id="DefaultKey"
                ),
            )
        ],
        deletion_protected=True,
    )
    replication.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    for stack_name, teams in org.placement(n).items():
        for team in teams:
            build_team(stack(stack_name), team)


def build_team(stack: cdk.Stack, team: org.Team) -> None:
    retain = cdk.RemovalPolicy.RETAIN
    prefix = team.construct_id
    contact_arns: list[str] = []
    for who, person in (("Primary", team.primary), ("Secondary", team.secondary)):
        contact = ssmcontacts.CfnContact(
            stack, f"{prefix}{who}", alias=person.alias, display_name=person.display_name, type="PERSONAL"
        )
        contact.apply_removal_policy(retain)
        arn = contact.attr_arn
        contact_arns.append(arn)
        channel_arns = []
        for kind, address in (("EMAIL", person.email), ("SMS", person.phone)):
            channel = ssmcontacts.CfnContactChannel(
                stack,
                f"{prefix}{who}{kind}",
                channel_address=address,
                channel_name=f"{person.alias} {kind.lower()}",
                channel_type=kind,
                contact_id=arn,
            )
            channel.apply_removal_policy(retain)
            channel_arns.append(channel.attr_arn)
        plan = ssmcontacts.CfnPlan(
            stack,
            f"{prefix}{who}Plan",
            contact_id=arn,
            stages=[
                ssmcontacts.CfnPlan.StageProperty(
                    duration_in_minutes=minutes,
                    targets=[
                        ssmcontacts.CfnPlan.TargetsProperty(
                            channel_target_info=ssmcontacts.CfnPlan.ChannelTargetInfoProperty(
                                channel_id=channel_arn, retry_interval_in_minutes=5
                            )
                        )
                    ],
                )
                for minutes, channel_arn in ((10, channel_arns[0]), (0, channel_arns[1]))
            ],
        )
        plan.apply_removal_policy(retain)
    escalation = ssmcontacts.CfnContact(
        stack,
        f"{prefix}Escalation",
        alias=team.escalation_alias,
        display_name=team.escalation_alias,
        type="ESCALATION",
        plan=[
            ssmcontacts.CfnContact.StageProperty(
                duration_in_minutes=5,
                targets=[
                    ssmcontacts.CfnContact.TargetsProperty(
                        contact_target_info=ssmcontacts.CfnContact.ContactTargetInfoProperty(
                            contact_id=arn, is_essential=True
                        )
                    )
                ],
            )
            for arn in contact_arns
        ],
    )
    escalation.apply_removal_policy(retain)
    document = ssm.CfnDocument(
        stack,
        f"{prefix}Runbook",
        name=team.document_name,
        document_type="Automation",
        update_method="NewVersion",
        content={
            "schemaVersion": "0.3",
            "assumeRole": "{{ AutomationAssumeRole }}",
            "parameters": org.INCIDENT_PARAMETERS,
            "mainSteps": [
                {"name": step["name"], "action": "aws:pause", "description": step["description"], "inputs": {}}
                for step in org.RUNBOOK_STEPS
            ],
        },
    )
    document.apply_removal_policy(retain)
    plan_name = team.response_plan_name
    partition, account, region = cdk.Aws.PARTITION, cdk.Aws.ACCOUNT_ID, cdk.Aws.REGION
    role = iam.CfnRole(
        stack,
        f"{prefix}RunbookRole",
        assume_role_policy_document={
            "Statement": [
                {
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:{partition}:ssm-incidents:*:{account}:incident-record/{plan_name}/*"
                        },
                    },
                    "Effect": "Allow",
                    "Principal": {"Service": "ssm-incidents.amazonaws.com"},
                }
            ],
            "Version": "2012-10-17",
        },
        description=f"Lets Incident Manager start the runbook of response plan {plan_name}",
        policies=[
            iam.CfnRole.PolicyProperty(
                policy_name="RunRunbook",
                policy_document={
                    "Statement": [
                        {
                            "Action": "ssm:StartAutomationExecution",
                            "Effect": "Allow",
                            "Resource": f"arn:{partition}:ssm:{region}:{account}:automation-definition/"
                            f"{team.document_name}:*",
                            "Sid": "StartRunbook",
                        }
                    ],
                    "Version": "2012-10-17",
                },
            )
        ],
    )
    response = ssmincidents.CfnResponsePlan(
        stack,
        f"{prefix}Response",
        name=plan_name,
        incident_template=ssmincidents.CfnResponsePlan.IncidentTemplateProperty(
            impact=2, title=f"{team.name} incident"
        ),
        engagements=[escalation.attr_arn],
        actions=[
            ssmincidents.CfnResponsePlan.ActionProperty(
                ssm_automation=ssmincidents.CfnResponsePlan.SsmAutomationProperty(
                    document_name=team.document_name,
                    document_version="$LATEST",
                    role_arn=role.attr_arn,
                    target_account="RESPONSE_PLAN_OWNER_ACCOUNT",
                    dynamic_parameters=[
                        ssmincidents.CfnResponsePlan.DynamicSsmParameterProperty(
                            key=key,
                            value=ssmincidents.CfnResponsePlan.DynamicSsmParameterValueProperty(variable=variable),
                        )
                        for key, variable in (
                            ("IncidentRecordArn", "INCIDENT_RECORD_ARN"),
                            ("InvolvedResources", "INVOLVED_RESOURCES"),
                        )
                    ],
                )
            )
        ],
    )
    response.add_resource_dependency(document)
    response.apply_removal_policy(retain)
