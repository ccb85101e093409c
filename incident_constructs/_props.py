"""Values for L1 properties.

Lists that ``add_*`` methods extend (stages, rotation ids, engagements, topics, runbook steps) are
given to the L1's constructor and set again through the L1's own property setter by each later
``add_*`` call: one round trip to the CDK runtime per late addition, and the L1 always holds a
real list, so index overrides such as ``add_property_override("Plan.1.DurationInMinutes", 7)``
merge into it exactly as on any L1. (A list written with ``add_property_override`` would turn into
``{"1": ...}`` under a later index override.)

The L1s take their structs as dicts in their own casing (``durationInMinutes``), which CDK maps
to CloudFormation's casing and checks with the L1's validators.
"""

from __future__ import annotations

from typing import Any

__all__ = ["camel_case"]


def camel_case(value: Any) -> Any:
    """CloudFormation-cased keys (``DurationInMinutes``) in the casing of the L1's structs
    (``durationInMinutes``), recursively; values are left alone."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:]): camel_case(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_case(v) for v in value]
    return value
