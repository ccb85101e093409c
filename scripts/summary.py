#!/usr/bin/env python3
"""Print a short summary of a synthesized CDK cloud assembly.

Reads ``cdk.out/manifest.json`` (and nested stage assemblies), then each
stack's ``*.template.json``, and prints per stack how many resources of each
CloudFormation type it holds.

Only resource *types*, counts and (with ``--ids``) logical ids are printed:
never property values, so contact channel addresses (e-mail addresses, phone
numbers) that the templates hold are not shown.

Usage::

    python scripts/summary.py [CDK_OUT_DIR] [--ids] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"


@dataclass
class StackSummary:
    """What one synthesized stack contains."""

    name: str
    template: str
    resource_types: Counter[str] = field(default_factory=Counter)
    logical_ids: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.resource_types.values())

    def to_json(self, with_ids: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "stack": self.name,
            "template": self.template,
            "total": self.total,
            "resources": dict(sorted(self.resource_types.items())),
        }
        if with_ids:
            data["logicalIds"] = {t: ids for t, ids in sorted(self.logical_ids.items())}
        return data


def _load_json(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise SystemExit(f"summary: {path} not found; run `make synth` first") from None
    except json.JSONDecodeError as exc:
        raise SystemExit(f"summary: {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise SystemExit(f"summary: {path} does not hold a JSON object")
    return data


def iter_stack_templates(assembly_dir: Path, prefix: str = "") -> Iterator[tuple[str, Path]]:
    """Yield (display name, template path) for every stack in the assembly,
    descending into nested assemblies (CDK stages)."""
    manifest = _load_json(assembly_dir / "manifest.json")
    artifacts = manifest.get("artifacts") or {}
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            continue
        kind = artifact.get("type")
        props = artifact.get("properties") or {}
        if kind == STACK_ARTIFACT:
            template_file = props.get("templateFile")
            if not template_file:
                continue
            name = artifact.get("displayName") or f"{prefix}{artifact_id}"
            yield str(name), assembly_dir / str(template_file)
        elif kind == NESTED_ASSEMBLY_ARTIFACT:
            directory = props.get("directoryName")
            if not directory:
                continue
            stage = props.get("displayName") or artifact_id
            yield from iter_stack_templates(assembly_dir / str(directory), f"{prefix}{stage}/")


def summarize_template(name: str, template_path: Path, root: Path) -> StackSummary:
    template = _load_json(template_path)
    try:
        shown_path = str(template_path.relative_to(root))
    except ValueError:
        shown_path = str(template_path)
    summary = StackSummary(name=name, template=shown_path)
    resources = template.get("Resources") or {}
    for logical_id, resource in resources.items():
        rtype = resource.get("Type", "?") if isinstance(resource, dict) else "?"
        rtype = str(rtype)
        summary.resource_types[rtype] += 1
        summary.logical_ids.setdefault(rtype, []).append(str(logical_id))
    return summary


def summarize(cdk_out: Path) -> list[StackSummary]:
    return [summarize_template(name, path, cdk_out) for name, path in iter_stack_templates(cdk_out)]


def render_text(summaries: list[StackSummary], with_ids: bool) -> str:
    lines: list[str] = []
    total = sum(s.total for s in summaries)
    plural = "" if len(summaries) == 1 else "s"
    lines.append(f"Synthesized {len(summaries)} stack{plural}, {total} resources in all")
    for summary in summaries:
        lines.append("")
        lines.append(f"{summary.name}  ({summary.template}, {summary.total} resources)")
        if not summary.resource_types:
            lines.append("  (no resources)")
            continue
        width = max(len("Type"), *(len(t) for t in summary.resource_types))
        lines.append(f"  {'Type':<{width}}  Count")
        lines.append(f"  {'-' * width}  -----")
        for rtype, count in sorted(summary.resource_types.items()):
            lines.append(f"  {rtype:<{width}}  {count:>5}")
            if with_ids:
                for logical_id in summary.logical_ids.get(rtype, []):
                    lines.append(f"      {logical_id}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Summarize the stacks of a synthesized CDK cloud assembly (resource types and counts only)."
    )
    parser.add_argument(
        "cdk_out",
        nargs="?",
        default="cdk.out",
        type=Path,
        help="cloud assembly directory (default: cdk.out)",
    )
    parser.add_argument("--ids", action="store_true", help="also list logical ids per type")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    summaries = summarize(args.cdk_out)
    if args.json:
        print(json.dumps([s.to_json(args.ids) for s in summaries], indent=2))
    else:
        print(render_text(summaries, args.ids))
    if not summaries:
        print(f"summary: no stacks found in {args.cdk_out}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
