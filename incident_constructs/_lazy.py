"""Lists that ``add_*`` methods extend, rendered when the template is written.

aws-cdk-lib's L2s render such lists lazily (``Lazy.any``). ``cdk.Lazy`` with a Python producer
fails on this jsii version ("Unable to serialize value as IResolveContext"), so the library
uses a small :class:`aws_cdk.IResolvable` of its own instead. The list is given to the L1's
constructor once; CDK asks for its value when it writes the template. Because the L1 holds a
real list (not a property override), index overrides such as
``add_property_override("Plan.1.DurationInMinutes", 7)`` merge into it exactly as on any L1.

The producer returns the property's value in the L1's own shape (camelCase keys, as the
generated ``CfnXxx.YyyProperty`` structs have them): CDK maps it to CloudFormation's casing and
checks it with the L1's own validators.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import aws_cdk as cdk
import jsii

__all__ = ["Rendered", "camel_case"]


@jsii.implements(cdk.IResolvable)
class Rendered:
    """A value computed when CDK resolves it: ``Rendered(lambda: [...])``.

    :param producer: returns the value; ``None`` leaves the property out of the template.
    :param display: the text shown when the token is printed (``str()``).
    """

    def __init__(self, producer: Callable[[], Any], display: str = "Rendered") -> None:
        self._producer = producer
        self._display = display

    @property
    def creation_stack(self) -> list[str]:
        return []

    @property
    def type_hint(self) -> Optional[cdk.ResolutionTypeHint]:
        return None

    def resolve(self, _context: cdk.IResolveContext) -> Any:
        return self._producer()

    def to_string(self) -> str:
        return self._display


def camel_case(value: Any) -> Any:
    """CloudFormation-cased keys (``DurationInMinutes``) in the casing of the L1's structs
    (``durationInMinutes``), recursively; values are left alone."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:]): camel_case(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_case(v) for v in value]
    return value
