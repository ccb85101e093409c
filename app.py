#!/usr/bin/env python3
"""The example CDK app: the blog scenario of Incident Manager, end to end."""

import aws_cdk as cdk

from stacks.incident_stack import IncidentManagerStack
from stacks.nag import add_nag_packs, apply_nag_suppressions

app = cdk.App()
stack = IncidentManagerStack(
    app,
    "IncidentManagerExample",
    description="Incident Manager for the EC2 high CPU scenario (incident-constructs example)",
)
# cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs run on every synthesis; the findings the
# example accepts are acknowledged with their reasons in stacks/nag.py.
apply_nag_suppressions(stack)
add_nag_packs(app)
app.synth()
