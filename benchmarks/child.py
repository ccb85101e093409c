"""One measurement in a fresh process: ``python -m benchmarks.child WAY N VALIDATION OUTDIR``.

Prints one JSON line: phase times, resource and jsii call counts, peak memory (VmHWM of this
process and of its jsii node process, read from /proc before they exit)."""

from __future__ import annotations

import collections
import json
import os
import pathlib
import sys
import time
from typing import Any

START = time.perf_counter()


def _peak_kib(pid: int) -> int:
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid`` and by them (the jsii runtime starts node, which starts another)."""
    found: list[int] = []
    try:
        tasks = list(pathlib.Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found.append(child)
            found.extend(_descendants(child))
    return found


def _count_jsii_calls(by_name: bool) -> "collections.Counter[str]":
    """Count the round trips to the jsii kernel (one per request sent to node)."""
    from jsii._kernel.providers import process

    counter: collections.Counter[str] = collections.Counter()
    send = process._NodeProcess.send

    def counting_send(self: Any, request: Any, response_type: Any) -> Any:
        kind = type(request).__name__.replace("Request", "")
        if by_name:
            target = getattr(request, "fqn", None) or ""
            member = getattr(request, "method", None) or getattr(request, "property", None) or ""
            if not target and getattr(request, "objref", None) is not None:
                target = str(request.objref.ref).split("@")[0]
            kind = f"{kind} {target} {member}".strip()
        counter[kind] += 1
        return send(self, request, response_type)

    process._NodeProcess.send = counting_send  # type: ignore[method-assign]
    return counter


def run(way: str, n: int, validation: bool, outdir: pathlib.Path, by_name: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {"way": way, "n": n, "validation": validation}
    if way == "floor":
        from . import way_floor

        t0 = time.perf_counter()
        templates = way_floor.build(n)
        t1 = time.perf_counter()
        way_floor.write(templates, outdir)
        t2 = time.perf_counter()
        result.update(
            import_s=t0 - START,
            build_s=t1 - t0,
            synth_s=t2 - t1,
            jsii_calls=0,
            node_peak_kib=0,
        )
    else:
        counter = _count_jsii_calls(by_name)
        import aws_cdk as cdk

        if way == "library":
            from . import way_library as module
        else:
            from . import way_l1 as module  # type: ignore[no-redef]
        t0 = time.perf_counter()
        app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=validation)
        module.build(app, n)
        t1 = time.perf_counter()
        calls_build = sum(counter.values())
        app.synth()
        t2 = time.perf_counter()
        calls = sum(counter.values())
        result.update(
            import_s=t0 - START,
            build_s=t1 - t0,
            synth_s=t2 - t1,
            jsii_calls_build=calls_build,
            jsii_calls=calls,
            node_peak_kib=sum(_peak_kib(pid) for pid in _descendants(os.getpid())),
        )
        if by_name:
            result["jsii_calls_by_kind"] = dict(counter.most_common())
    templates = sorted(outdir.glob("*.template.json"))
    result["stacks"] = len(templates)
    result["resources"] = sum(len(json.loads(t.read_text())["Resources"]) for t in templates)
    result["largest_template_bytes"] = max(t.stat().st_size for t in templates)
    result["python_peak_kib"] = _peak_kib(os.getpid())
    return result


def main() -> None:
    way, n, validation, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "on", pathlib.Path(sys.argv[4])
    by_name = len(sys.argv) > 5 and sys.argv[5] == "by-name"
    print(json.dumps(run(way, n, validation, outdir, by_name)), flush=True)


if __name__ == "__main__":
    main()
