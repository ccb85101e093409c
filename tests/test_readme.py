"""The README's usage example runs as written."""

import re
from pathlib import Path

from support.lint import REPO_ROOT, cfn_lint_templates


def _block_after(heading: str) -> str:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split(heading, 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_usage_example_synthesizes_and_lints(tmp_path, monkeypatch):
    code = _block_after("## Using the constructs")
    assert "cdk.App()" in code
    code = code.replace("cdk.App()", f"cdk.App(outdir={str(tmp_path)!r}, builtin_cloud_formation_validation=False)")
    monkeypatch.chdir(REPO_ROOT)
    exec(compile(code, "README.md", "exec"), {})
    templates = list(Path(tmp_path).glob("*.template.json"))
    assert [t.name for t in templates] == ["IncidentStack.template.json"]
    assert cfn_lint_templates(templates) == []
