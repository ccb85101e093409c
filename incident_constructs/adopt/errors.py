"""The error of :mod:`incident_constructs.adopt`, and the differences it carries.

:class:`AdoptError` is a :class:`ValueError`, like the library's ``ValidationError``; it is
defined here because ``incident_constructs._validation`` imports ``aws_cdk``, and this package
runs without the CDK (and without Node).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

__all__ = ["AdoptError", "Difference"]


@dataclasses.dataclass(frozen=True)
class Difference:
    """One property that differs between a synthesized template and the live account.

    Values are shown as text: addresses masked (``re***@example.com``), long values cut.
    """

    #: The logical id in the template ("-" for a live resource that no template holds).
    logical_id: str
    #: The CloudFormation type, like ``AWS::SSMContacts::Contact``.
    resource_type: str
    #: The resource's natural key: an alias, ``alias / channel name``, a rotation, response plan or
    #: document name.
    name: str
    #: The property path, like ``Plan[1].DurationInMinutes``; empty for the whole resource.
    path: str
    #: The synthesized value, shown.
    template: str
    #: The live value, shown.
    live: str
    #: ``changed`` (a property differs), ``missing`` (in the template, not in the account) or
    #: ``unmanaged`` (in the account, in none of the templates read).
    kind: str = "changed"

    def __str__(self) -> str:
        where = f"{self.logical_id} ({self.resource_type} {self.name})"
        if self.kind == "missing":
            return f"{where}: in the template, not in the account (the next deploy creates it)"
        if self.kind == "unmanaged":
            return f"{self.resource_type} {self.name}: in the account, in no template read"
        return f"{where}: {self.path or '(resource)'}: template {self.template}, live {self.live}"


class AdoptError(ValueError):
    """Reading an account, writing or loading a snapshot, or mapping a template to the live
    resources failed; the message says what and where, in one line per problem.

    :attr:`differences` holds the property-by-property differences when
    :func:`~incident_constructs.adopt.import_mapping` refuses a template.
    """

    def __init__(self, message: str, differences: Sequence[Difference] = ()) -> None:
        super().__init__(message)
        self.differences = list(differences)
