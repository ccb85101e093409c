#!/usr/bin/env python3
"""The example CDK app: the blog scenario of Incident Manager, end to end."""

import aws_cdk as cdk

from stacks.incident_stack import IncidentManagerStack

app = cdk.App()
IncidentManagerStack(
    app,
    "IncidentManagerExample",
    description="Incident Manager for the EC2 high CPU scenario (incident-constructs example)",
)
app.synth()
