#!/usr/bin/env python3
"""The multi-account example app: one incident-management account, several workload accounts.

    cdk synth --app "python3 examples/multi_account_app.py"
    cdk synth --app "python3 examples/multi_account_app.py" -c incidentAccount=111111111111 \\
        -c workloadAccounts=payments=222222222222,search=333333333333 -c region=eu-west-1

Deploy the incident-management stage first (its plans must exist and be shared before the
workload accounts' alarms and rules name them), then the workload stages; see the README,
"Many accounts".
"""

import sys
from pathlib import Path

# Run from anywhere: the repository root holds the stacks package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aws_cdk as cdk

from stacks.multi_account import (
    apply_multi_account_nag_suppressions,
    build_multi_account_app,
    setup_from_context,
)
from stacks.nag import add_nag_packs

app = cdk.App()
stages = build_multi_account_app(app, setup_from_context(app))
# cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs run on every synthesis, as for app.py; the
# findings the example accepts are acknowledged with their reasons in stacks/multi_account.py.
apply_multi_account_nag_suppressions(stages)
add_nag_packs(app)
app.synth()
