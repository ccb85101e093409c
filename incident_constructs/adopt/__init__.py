"""Bring an existing Incident Manager set-up under code.

Read an account (:func:`read_account`, with boto3), write what was read as an organisation file
with its runbooks and an ``account.json`` (:meth:`AccountSnapshot.write`), map a synthesized stack
to the live resources for ``cdk import`` (:func:`import_mapping`), and compare live against
synthesized (:func:`drift`)::

    import boto3
    from incident_constructs.adopt import AccountSnapshot, import_mapping, read_account

    snapshot = read_account(boto3.Session(profile_name="ops"), "us-east-1")
    result = snapshot.write("adopted", addresses="ssm:/oncall")
    ...
    mapping = import_mapping(template, AccountSnapshot.load("adopted"))

This package imports neither ``aws_cdk`` nor ``jsii`` nor ``constructs``; boto3 is needed only to
read an account (``pip install 'incident-constructs[aws]'``). Errors are :class:`AdoptError`, a
``ValueError``.
"""

from typing import TYPE_CHECKING

from .._exports import lazy_exports

if TYPE_CHECKING:  # the names, for type checkers and editors
    from .compare import ImportPlan, drift, import_mapping, plan_import
    from .errors import AdoptError, Difference
    from .reader import read_account
    from .snapshot import AccountSnapshot, LiveResource, WriteResult
    from .template import StackTemplate, read_assembly

# Each name loaded from its module on first use (PEP 562): the command line registers the
# commands without loading the reader and the comparison.
_EXPORTS = {
    "AccountSnapshot": ".snapshot",
    "AdoptError": ".errors",
    "Difference": ".errors",
    "ImportPlan": ".compare",
    "LiveResource": ".snapshot",
    "StackTemplate": ".template",
    "WriteResult": ".snapshot",
    "drift": ".compare",
    "import_mapping": ".compare",
    "plan_import": ".compare",
    "read_account": ".reader",
    "read_assembly": ".template",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)


__all__ = [
    "AccountSnapshot",
    "AdoptError",
    "Difference",
    "ImportPlan",
    "LiveResource",
    "StackTemplate",
    "WriteResult",
    "drift",
    "import_mapping",
    "plan_import",
    "read_account",
    "read_assembly",
]
