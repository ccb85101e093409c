"""The floor: the same templates written as plain JSON by Python, without aws-cdk-lib."""

from __future__ import annotations

import json
import pathlib
from typing import Any

from . import org

RETAIN = {"UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}
PARTITION, ACCOUNT, REGION = {"Ref": "AWS::Partition"}, {"Ref": "AWS::AccountId"}, {"Ref": "AWS::Region"}
BOOTSTRAP = {
    "Parameters": {
        "BootstrapVersion": {
            "Type": "AWS::SSM::Parameter::Value<String>",
            "Default": "/cdk-bootstrap/hnb659fds/version",
            "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved "
            "from SSM Parameter Store. [cdk:skip]",
        }
    },
    "Rules": {
        "CheckBootstrapVersion": {
            "Assertions": [
                {
                    "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]},
                    "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a "
                    "recent version of the CDK CLI.",
                }
            ]
        }
    },
}


def arn(logical_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def join(*parts: Any) -> dict[str, Any]:
    return {"Fn::Join": ["", list(parts)]}


def build(n: int) -> dict[str, dict[str, Any]]:
    """Stack name -> template."""
    templates: dict[str, dict[str, Any]] = {}

    def resources(name: str) -> dict[str, Any]:
        if name not in templates:
            templates[name] = {"Resources": {}, **BOOTSTRAP}
        result: dict[str, Any] = templates[name]["Resources"]
        return result

    resources(org.replication_set_stack_name(n))["ReplicationSet"] = {
        "Type": "AWS::SSMIncidents::ReplicationSet",
        "Properties": {
            "DeletionProtected": True,
            "Regions": [{"RegionConfiguration": {"SseKmsKeyId": "DefaultKey"}, "RegionName": org.REGION}],
        },
        **RETAIN,
    }
    for stack_name, teams in org.placement(n).items():
        for team in teams:
            build_team(resources(stack_name), team)
    return templates


def build_team(out: dict[str, Any], team: org.Team) -> None:
    prefix = team.construct_id
    contacts = []
    for role, person in (("Primary", team.primary), ("Secondary", team.secondary)):
        contact = f"{prefix}{role}"
        contacts.append(contact)
        out[contact] = {
            "Type": "AWS::SSMContacts::Contact",
            "Properties": {"Alias": person.alias, "DisplayName": person.display_name, "Type": "PERSONAL"},
            **RETAIN,
        }
        channels = []
        for kind, address in (("EMAIL", person.email), ("SMS", person.phone)):
            channel = f"{prefix}{role}{kind}"
            channels.append(channel)
            out[channel] = {
                "Type": "AWS::SSMContacts::ContactChannel",
                "Properties": {
                    "ChannelAddress": address,
                    "ChannelName": f"{person.alias} {kind.lower()}",
                    "ChannelType": kind,
                    "ContactId": arn(contact),
                },
                **RETAIN,
            }
        out[f"{prefix}{role}Plan"] = {
            "Type": "AWS::SSMContacts::Plan",
            "Properties": {
                "ContactId": arn(contact),
                "Stages": [
                    {
                        "DurationInMinutes": minutes,
                        "Targets": [{"ChannelTargetInfo": {"ChannelId": arn(channel), "RetryIntervalInMinutes": 5}}],
                    }
                    for minutes, channel in ((10, channels[0]), (0, channels[1]))
                ],
            },
            **RETAIN,
        }
    escalation = f"{prefix}Escalation"
    out[escalation] = {
        "Type": "AWS::SSMContacts::Contact",
        "Properties": {
            "Alias": team.escalation_alias,
            "DisplayName": team.escalation_alias,
            "Plan": [
                {"DurationInMinutes": 5, "Targets": [{"ContactTargetInfo": {"ContactId": arn(c), "IsEssential": True}}]}
                for c in contacts
            ],
            "Type": "ESCALATION",
        },
        **RETAIN,
    }
    document = f"{prefix}Runbook"
    out[document] = {
        "Type": "AWS::SSM::Document",
        "Properties": {
            "Content": {
                "schemaVersion": "0.3",
                "assumeRole": "{{ AutomationAssumeRole }}",
                "parameters": org.INCIDENT_PARAMETERS,
                "mainSteps": [
                    {"name": step["name"], "action": "aws:pause", "description": step["description"], "inputs": {}}
                    for step in org.RUNBOOK_STEPS
                ],
            },
            "DocumentType": "Automation",
            "Name": team.document_name,
            "UpdateMethod": "NewVersion",
        },
        **RETAIN,
    }
    plan_name = team.response_plan_name
    role = f"{prefix}RunbookRole"
    out[role] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": ACCOUNT},
                            "ArnLike": {
                                "aws:SourceArn": join(
                                    "arn:", PARTITION, ":ssm-incidents:*:", ACCOUNT, f":incident-record/{plan_name}/*"
                                )
                            },
                        },
                        "Effect": "Allow",
                        "Principal": {"Service": "ssm-incidents.amazonaws.com"},
                    }
                ],
                "Version": "2012-10-17",
            },
            "Description": f"Lets Incident Manager start the runbook of response plan {plan_name}",
            "Policies": [
                {
                    "PolicyDocument": {
                        "Statement": [
                            {
                                "Action": "ssm:StartAutomationExecution",
                                "Effect": "Allow",
                                "Resource": join(
                                    "arn:",
                                    PARTITION,
                                    ":ssm:",
                                    REGION,
                                    ":",
                                    ACCOUNT,
                                    f":automation-definition/{team.document_name}:*",
                                ),
                                "Sid": "StartRunbook",
                            }
                        ],
                        "Version": "2012-10-17",
                    },
                    "PolicyName": "RunRunbook",
                }
            ],
        },
    }
    out[f"{prefix}Response"] = {
        "Type": "AWS::SSMIncidents::ResponsePlan",
        "Properties": {
            "Actions": [
                {
                    "SsmAutomation": {
                        "DocumentName": team.document_name,
                        "DocumentVersion": "$LATEST",
                        "DynamicParameters": [
                            {"Key": "IncidentRecordArn", "Value": {"Variable": "INCIDENT_RECORD_ARN"}},
                            {"Key": "InvolvedResources", "Value": {"Variable": "INVOLVED_RESOURCES"}},
                        ],
                        "RoleArn": arn(role),
                        "TargetAccount": "RESPONSE_PLAN_OWNER_ACCOUNT",
                    }
                }
            ],
            "Engagements": [arn(escalation)],
            "IncidentTemplate": {"Impact": 2, "Title": f"{team.name} incident"},
            "Name": plan_name,
        },
        "DependsOn": [document],
        **RETAIN,
    }


def write(templates: dict[str, dict[str, Any]], outdir: pathlib.Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for name, template in templates.items():
        (outdir / f"{name}.template.json").write_text(json.dumps(template, indent=1), encoding="utf-8")
