"""``python -m benchmarks``: N teams synthesized with incident-constructs, with raw L1s and as
plain JSON, each run in a fresh process; library and raw L1 run in pairs, and the tables show
the median per-pair ratio, the phases and the jsii round trips per resource."""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from . import org

WAYS = ("library", "l1", "floor")
LABEL = {"library": "library", "l1": "raw L1", "floor": "JSON floor"}
PHASES = ("import", "build", "synth", "other")
ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclass
class Cell:
    """The runs of one N and one validation setting: K library/raw-L1 pairs and K floor runs."""

    n: int
    validation: bool
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    floor: list[dict[str, Any]] = field(default_factory=list)

    def runs(self, way: str) -> list[dict[str, Any]]:
        if way == "floor":
            return self.floor
        return [pair[0 if way == "library" else 1] for pair in self.pairs]


def templates_summary(outdir: pathlib.Path) -> dict[str, Any]:
    paths = sorted(outdir.glob("*.template.json"))
    resources = 0
    for path in paths:
        template: dict[str, Any] = json.loads(path.read_text())
        resources += len(template.get("Resources", {}))
    return {
        "stacks": len(paths),
        "resources": resources,
        "largest_template_bytes": max((p.stat().st_size for p in paths), default=0),
    }


def measure(
    way: str,
    n: int,
    validation: bool,
    workdir: pathlib.Path,
    python_flags: Sequence[str],
    *,
    keep: bool = False,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    """One child process; wall time and rusage (the child and the node processes it reaped) from wait4."""
    outdir = pathlib.Path(tempfile.mkdtemp(prefix=f"{way}-{n}-", dir=workdir))
    command = [
        sys.executable,
        *python_flags,
        "-m",
        "benchmarks.child",
        way,
        str(n),
        "on" if validation else "off",
        str(outdir),
        *extra,
    ]
    with tempfile.TemporaryFile(dir=workdir) as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT)
        assert child.stdout is not None
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{stderr.read().decode()[-3000:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["wall_s"] = wall
    result["tree_maxrss_kib"] = usage.ru_maxrss
    result["other_s"] = wall - result["import_s"] - result["build_s"] - result["synth_s"]
    result.update(templates_summary(outdir))
    result["outdir"] = str(outdir)
    if not keep:
        shutil.rmtree(outdir, ignore_errors=True)
    return result


def stack_templates(outdir: pathlib.Path, way: str) -> dict[str, dict[str, Any]]:
    """Stack name -> template. The CDK ways name their artifacts by construct path; the floor by stack name."""
    templates = {
        p.name.removesuffix(".template.json"): json.loads(p.read_text()) for p in outdir.glob("*.template.json")
    }
    if way == "floor":
        return templates
    manifest = json.loads((outdir / "manifest.json").read_text())
    renamed: dict[str, dict[str, Any]] = {}
    for artifact, spec in manifest["artifacts"].items():
        if spec.get("type") == "aws:cloudformation:stack":
            name = spec.get("properties", {}).get("stackName") or spec.get("displayName") or artifact
            renamed[name] = templates[artifact]
    return renamed


def verify(workdir: pathlib.Path, n: int, python_flags: Sequence[str]) -> list[str]:
    """Synthesize n teams three ways and compare the templates."""
    from .equivalence import differences

    templates: dict[str, dict[str, dict[str, Any]]] = {}
    for way in WAYS:
        result = measure(way, n, False, workdir, python_flags, keep=True)
        outdir = pathlib.Path(result["outdir"])
        templates[way] = stack_templates(outdir, way)
        shutil.rmtree(outdir, ignore_errors=True)
    return differences(templates["library"], templates["l1"]) + differences(templates["library"], templates["floor"])


def verify_ns(ns: Sequence[int]) -> list[int]:
    """The team counts to verify: the smallest of ``ns`` in one stack and the smallest that is sharded."""
    single = [n for n in ns if org.shard_count(n) == 0]
    sharded = [n for n in ns if org.shard_count(n) > 0]
    return sorted({min(group) for group in (single, sharded) if group})


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--ns", default="1,10,100,1000", help="team counts, comma separated (default: 1,10,100,1000)")
    parser.add_argument("--quick", action="store_true", help="N = 1, 10, 100 only")
    parser.add_argument(
        "--validation",
        choices=("off", "on", "both"),
        default="both",
        help="aws-cdk-lib's built-in template validation (default: both)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="library/raw-L1 pairs per N and validation, run alternately; medians are shown (default: 1)",
    )
    parser.add_argument("--optimize", action="store_true", help="run the children with python -O (no jsii type checks)")
    parser.add_argument(
        "--no-verify", action="store_true", help="skip the check that the three ways write equivalent templates"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="afterwards, profile the library's build and synth with cProfile and count jsii round trips "
        "by member, at the largest N, validation off",
    )
    parser.add_argument("--top", type=int, default=25, help="rows of the --profile tables (default: 25)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    ns = [1, 10, 100] if args.quick else [int(x) for x in args.ns.split(",") if x.strip()]
    if not ns or min(ns) < 1:
        parser.error("--ns needs team counts of at least 1")
    validations = {"off": [False], "on": [True], "both": [False, True]}[args.validation]
    flags = ["-O"] if args.optimize else []
    console = Console(width=220)

    with tempfile.TemporaryDirectory(prefix="incident-bench-") as tmp:
        workdir = pathlib.Path(tmp)
        if not args.no_verify:
            for n in verify_ns(ns):
                problems = verify(workdir, n, flags)
                if problems:
                    raise SystemExit("the three ways do not write the same templates:\n" + "\n".join(problems[:10]))
                console.print(f"equivalence: library, raw L1 and floor templates are the same for N = {n}")
        cells: list[Cell] = []
        for n in ns:
            for validation in validations:
                cell = Cell(n, validation)
                for k in range(args.repeat):
                    # Alternate which way goes first, so that neither always runs on a warmer machine.
                    order = ("library", "l1") if k % 2 == 0 else ("l1", "library")
                    runs = {way: measure(way, n, validation, workdir, flags) for way in order}
                    cell.pairs.append((runs["library"], runs["l1"]))
                    if not validation:
                        cell.floor.append(measure("floor", n, False, workdir, flags))
                    console.print(
                        f"  N={n} validation={'on' if validation else 'off'} pair {k + 1}/{args.repeat}: "
                        f"library {runs['library']['wall_s']:.2f} s, raw L1 {runs['l1']['wall_s']:.2f} s, "
                        f"ratio {runs['library']['wall_s'] / runs['l1']['wall_s']:.2f}",
                        style="dim",
                    )
                cells.append(cell)
        print_tables(console, cells, args)
        if args.profile:
            profile(console, workdir, max(ns), flags, args.top)


def _floor_cell(cells: Sequence[Cell], n: int) -> Cell | None:
    return next((c for c in cells if c.n == n and not c.validation), None)


def print_tables(console: Console, cells: Sequence[Cell], args: Any) -> None:
    # 1. Each way, medians over its runs.
    table = Table(box=box.MARKDOWN, title=None)
    for column in (
        "N",
        "way",
        "validation",
        "stacks",
        "resources",
        "wall s",
        "import s",
        "build s",
        "synth s",
        "other s",
        "ms/team",
        "jsii calls",
        "calls/resource",
        "callbacks",
        "peak MiB python",
        "peak MiB node",
        "maxrss MiB",
    ):
        table.add_column(column, justify="left" if column in ("way", "validation") else "right")
    for cell in cells:
        ways = ("library", "l1", "floor") if not cell.validation else ("library", "l1")
        for way in ways:
            runs = cell.runs(way)
            if not runs:
                continue
            m = {
                key: median([r[key] for r in runs])
                for key in (
                    "wall_s",
                    "import_s",
                    "build_s",
                    "synth_s",
                    "other_s",
                    "python_peak_kib",
                    "node_peak_kib",
                    "tree_maxrss_kib",
                )
            }
            r = runs[0]
            work = m["build_s"] + m["synth_s"]
            table.add_row(
                str(cell.n),
                LABEL[way],
                "-" if way == "floor" else ("on" if cell.validation else "off"),
                str(r["stacks"]),
                str(r["resources"]),
                f"{m['wall_s']:.2f}",
                f"{m['import_s']:.2f}",
                f"{m['build_s']:.2f}",
                f"{m['synth_s']:.2f}",
                f"{m['other_s']:.2f}",
                f"{1000 * work / cell.n:.1f}",
                str(r["jsii_calls"]),
                f"{r['jsii_calls'] / r['resources']:.2f}",
                str(r["jsii_callbacks"]),
                mib(m["python_peak_kib"]),
                mib(m["node_peak_kib"]) if m["node_peak_kib"] else "-",
                mib(m["tree_maxrss_kib"]),
            )
    console.print(table)
    console.print()

    # 2. Library against raw L1, per pair.
    ratios = Table(box=box.MARKDOWN)
    for column in (
        "N",
        "validation",
        "pairs",
        "library/L1 wall",
        "min",
        "max",
        "library/L1 build+synth",
        "min ",
        "max ",
        "library/floor wall",
    ):
        ratios.add_column(column, justify="right")
    for cell in cells:
        wall = [lib["wall_s"] / l1["wall_s"] for lib, l1 in cell.pairs]
        busy = [(lib["build_s"] + lib["synth_s"]) / (l1["build_s"] + l1["synth_s"]) for lib, l1 in cell.pairs]
        floor = _floor_cell(cells, cell.n)
        floor_ratio = "-"
        if floor is not None and floor.floor:
            floor_ratio = f"{median([r['wall_s'] for r in cell.runs('library')]) / median([r['wall_s'] for r in floor.floor]):.1f}"
        ratios.add_row(
            str(cell.n),
            "on" if cell.validation else "off",
            str(len(cell.pairs)),
            f"{median(wall):.2f}",
            f"{min(wall):.2f}",
            f"{max(wall):.2f}",
            f"{median(busy):.2f}",
            f"{min(busy):.2f}",
            f"{max(busy):.2f}",
            floor_ratio,
        )
    console.print(ratios)
    console.print()

    # 3. Where the time goes: the phases of both ways and their per-pair difference.
    phases = Table(box=box.MARKDOWN)
    for column in (
        "N",
        "validation",
        "phase",
        "library s",
        "raw L1 s",
        "library - L1 s",
        "library jsii calls",
        "raw L1 jsii calls",
    ):
        phases.add_column(column, justify="left" if column == "phase" else "right")
    for cell in cells:
        lib0, l10 = cell.pairs[0]
        calls = {
            "build": (lib0["jsii_calls_build"], l10["jsii_calls_build"]),
            "synth": (lib0["jsii_calls"] - lib0["jsii_calls_build"], l10["jsii_calls"] - l10["jsii_calls_build"]),
            "wall": (lib0["jsii_calls"], l10["jsii_calls"]),
        }
        for phase in (*PHASES, "wall"):
            key = f"{phase}_s"
            lib = median([p[0][key] for p in cell.pairs])
            l1 = median([p[1][key] for p in cell.pairs])
            diff = median([p[0][key] - p[1][key] for p in cell.pairs])
            lib_calls, l1_calls = calls.get(phase, ("", ""))
            phases.add_row(
                str(cell.n),
                "on" if cell.validation else "off",
                phase,
                f"{lib:.3f}",
                f"{l1:.3f}",
                f"{diff:+.3f}",
                str(lib_calls),
                str(l1_calls),
            )
    console.print(phases)
    console.print(
        f"\nwall: the child process from start to exit, as the parent sees it. import: from the child's first "
        f"line to the end of its imports (aws_cdk, which starts jsii's node, and the way's own modules). build: "
        f"cdk.App and the constructs. synth: app.synth(), templates written. other: wall minus those three "
        f"(interpreter start-up, node shut down, exit). Ratios are per pair (library and raw L1 run one after the "
        f"other, alternating which goes first), then the median, min and max over the pairs; the other columns are "
        f"medians per way. jsii calls: requests sent to node (callbacks: node's calls into Python answered). "
        f"peak: VmHWM of the python process and, added up, of its jsii node processes; maxrss: ru_maxrss of "
        f"the child's tree from wait4 (the largest single process). "
        f"python {sys.version.split()[0]}{' -O' if args.optimize else ''}, {args.repeat} pair(s) per cell."
    )


def _in_library(path: str) -> bool:
    return f"{os.sep}incident_constructs{os.sep}" in path


def _short(path: str) -> str:
    """A file's path from its package (``incident_constructs/contact.py``, ``phonenumbers/__init__.py``)."""
    if _in_library(path):
        return "incident_constructs/" + path.split(f"{os.sep}incident_constructs{os.sep}", 1)[1]
    if "site-packages" + os.sep in path:
        return path.split("site-packages" + os.sep, 1)[1]
    if path.startswith(str(ROOT) + os.sep):
        return path[len(str(ROOT)) + 1 :]
    stdlib = f"{os.sep}python{sys.version_info.major}.{sys.version_info.minor}{os.sep}"
    if stdlib in path:
        return path.split(stdlib, 1)[1]
    return path


def _top_table(
    title: str, rows: list[tuple[tuple[str, int, str], tuple[int, int, float, float, dict[Any, Any]]]], top: int
) -> Table:
    rows = sorted(rows, key=lambda kv: kv[1][3], reverse=True)[:top]
    table = Table(box=box.MARKDOWN, title=title)
    for column in ("cumulative s", "own s", "calls", "function"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for (file, line, func), (_, calls, tt, ct, _) in rows:
        table.add_row(f"{ct:.3f}", f"{tt:.3f}", str(calls), f"{_short(file)}:{line} {func}")
    return table


def profile(console: Console, workdir: pathlib.Path, n: int, flags: Sequence[str], top: int) -> None:
    """cProfile of the library way's import (after aws_cdk) and of its build and synth, and the jsii
    round trips of both ways by member."""
    console.print(f"\nprofile: library, N = {n}, validation off (times inflated by cProfile)")
    stats_path = workdir / "library.pstats"
    lib = measure("library", n, False, workdir, flags, extra=["--by-name", "--profile", str(stats_path)])
    l1 = measure("l1", n, False, workdir, flags, extra=["--by-name"])
    stats = pstats.Stats(str(stats_path))
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, dict[Any, Any]]] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in entries.values())
    waiting = sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in entries.items()
        if func == "send" and file.endswith(os.path.join("jsii", "_kernel", "providers", "process.py"))
    )
    console.print(
        f"build+synth under the profiler {total:.2f} s, of which {waiting:.2f} s in jsii round trips "
        f"(sending a request and waiting for node's answer)"
    )
    own = [(key, value) for key, value in entries.items() if _in_library(key[0])]
    console.print(_top_table("the library's functions by cumulative time (build and synth)", own, top))

    imported: dict[tuple[str, int, str], tuple[int, int, float, float, dict[Any, Any]]]
    imported = pstats.Stats(str(stats_path) + ".import").stats  # type: ignore[attr-defined]
    modules = [(key, value) for key, value in imported.items() if key[2] == "<module>"]
    console.print(
        f"importing the library way after aws_cdk under the profiler: "
        f"{max((v[3] for v in imported.values()), default=0.0):.2f} s"
    )
    console.print(_top_table("modules by cumulative import time (the library's and what they import)", modules, top))

    by_kind = Table(box=box.MARKDOWN, title=f"jsii round trips per team by member (N = {n})")
    for column in ("library", "per team", "raw L1", "per team "):
        by_kind.add_column(column, justify="right" if "per team" in column else "left")
    lib_kinds = sorted(lib["jsii_calls_by_kind"].items(), key=lambda kv: -kv[1])[:top]
    l1_kinds = sorted(l1["jsii_calls_by_kind"].items(), key=lambda kv: -kv[1])[:top]
    for i in range(max(len(lib_kinds), len(l1_kinds))):
        a = lib_kinds[i] if i < len(lib_kinds) else ("", 0)
        b = l1_kinds[i] if i < len(l1_kinds) else ("", 0)
        by_kind.add_row(a[0], f"{a[1] / n:.2f}" if a[0] else "", b[0], f"{b[1] / n:.2f}" if b[0] else "")
    console.print(by_kind)
    console.print(
        f"total per team: library {lib['jsii_calls'] / n:.1f}, raw L1 {l1['jsii_calls'] / n:.1f} "
        f"({lib['jsii_calls'] / lib['resources']:.2f} and {l1['jsii_calls'] / l1['resources']:.2f} per resource)"
    )
