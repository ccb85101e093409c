"""``python -m benchmarks``: run every measurement in a fresh process and print the tables."""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

WAYS = ("library", "l1", "floor")
LABEL = {"library": "library", "l1": "raw L1", "floor": "JSON floor"}


def measure(way: str, n: int, validation: bool, workdir: pathlib.Path, python_flags: list[str]) -> dict[str, Any]:
    """One child process; wall time and rusage (the child and the node process it reaped) from wait4."""
    outdir = pathlib.Path(tempfile.mkdtemp(prefix=f"{way}-{n}-", dir=workdir))
    command = [sys.executable, *python_flags, "-m", "benchmarks.child", way, str(n), "on" if validation else "off", str(outdir)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=pathlib.Path(__file__).parent.parent)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{err.decode()[-3000:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["wall_s"] = wall
    result["tree_maxrss_kib"] = usage.ru_maxrss
    result["outdir"] = str(outdir)
    return result


def verify(workdir: pathlib.Path, n: int, python_flags: list[str]) -> list[str]:
    """Synthesize n teams three ways and compare the templates."""
    from .equivalence import differences

    templates = {}
    for way in WAYS:
        result = measure(way, n, False, workdir, python_flags)
        templates[way] = {
            p.name.removesuffix(".template.json"): json.loads(p.read_text())
            for p in pathlib.Path(result["outdir"]).glob("*.template.json")
        }
        # The library names its shard stacks by construct path; compare by stack name.
        if way != "floor":
            manifest = json.loads((pathlib.Path(result["outdir"]) / "manifest.json").read_text())
            renamed = {}
            for artifact, spec in manifest["artifacts"].items():
                if spec.get("type") == "aws:cloudformation:stack":
                    renamed[spec.get("properties", {}).get("stackName") or spec.get("displayName") or artifact] = templates[way][artifact]
            templates[way] = renamed
    return differences(templates["library"], templates["l1"]) + differences(templates["library"], templates["floor"])


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--ns", default="1,10,100,1000", help="team counts, comma separated (default: 1,10,100,1000)")
    parser.add_argument("--quick", action="store_true", help="N = 1, 10, 100 only")
    parser.add_argument("--validation", choices=("off", "on", "both"), default="both",
                        help="aws-cdk-lib's built-in template validation (default: both)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median is shown (default: 1)")
    parser.add_argument("--optimize", action="store_true", help="run the children with python -O (no jsii type checks)")
    parser.add_argument("--no-verify", action="store_true", help="skip the check that the three ways write equivalent templates")
    args = parser.parse_args(argv)
    ns = [1, 10, 100] if args.quick else [int(x) for x in args.ns.split(",") if x.strip()]
    validations = {"off": [False], "on": [True], "both": [False, True]}[args.validation]
    flags = ["-O"] if args.optimize else []
    console = Console(width=200)

    with tempfile.TemporaryDirectory(prefix="incident-bench-") as tmp:
        workdir = pathlib.Path(tmp)
        if not args.no_verify:
            for n in sorted({min(ns), 100} if max(ns) >= 100 else {max(ns)}):
                problems = verify(workdir, n, flags)
                if problems:
                    raise SystemExit("the three ways do not write the same templates:\n" + "\n".join(problems[:10]))
                console.print(f"equivalence: library, raw L1 and floor templates are the same for N = {n}")
        rows: list[dict[str, Any]] = []
        for n in ns:
            for validation in validations:
                for way in WAYS:
                    if way == "floor" and validation:
                        continue
                    runs = [measure(way, n, validation, workdir, flags) for _ in range(args.repeat)]
                    result = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
                    result["wall_runs"] = [r["wall_s"] for r in runs]
                    rows.append(result)
                    console.print(
                        f"  N={n} {LABEL[way]} validation={'on' if validation else 'off'}: {result['wall_s']:.2f} s",
                        style="dim",
                    )
        print_tables(console, rows, ns, validations, args)


def print_tables(console: Console, rows: list[dict[str, Any]], ns: list[int], validations: list[bool], args: Any) -> None:
    table = Table(box=box.MARKDOWN, title=None)
    for column in ("N", "way", "validation", "stacks", "resources", "wall s", "import s", "build s", "synth s",
                   "ms/team", "jsii calls", "calls/resource", "peak MiB python", "peak MiB node", "maxrss MiB"):
        table.add_column(column, justify="left" if column in ("way", "validation") else "right")
    for r in rows:
        work = r["build_s"] + r["synth_s"]
        table.add_row(
            str(r["n"]), LABEL[r["way"]], "-" if r["way"] == "floor" else ("on" if r["validation"] else "off"),
            str(r["stacks"]), str(r["resources"]), f"{r['wall_s']:.2f}", f"{r['import_s']:.2f}",
            f"{r['build_s']:.2f}", f"{r['synth_s']:.2f}", f"{1000 * work / r['n']:.1f}",
            str(r["jsii_calls"]), f"{r['jsii_calls'] / r['resources']:.1f}",
            mib(r["python_peak_kib"]), mib(r["node_peak_kib"]) if r["node_peak_kib"] else "-", mib(r["tree_maxrss_kib"]),
        )
    console.print(table)
    console.print()
    ratios = Table(box=box.MARKDOWN)
    for column in ("N", "validation", "library/L1 wall", "library/L1 build+synth", "library/floor wall"):
        ratios.add_column(column, justify="right")
    index = {(r["n"], r["way"], r["validation"]): r for r in rows}
    for n in ns:
        for validation in validations:
            lib, l1, floor = index[(n, "library", validation)], index[(n, "l1", validation)], index[(n, "floor", False)]
            ratios.add_row(
                str(n), "on" if validation else "off",
                f"{lib['wall_s'] / l1['wall_s']:.2f}",
                f"{(lib['build_s'] + lib['synth_s']) / (l1['build_s'] + l1['synth_s']):.2f}",
                f"{lib['wall_s'] / floor['wall_s']:.1f}",
            )
    console.print(ratios)
    console.print(
        f"\nwall: the child process from start to exit (interpreter, imports, jsii start, build, synth, "
        f"template files written). python {sys.version.split()[0]}{' -O' if args.optimize else ''}, "
        f"repeat {args.repeat} (median). peak: VmHWM of the python process and of its jsii node process; "
        f"maxrss: ru_maxrss of the child's tree from wait4 (the largest single process)."
    )
