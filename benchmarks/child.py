"""One measurement in a fresh process.

``python -m benchmarks.child WAY N VALIDATION OUTDIR [--by-name] [--profile FILE]``

Prints one JSON line: phase times (import, build, synth, and the child's own time from its
first line to the end), resource, stack and jsii round-trip counts, peak memory (VmHWM of
this process and of its jsii node processes, read from /proc before they exit).

``--by-name`` also counts the round trips by kind, class and member; ``--profile FILE`` runs
the build and synth phases under cProfile and writes the statistics to FILE, and those of the
way's import (after ``import aws_cdk``) to FILE.import (the times it prints are then inflated by
the profiler: use it to see where the time goes, not how much).
"""

from __future__ import annotations

import time

START = time.perf_counter()  # before the other imports: the child's wall time starts here

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pathlib  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, Protocol  # noqa: E402

WAYS = ("library", "l1", "floor")


class _Way(Protocol):
    def build(self, app: Any, n: int) -> None: ...


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


def _count_jsii_calls(by_name: bool) -> collections.Counter[str]:
    """Count the round trips to the jsii kernel: one per request sent to node. Answers to node's
    callbacks into Python (a ``Rendered`` list resolved, a validation run) are requests of kind
    ``Complete``."""
    from jsii._kernel.providers import process

    counter: collections.Counter[str] = collections.Counter()
    send = process._NodeProcess.send

    def counting_send(self: Any, request: Any, response_type: Any) -> Any:
        kind = type(request).__name__.lstrip("_").replace("Request", "")
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


def _profiled(profile_path: pathlib.Path | None) -> tuple[Callable[[], None], Callable[[], None]]:
    """Start and stop functions for cProfile (no-ops without a path)."""
    if profile_path is None:
        return (lambda: None), (lambda: None)
    import cProfile

    profiler = cProfile.Profile()

    def stop() -> None:
        profiler.disable()
        profiler.dump_stats(str(profile_path))

    return profiler.enable, stop


def _templates_summary(outdir: pathlib.Path) -> dict[str, Any]:
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


def run(
    way: str,
    n: int,
    validation: bool,
    outdir: pathlib.Path,
    *,
    by_name: bool = False,
    profile: pathlib.Path | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"way": way, "n": n, "validation": validation}
    start_profile, stop_profile = _profiled(profile)
    if way == "floor":
        from . import way_floor

        t0 = time.perf_counter()
        start_profile()
        templates = way_floor.build(n)
        t1 = time.perf_counter()
        way_floor.write(templates, outdir)
        t2 = time.perf_counter()
        stop_profile()
        result.update(
            import_s=t0 - START,
            build_s=t1 - t0,
            synth_s=t2 - t1,
            jsii_calls_build=0,
            jsii_calls=0,
            jsii_callbacks=0,
            node_peak_kib=0,
        )
    else:
        counter = _count_jsii_calls(by_name)
        import aws_cdk as cdk

        module: _Way
        if way == "library":
            start_import_profile, stop_import_profile = _profiled(
                None if profile is None else profile.with_name(profile.name + ".import")
            )
            start_import_profile()
            from . import way_library as module

            stop_import_profile()
        else:
            from . import way_l1 as module
        t0 = time.perf_counter()
        start_profile()
        app = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=validation)
        module.build(app, n)
        t1 = time.perf_counter()
        calls_build = sum(counter.values())
        app.synth()
        t2 = time.perf_counter()
        stop_profile()
        calls = sum(counter.values())
        result.update(
            import_s=t0 - START,
            build_s=t1 - t0,
            synth_s=t2 - t1,
            jsii_calls_build=calls_build,
            jsii_calls=calls,
            jsii_callbacks=sum(v for k, v in counter.items() if k.startswith("Complete")),
            node_peak_kib=sum(_peak_kib(pid) for pid in _descendants(os.getpid())),
        )
        if by_name:
            result["jsii_calls_by_kind"] = dict(counter.most_common())
    result.update(_templates_summary(outdir))
    result["python_peak_kib"] = _peak_kib(os.getpid())
    result["child_s"] = time.perf_counter() - START
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.child")
    parser.add_argument("way", choices=WAYS)
    parser.add_argument("n", type=int)
    parser.add_argument("validation", choices=("on", "off"))
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--by-name", action="store_true", help="count jsii round trips by kind, class and member")
    parser.add_argument("--profile", type=pathlib.Path, help="write cProfile statistics of build and synth here")
    args = parser.parse_args(argv)
    result = run(args.way, args.n, args.validation == "on", args.outdir, by_name=args.by_name, profile=args.profile)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
