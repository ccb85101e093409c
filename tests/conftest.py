import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

# jsii starts `node` from PATH: prefer the Node 22 that `npm ci` brings.
_node_bin = ROOT / "node_modules" / ".bin"
if _node_bin.is_dir() and str(_node_bin) not in os.environ.get("PATH", "").split(os.pathsep)[:1]:
    os.environ["PATH"] = f"{_node_bin}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


@pytest.fixture(scope="session")
def cdk_nag_v2() -> Path:
    """The folder holding cdk-nag 2.x (see ``support/nag.py``)."""
    from support.nag import cdk_nag_v2_path

    return cdk_nag_v2_path()


# Property tests search afresh on every developer run; in CI (CI=true) they replay the same
# examples, so that a submission's result never depends on a random draw.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")
