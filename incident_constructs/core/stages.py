"""Engagement plan stages from channel times, in plain Python (no CDK, no Node): used by
:class:`~incident_constructs.Contact` to write its plan and by ``incident-constructs adopt`` to
tell whether ``engage_after_minutes`` reproduces a live plan exactly."""

from __future__ import annotations

from typing import Any

from .._rules import MAX_STAGE_MINUTES

__all__ = ["render_channel_stages"]


def render_channel_stages(channels: list[tuple[int, Any, int]]) -> list[dict[str, Any]]:
    """Turn (engage_after minutes, channel ARN, retry minutes) into plan stages.

    Stage k starts after the durations of the stages before it; a stage lasts 0-30
    minutes, and 0 only when it has targets. Gaps longer than 30 minutes become
    stages without targets.
    """
    by_time: dict[int, list[dict[str, Any]]] = {}
    for minutes, arn, retry in channels:
        by_time.setdefault(minutes, []).append(
            {"ChannelTargetInfo": {"ChannelId": arn, "RetryIntervalInMinutes": retry}}
        )
    times = sorted(by_time)
    stages: list[dict[str, Any]] = []
    _fill(stages, 0, times[0] if times else 0)
    for i, t in enumerate(times):
        gap = times[i + 1] - t if i + 1 < len(times) else 0
        first = min(gap, MAX_STAGE_MINUTES)
        stages.append({"DurationInMinutes": first, "Targets": by_time[t]})
        _fill(stages, t + first, t + gap)
    return stages


def _fill(stages: list[dict[str, Any]], start: int, end: int) -> None:
    while start < end:
        step = min(end - start, MAX_STAGE_MINUTES)
        stages.append({"DurationInMinutes": step, "Targets": []})
        start += step
