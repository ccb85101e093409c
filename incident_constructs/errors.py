"""The library's exception, without the CDK: the organisation file's loader and the tools that
read ``cdk.out`` raise it too. :mod:`incident_constructs._validation` re-exports it."""

from __future__ import annotations

__all__ = ["ValidationError"]


class ValidationError(ValueError):
    """A value given to an incident-constructs construct breaks a rule of the service.

    Raised when the construct is built (or, for rules that depend on later ``add_*``
    calls, reported by ``cdk synth``). The message names the construct path, the
    field, the value given and what is allowed.
    """
