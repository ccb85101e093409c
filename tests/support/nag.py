"""cdk-nag 2.x beside the pinned 3.x: the two cannot share one interpreter, so tests that check
the README's cdk-nag 2.x suppressions run it in a child process with this folder first on
``PYTHONPATH``. ``make deps`` installs it; the first test that needs it installs it otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: The cdk-nag 2.x release the tests use (the Makefile installs the same one).
CDK_NAG_V2 = "2.38.2"


def cdk_nag_v2_path() -> Path:
    """cdk-nag 2.x, installed with pip into ``<venv>/cdk-nag-<version>`` the first time."""
    target = Path(sys.prefix) / f"cdk-nag-{CDK_NAG_V2}"
    if not (target / "cdk_nag").is_dir():
        staging = target.with_name(f"{target.name}.{os.getpid()}")
        install = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-input",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(staging),
                f"cdk-nag=={CDK_NAG_V2}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert install.returncode == 0, f"pip could not install cdk-nag {CDK_NAG_V2}: {install.stderr[-2000:]}"
        try:
            staging.rename(target)
        except OSError:  # another process was first
            shutil.rmtree(staging, ignore_errors=True)
    return target
