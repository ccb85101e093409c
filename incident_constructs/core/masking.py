"""Masking of personal data (contact channel addresses), in plain Python (no CDK, no Node).

Addresses are masked wherever they are shown: in error messages, in the command line's output
and in reports. :func:`mask_address` keeps enough to recognise an address
(``re***@example.com``, ``+1206*****00``); :func:`mask_value` does the same for a value of any
type, as it may arrive from a YAML file (``sms: 12065550100`` unquoted is a number, an email
written as a list is a list).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEPLOY_TIME", "is_deploy_time", "mask_address", "mask_value"]

#: What a masked address that is only known at deploy time reads as.
DEPLOY_TIME = "(resolved at deploy time)"

_MARKERS = ("${Token[", "#{Token[", "{{resolve:")


def is_deploy_time(value: str) -> bool:
    """True for a CDK token (``${Token[...]}``) or a dynamic reference (``{{resolve:...}}``)."""
    return any(marker in value for marker in _MARKERS)


def mask_address(address: str) -> str:
    """An address with most of it hidden: ``re***@example.com``, ``+1206*****00``."""
    if is_deploy_time(address):
        return DEPLOY_TIME
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:2]}***@{domain}"
    if len(address) <= 6:
        return "*" * len(address)
    return address[:5] + "*" * (len(address) - 7) + address[-2:]


def mask_value(value: Any) -> str:
    """A value that may hold personal data, for a message: never the whole of it.

    Strings and numbers are masked like addresses; a list or a mapping is only described
    (``a list of 2 items``), since any item may be an address; ``None`` and booleans, which
    cannot be an address, are shown.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return repr(mask_address(value[:400]))
    if isinstance(value, int) and abs(value).bit_length() > 1000:
        return "a number of more than 300 digits"
    if isinstance(value, (int, float)):
        return mask_address(str(value))
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key{'' if len(value) == 1 else 's'}"
    return f"a value of type {type(value).__name__}"
