"""The library installs with pip and works from another CDK app."""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
import textwrap
import venv
from pathlib import Path

from support.lint import REPO_ROOT, cdk_env

APP = textwrap.dedent(
    """
    import aws_cdk as cdk
    import incident_constructs
    from incident_constructs import Contact, EscalationPlan, EscalationStage, Impact, ResponsePlan

    assert "site-packages" in incident_constructs.__file__, incident_constructs.__file__
    app = cdk.App(outdir="out", builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Consumer")
    alice = Contact(stack, "Alice", alias="alice")
    alice.add_email_channel("alice mail", "alice@example.com")
    esc = EscalationPlan(stack, "Esc", alias="team-esc", stages=[EscalationStage(contacts=[alice])])
    ResponsePlan(stack, "Plan", response_plan_name="TeamPlan", title="team incident", impact=Impact.HIGH, engagements=[esc])
    app.synth()
    """
)


def test_pip_install_then_a_separate_app_synthesizes(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from the test environment (no network needed); the library
    # itself is built from the source tree and installed like any user would.
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    build = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    installed = subprocess.check_output(
        [
            str(python),
            "-c",
            "import incident_constructs, pathlib; p = pathlib.Path(incident_constructs.__file__).parent; print(p); print((p / 'py.typed').exists())",
        ],
        text=True,
        cwd=tmp_path,
    ).split()
    assert str(REPO_ROOT) not in installed[0] and installed[1] == "True"
    app_dir = tmp_path / "consumer"
    app_dir.mkdir()
    (app_dir / "app.py").write_text(APP)
    run = subprocess.run([str(python), "app.py"], cwd=app_dir, capture_output=True, text=True, env=cdk_env())
    assert run.returncode == 0, run.stderr[-3000:]
    template = json.loads((app_dir / "out" / "Consumer.template.json").read_text())
    types = sorted(r["Type"] for r in template["Resources"].values())
    assert types.count("AWS::SSMContacts::Contact") == 2
    assert "AWS::SSMIncidents::ResponsePlan" in types
