"""Runbooks: SSM Automation documents that a response plan runs during an incident."""

from __future__ import annotations

import copy
import json
import math
import pathlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

import aws_cdk as cdk
import jsii
import typing_extensions as te
import yaml
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from .._rules import DOCUMENT_NAME_PATTERN, DOCUMENT_NAME_RULE, RESERVED_PREFIXES
from .._validation import (
    SSM_DOCUMENT_TAGS,
    Checker,
    ValidationError,
    add_stack_rule,
    add_synth_validation,
    check_scope_and_id,
    claim_unique_name,
    describe,
    is_resolvable,
    is_token,
    tag_problems,
)

__all__ = ["IRunbook", "Runbook", "RunbookStep", "AUTOMATION_ACTIONS"]

#: The Automation actions the library accepts (``schemaVersion`` 0.3).
AUTOMATION_ACTIONS = frozenset(
    {
        "aws:approve",
        "aws:assertAwsResourceProperty",
        "aws:branch",
        "aws:changeInstanceState",
        "aws:copyImage",
        "aws:createImage",
        "aws:createStack",
        "aws:createTags",
        "aws:deleteImage",
        "aws:deleteStack",
        "aws:executeAutomation",
        "aws:executeAwsApi",
        "aws:executeScript",
        "aws:executeStateMachine",
        "aws:invokeLambdaFunction",
        "aws:invokeWebhook",
        "aws:loop",
        "aws:pause",
        "aws:runCommand",
        "aws:runInstances",
        "aws:sleep",
        "aws:updateVariable",
        "aws:waitForAwsResourceProperty",
    }
)

#: Inputs each action cannot do without.
REQUIRED_INPUTS: dict[str, tuple[str, ...]] = {
    "aws:approve": ("Approvers",),
    "aws:executeAwsApi": ("Service", "Api"),
    "aws:executeScript": ("Runtime", "Handler"),
    "aws:runCommand": ("DocumentName",),
    "aws:executeAutomation": ("DocumentName",),
    "aws:sleep": (),
    "aws:waitForAwsResourceProperty": ("Service", "Api", "PropertySelector", "DesiredValues"),
    "aws:assertAwsResourceProperty": ("Service", "Api", "PropertySelector", "DesiredValues"),
    "aws:branch": ("Choices",),
    "aws:invokeLambdaFunction": ("FunctionName",),
}

STEP_NAME_PATTERN = r"[a-zA-Z0-9_]{1,128}"
STEP_NAME_RULE = "1-128 characters of letters, digits and '_'."

#: The largest document content the service accepts (``CreateDocument``: "The content of the
#: document must not exceed 64KB"), measured as the JSON the template holds.
MAX_CONTENT_BYTES = 64 * 1024
#: How deeply lists and mappings may nest in a document (a bound of the library: deeper
#: documents are not runbooks, and walking them would risk Python's recursion limit).
MAX_CONTENT_DEPTH = 50
#: Parameters a document may declare: ``StartAutomationExecution`` takes at most 200, with names
#: of 1-50 characters.
MAX_PARAMETERS = 200
MAX_PARAMETER_NAME_LENGTH = 50
#: The service's Integer (a Java int).
MAX_INTEGER = 2**31 - 1
#: ``aws:approve``: at most 30 days; ``aws:sleep``: at most 7 days (Automation user guide).
MAX_APPROVE_TIMEOUT_SECONDS = 30 * 24 * 3600
MAX_SLEEP_SECONDS = 7 * 24 * 3600
MAX_APPROVE_MESSAGE = 4096
#: Keys of a step (the Automation schema's step object).
STEP_KEYS = (
    "name",
    "action",
    "inputs",
    "description",
    "onFailure",
    "onCancel",
    "timeoutSeconds",
    "maxAttempts",
    "isCritical",
    "isEnd",
    "nextStep",
    "outputs",
)
#: Keys of an Automation document (schemaVersion 0.3).
DOCUMENT_KEYS = (
    "schemaVersion",
    "description",
    "assumeRole",
    "parameters",
    "mainSteps",
    "outputs",
    "files",
    "variables",
)
#: Types of a document parameter and of a step output.
PARAMETER_TYPES = ("String", "StringList", "Boolean", "Integer", "MapList", "StringMap")
#: Keys of a parameter definition.
PARAMETER_KEYS = (
    "type",
    "description",
    "default",
    "allowedValues",
    "allowedPattern",
    "displayType",
    "minItems",
    "maxItems",
    "minChars",
    "maxChars",
)
ON_FAILURE_PATTERN = r"Abort|Continue|step:[A-Za-z0-9_]{1,128}"
ON_CANCEL_PATTERN = r"Abort|step:[A-Za-z0-9_]{1,128}"
#: ``{{ Name }}``: a value the automation takes from a parameter or an earlier step's output.
_REFERENCE = re.compile(r"\{\{.*\}\}", re.DOTALL)
_ISO_DURATION = re.compile(r"P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?", re.ASCII)

#: RunbookStep's options and the step keys they become.
_OPTIONS = (
    ("description", "description"),
    ("onFailure", "on_failure"),
    ("onCancel", "on_cancel"),
    ("timeoutSeconds", "timeout_seconds"),
    ("maxAttempts", "max_attempts"),
    ("isCritical", "is_critical"),
    ("isEnd", "is_end"),
    ("nextStep", "next_step"),
    ("outputs", "outputs"),
)

#: Parameters through which Incident Manager hands the incident to the runbook.
INCIDENT_PARAMETERS: dict[str, dict[str, Any]] = {
    "AutomationAssumeRole": {
        "type": "String",
        "description": "(Optional) The ARN of the role the automation runs as. Empty: the role that starts it.",
        "default": "",
    },
    "IncidentRecordArn": {
        "type": "String",
        "description": "The ARN of the incident record, filled in by Incident Manager.",
        "default": "",
    },
    "InvolvedResources": {
        "type": "StringList",
        "description": "The ARNs of the resources involved in the incident, filled in by Incident Manager.",
        "default": [],
    },
}


class RunbookStep:
    """One step of a runbook's ``mainSteps``; build it with the static factories.

    Common options of every factory: ``description`` (shown to responders), ``on_failure``
    (``Abort``, ``Continue`` or ``step:<name>``), ``timeout_seconds``, ``max_attempts``,
    ``is_critical``, ``is_end``, ``next_step`` and ``outputs``.
    """

    def __init__(self, name: str, action: str, inputs: Mapping[str, Any], **options: Any) -> None:
        step: dict[str, Any] = {"name": name, "action": action}
        for key, attr in _OPTIONS:
            value = options.pop(attr, None)
            if value is not None:
                step[key] = value
        #: Problems found before the step belongs to a runbook: reported by ``Runbook.add_step``,
        #: with the runbook's construct path.
        self._problems: list[tuple[str, Any, str]] = []
        if options:
            raise ValidationError(
                f"RunbookStep {describe(name)}: unknown option(s) {sorted(map(str, options))}. The options are "
                + ", ".join(attr for _, attr in _OPTIONS)
                + "."
            )
        # Anything but a mapping is kept as given, for check_step to refuse with the runbook's path.
        step["inputs"] = dict(inputs) if isinstance(inputs, Mapping) else inputs
        self._step = step

    @property
    def name(self) -> str:
        """The step name, unique within the document."""
        return str(self._step["name"])

    @property
    def action_type(self) -> str:
        """The Automation action, like ``aws:pause``."""
        return str(self._step["action"])

    def to_dict(self) -> dict[str, Any]:
        """The step as it appears in the document."""
        try:
            return copy.deepcopy(self._step)
        except Exception:  # an input that cannot be copied is refused by check_step, not here
            return dict(self._step)

    @staticmethod
    def pause(name: str, **options: Any) -> RunbookStep:
        """``aws:pause``: wait until a responder resumes the automation (a manual step)."""
        return RunbookStep(name, "aws:pause", {}, **options)

    @staticmethod
    def approve(
        name: str,
        *,
        approvers: Sequence[str],
        message: str | None = None,
        min_required_approvals: int | None = None,
        notification_arn: str | None = None,
        **options: Any,
    ) -> RunbookStep:
        """``aws:approve``: wait for IAM principals (ARNs or user names) to approve."""
        inputs: dict[str, Any] = {"Approvers": list(approvers) if isinstance(approvers, (list, tuple)) else approvers}
        if message is not None:
            inputs["Message"] = message
        if min_required_approvals is not None:
            inputs["MinRequiredApprovals"] = min_required_approvals
        if notification_arn is not None:
            inputs["NotificationArn"] = notification_arn
        return RunbookStep(name, "aws:approve", inputs, **options)

    @staticmethod
    def execute_aws_api(
        name: str, *, service: str, api: str, parameters: Mapping[str, Any] | None = None, **options: Any
    ) -> RunbookStep:
        """``aws:executeAwsApi``: call one AWS API (``service`` like ``ec2``, ``api`` like ``DescribeInstances``)."""
        step = RunbookStep(name, "aws:executeAwsApi", {"Service": service, "Api": api}, **options)
        if isinstance(parameters, Mapping):
            step._step["inputs"].update(parameters)
        elif parameters is not None:
            step._problems.append(
                ("parameters", parameters, "a mapping of the API's parameters, like {'InstanceIds': ['i-1']}.")
            )
        return step

    @staticmethod
    def execute_script(
        name: str,
        *,
        script: str,
        handler: str = "handler",
        runtime: str = "python3.11",
        input_payload: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> RunbookStep:
        """``aws:executeScript``: run a Python or PowerShell script."""
        inputs: dict[str, Any] = {"Runtime": runtime, "Handler": handler, "Script": script}
        if input_payload is not None:
            inputs["InputPayload"] = dict(input_payload) if isinstance(input_payload, Mapping) else input_payload
        return RunbookStep(name, "aws:executeScript", inputs, **options)

    @staticmethod
    def run_command(
        name: str,
        *,
        document_name: str,
        instance_ids: Sequence[str] | None = None,
        parameters: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> RunbookStep:
        """``aws:runCommand``: run a Command document (``AWS-RunShellScript``, say) on instances."""
        inputs: dict[str, Any] = {"DocumentName": document_name}
        if instance_ids is not None:
            inputs["InstanceIds"] = list(instance_ids) if isinstance(instance_ids, (list, tuple)) else instance_ids
        if parameters is not None:
            inputs["Parameters"] = dict(parameters) if isinstance(parameters, Mapping) else parameters
        return RunbookStep(name, "aws:runCommand", inputs, **options)

    @staticmethod
    def sleep(name: str, *, duration: cdk.Duration | timedelta, **options: Any) -> RunbookStep:
        """``aws:sleep``: wait for ``duration`` (rendered as ISO 8601, ``PT5M``), at most 7 days."""
        if isinstance(duration, timedelta):
            return RunbookStep(name, "aws:sleep", {"Duration": _iso_duration(duration)}, **options)
        if isinstance(duration, cdk.Duration):
            try:
                text = duration.to_iso_string()
            except Exception:  # a token duration in units that cannot be expressed
                text = None
            if text is not None:
                return RunbookStep(name, "aws:sleep", {"Duration": text}, **options)
        step = RunbookStep(name, "aws:sleep", {"Duration": None}, **options)
        step._problems.append(("duration", duration, "an aws_cdk.Duration or datetime.timedelta of at most 7 days."))
        return step

    @staticmethod
    def action(name: str, action: str, inputs: Mapping[str, Any] | None = None, **options: Any) -> RunbookStep:
        """Any Automation action (``aws:branch``, ``aws:executeAutomation``, ...), inputs as the service names them."""
        return RunbookStep(name, action, {} if inputs is None else inputs, **options)


@te.runtime_checkable
class IRunbook(cdk.IResource, te.Protocol):
    """An Automation document a response plan can run: owned (:class:`Runbook`) or imported
    (:meth:`Runbook.from_document_name`)."""

    @property
    def document_name(self) -> str:
        """The document's name (or, for a document shared by another account, its ARN)."""
        ...

    @property
    def parameter_types(self) -> dict[str, str] | None:
        """The document's parameters and their types, or None when unknown (an imported document)."""
        ...

    @property
    def runs_as_automation_assume_role(self) -> bool:
        """True when the document runs as the role given in its ``AutomationAssumeRole`` parameter."""
        ...


@jsii.implements(IRunbook)
class _ImportedRunbook(cdk.Resource):
    def __init__(self, scope: Construct, id: str, document_name: str) -> None:
        if document_name.startswith("arn:"):  # a document shared by another account: its environment
            super().__init__(scope, id, environment_from_arn=document_name)
        else:
            super().__init__(scope, id)
        self._name = document_name

    @property
    def document_name(self) -> str:
        return self._name

    @property
    def parameter_types(self) -> dict[str, str] | None:
        return None

    @property
    def runs_as_automation_assume_role(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Runbook.from_document_name({self._name!r})"


@jsii.implements(IRunbook)
class Runbook(cdk.Resource):
    """A runbook: an ``AWS::SSM::Document`` of type Automation (``schemaVersion`` '0.3').

    The document declares the parameters through which Incident Manager hands over the
    incident (``AutomationAssumeRole``, ``IncidentRecordArn``, ``InvolvedResources``) and
    is updated in place (``UpdateMethod: NewVersion``), so content changes never fail on a
    custom name. The document has the construct id ``Resource`` (``runbook.node.default_child``);
    its ``Content`` is rendered when the template is written, so steps added later are in it and
    index overrides such as ``add_property_override("Content.mainSteps.0.onFailure", "Abort")`` merge.

    :param document_name: the document's name (create-only).
    :param description: shown in the console and to responders. Default: none.
    :param steps: the ``mainSteps``. Default: none; add them with :meth:`add_step`.
    :param parameters: more document parameters (``{"InstanceId": {"type": "String"}}``).
    :param content: a whole document instead of ``steps`` (used by :meth:`from_yaml_file`).
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        document_name: str,
        description: str | None = None,
        steps: Sequence[RunbookStep] | None = None,
        parameters: Mapping[str, Mapping[str, Any]] | None = None,
        content: Mapping[str, Any] | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        check_scope_and_id("Runbook", scope, id)
        super().__init__(scope, id)
        checker = Checker(self, "Runbook")
        _check_runbook_props(checker, document_name, removal_policy, description, steps, parameters)
        claim_unique_name(self, checker, "document", "document_name", document_name, scope=scope)
        self._checker = checker
        self._name = document_name
        self._content = _initial_content(checker, description, steps, parameters, content)
        self._size = content_size(checker, self._content)
        for step in steps or []:
            self.add_step(step)
        if content is not None:
            check_references(checker, self._content["mainSteps"])
        #: The ``AWS::SSM::Document`` (construct id ``Resource``).
        self.resource = resource = ssm.CfnDocument(
            self,
            "Resource",
            name=document_name,
            document_type="Automation",
            update_method="NewVersion",
            # add_step() sets the content again: the L1 always holds the real document, so index
            # overrides such as "Content.mainSteps.1.onFailure" merge into it.
            content=self._content,
        )
        resource.apply_removal_policy(removal_policy)
        if not self._content["mainSteps"]:  # steps are never removed: only an empty runbook can fail it
            add_synth_validation(self, self._validate_steps)
        add_stack_rule(self, self._validate, scope=scope)  # steps named by steps, and tags added by Tags.of

    @staticmethod
    def from_yaml_file(
        scope: Construct,
        id: str,
        path: str | pathlib.Path,
        *,
        document_name: str,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> Runbook:
        """Load a runbook from a YAML or JSON file and check it (``mainSteps``, actions, step names).

        The file is read whole only when it is at most :data:`MAX_FILE_BYTES`; YAML aliases and
        nesting are bounded before the document is built, and no line of the file is repeated in
        an error message (only its line and column).
        """
        where = check_scope_and_id("Runbook", scope, id)
        checker = Checker(where, "Runbook")
        if not isinstance(path, (str, pathlib.PurePath)) or (isinstance(path, str) and not path):
            checker.fail("path", path, "a path to a YAML or JSON file (a str or pathlib.Path).")
        file = pathlib.Path(path)
        content = _read_document(checker, file)
        validate_document(Checker(where, f"Runbook from {file.name}"), content)
        return Runbook(scope, id, document_name=document_name, content=content, removal_policy=removal_policy)

    @staticmethod
    def from_document_name(scope: Construct, id: str, document_name: str) -> IRunbook:
        """Use an existing Automation document, by name (a document of the stack's account) or by
        ARN (a document another account shares with this one). Nothing is created; its
        parameters are not known, so a response plan passes none it is not given."""
        checker = Checker(check_scope_and_id("Runbook", scope, id), "Runbook")
        checker.string(
            "document_name",
            document_name,
            min_len=3,
            max_len=128,
            pattern=r"[a-zA-Z0-9_\-.:/]{3,128}",
            pattern_text="a document name or ARN: 3-128 characters of letters, digits and _ - . : /.",
        )
        return _ImportedRunbook(scope, id, document_name)

    def __repr__(self) -> str:
        return f"Runbook(document_name={self._name!r})"

    @property
    def document_name(self) -> str:
        return self._name

    @property
    def document_arn(self) -> str:
        """The document's ARN."""
        return self.stack.format_arn(
            service="ssm", resource="document", resource_name=self._name, arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME
        )

    @property
    def parameter_types(self) -> dict[str, str] | None:
        return {k: str(v.get("type")) for k, v in (self._content.get("parameters") or {}).items()}

    @property
    def runs_as_automation_assume_role(self) -> bool:
        return "AutomationAssumeRole" in str(self._content.get("assumeRole", ""))

    @property
    def steps(self) -> list[dict[str, Any]]:
        """The document's ``mainSteps``."""
        return copy.deepcopy(self._content["mainSteps"])

    def add_step(self, step: RunbookStep) -> None:
        """Append a step; its action, options, inputs and unique name are checked at once, and the
        steps it names (``next_step``, ``on_failure='step:...'``, branch choices) when the app is
        synthesized (they may be added later)."""
        checker = self._checker
        if not isinstance(step, RunbookStep):
            checker.fail("step", step, "a RunbookStep (RunbookStep.pause(...), RunbookStep.action(...), ...).")
        for field, value, allowed in step._problems:
            checker.fail(f"step {describe(step._step.get('name'))} {field}", value, allowed)
        steps = self._content["mainSteps"]
        as_dict = step.to_dict()
        check_step(checker, len(steps), as_dict, {s["name"] for s in steps})
        added = content_size(checker, as_dict, field=f"step {as_dict['name']!r}") + (1 if steps else 0)
        if self._size + added > MAX_CONTENT_BYTES:
            checker.fail(
                f"step {as_dict['name']!r}",
                f"a document of {self._size + added} bytes",
                f"at most {MAX_CONTENT_BYTES} bytes of document content (the service's limit of 64 KB).",
            )
        self._size += added
        steps.append(as_dict)
        resource: ssm.CfnDocument | None = getattr(self, "resource", None)
        if resource is not None:
            resource.content = self._content

    def content(self) -> dict[str, Any]:
        """The document content as it is rendered into the template."""
        return copy.deepcopy(self._content)

    def _validate_steps(self) -> list[str]:
        if not self._content["mainSteps"]:
            return [f"Runbook {self._name!r} has no steps: give steps=[...] or call add_step()."]
        return []

    def _validate(self) -> list[str]:
        problems = [f"{self._checker.path} (Runbook): {p}" for p in reference_problems(self._content["mainSteps"])]
        return problems + tag_problems(self._checker, self.resource, SSM_DOCUMENT_TAGS)


def _check_runbook_props(
    checker: Checker, document_name: Any, removal_policy: Any, description: Any, steps: Any, parameters: Any
) -> None:
    """The props of a :class:`Runbook` that do not depend on each other."""
    check_document_name(checker, "document_name", document_name)
    checker.removal_policy("removal_policy", removal_policy)
    if description is not None:
        checker.string("description", description, min_len=0, max_len=MAX_CONTENT_BYTES)
    if steps is not None and (isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence)):
        checker.fail("steps", steps, "a list of RunbookStep (RunbookStep.pause(...), RunbookStep.action(...), ...).")
    if parameters is not None and not isinstance(parameters, Mapping):
        checker.fail(
            "parameters",
            parameters,
            "a mapping of parameter name to definition, like {'InstanceId': {'type': 'String'}}.",
        )


def _initial_content(
    checker: Checker,
    description: str | None,
    steps: Sequence[Any] | None,
    parameters: Mapping[str, Any] | None,
    content: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The document before its steps: the content given (checked), or an Automation document with
    the incident parameters; then the extra parameters and the description."""
    if content is not None:
        if steps:
            checker.fail("steps", "steps and content", "give either steps or content, not both.")
        document = validate_document(checker, content)
    else:
        document = {
            "schemaVersion": "0.3",
            "assumeRole": "{{ AutomationAssumeRole }}",
            "parameters": copy.deepcopy(INCIDENT_PARAMETERS),
            "mainSteps": [],
        }
        if description is not None:
            document["description"] = description
    if parameters:
        merged = dict(document.get("parameters") or {})
        for key, spec in parameters.items():
            merged[key] = dict(spec) if isinstance(spec, Mapping) else spec
        check_parameters(checker, merged)
        document["parameters"] = copy.deepcopy(merged)
    if description is not None and content is not None:
        document["description"] = description
    return document


def check_document_name(checker: Checker, field: str, name: Any) -> None:
    checker.string(field, name, min_len=3, max_len=128, pattern=DOCUMENT_NAME_PATTERN, pattern_text=DOCUMENT_NAME_RULE)
    if not is_token(name) and name.lower().startswith(RESERVED_PREFIXES):
        checker.fail(field, name, DOCUMENT_NAME_RULE)


def _is_reference(value: Any) -> bool:
    """A ``{{ Parameter }}`` reference or a CDK token: resolved when the automation runs or at deploy time."""
    return isinstance(value, str) and (bool(_REFERENCE.search(value)) or is_token(value))


def _check_int(checker: Checker, field: str, value: Any, *, minimum: int, maximum: int) -> None:
    if _is_reference(value) or is_resolvable(value):
        return
    checker.integer(field, value, minimum=minimum, maximum=maximum)


def _check_bool(checker: Checker, field: str, value: Any) -> None:
    if isinstance(value, bool) or _is_reference(value) or is_resolvable(value):
        return
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return
    checker.fail(field, value, "True or False.")


def _step_ref(checker: Checker, field: str, value: Any, pattern: str, allowed: str) -> None:
    checker.string(field, value, max_len=134, pattern=pattern, pattern_text=allowed)


def check_step(checker: Checker, index: int, step: Any, seen: set[str]) -> None:
    """One step of ``mainSteps``: its keys, name (unique: ``seen`` holds the names before it),
    action, shared properties and the inputs its action requires. The steps it names are checked
    with :func:`check_references` once the document is complete."""
    name = _check_step_name(checker, index, step, seen)
    action = step.get("action")
    if not isinstance(action, str) or action not in AUTOMATION_ACTIONS:
        checker.fail(f"step {name!r} action", action, f"one of {', '.join(sorted(AUTOMATION_ACTIONS))}.")
    inputs = _check_required_inputs(checker, name, action, step.get("inputs", {}))
    _check_step_options(checker, name, action, step)
    _check_inputs(checker, f"step {name!r} inputs", action, inputs)


def _check_step_name(checker: Checker, index: int, step: Any, seen: set[str]) -> str:
    """The step is a mapping of known keys whose name is valid and new; returns the name."""
    where = f"mainSteps[{index}]"
    if not isinstance(step, dict):
        checker.fail(where, step, "a mapping with name, action and inputs.")
    name = step.get("name")
    if name is None:
        checker.fail(f"{where} name", name, "every step needs a name.")
    checker.string(f"{where} name", name, max_len=128, pattern=STEP_NAME_PATTERN, pattern_text=STEP_NAME_RULE)
    if name in seen:
        checker.fail(f"{where} name", name, "step names must be unique within the document.")
    seen.add(name)
    unknown = [key for key in step if key not in STEP_KEYS]
    if unknown:
        checker.fail(
            f"step {name!r} key(s)", sorted(map(str, unknown)), f"the keys of a step are {', '.join(STEP_KEYS)}."
        )
    return str(name)


def _check_required_inputs(checker: Checker, name: str, action: str, inputs: Any) -> dict[str, Any]:
    """``inputs`` is a mapping with string keys holding what ``action`` requires."""
    if not isinstance(inputs, dict):
        checker.fail(f"step {name!r} inputs", inputs, "a mapping.")
    for key in inputs:
        if not isinstance(key, str):
            checker.fail(f"step {name!r} inputs key", key, "a string.")
    missing = [key for key in REQUIRED_INPUTS.get(action, ()) if inputs.get(key) is None]
    if action == "aws:sleep" and not any(inputs.get(k) is not None for k in ("Duration", "Timestamp")):
        missing.append("Duration or Timestamp")
    if missing:
        checker.fail(f"step {name!r} inputs", sorted(inputs), f"{action} requires {', '.join(missing)}.")
    return inputs


#: The step options that name another step: (key, option name, pattern, what is allowed).
_STEP_REFERENCES = (
    ("onFailure", "on_failure", ON_FAILURE_PATTERN, "Abort, Continue or step:<name of a step>."),
    ("onCancel", "on_cancel", ON_CANCEL_PATTERN, "Abort or step:<name of a step>."),
    ("nextStep", "next_step", STEP_NAME_PATTERN, "the name of a step of the document."),
)


def _check_step_options(checker: Checker, name: str, action: str, step: dict[str, Any]) -> None:
    """The options every step may have: description, step references, timeouts, attempts, flags, outputs."""
    if "description" in step:
        checker.string(f"step {name!r} description", step["description"], min_len=0, max_len=MAX_CONTENT_BYTES)
    for key, option, pattern, allowed in _STEP_REFERENCES:
        if key in step:
            _step_ref(checker, f"step {name!r} {option}", step[key], pattern, allowed)
    if "timeoutSeconds" in step:
        limit = MAX_APPROVE_TIMEOUT_SECONDS if action == "aws:approve" else MAX_INTEGER
        _check_int(checker, f"step {name!r} timeout_seconds", step["timeoutSeconds"], minimum=1, maximum=limit)
    if "maxAttempts" in step:
        _check_int(checker, f"step {name!r} max_attempts", step["maxAttempts"], minimum=1, maximum=MAX_INTEGER)
    for key, attr in (("isCritical", "is_critical"), ("isEnd", "is_end")):
        if key in step:
            _check_bool(checker, f"step {name!r} {attr}", step[key])
    if "outputs" in step:
        _check_outputs(checker, f"step {name!r} outputs", step["outputs"])


def _check_outputs(checker: Checker, field: str, outputs: Any) -> None:
    if not isinstance(outputs, list):
        checker.fail(field, outputs, "a list of {'Name': ..., 'Selector': ..., 'Type': ...}.")
    for output in outputs:
        if not isinstance(output, dict):
            checker.fail(field, output, "{'Name': ..., 'Selector': ..., 'Type': ...}.")
        checker.string(f"{field} Name", output.get("Name"), max_len=128)
        checker.string(f"{field} Selector", output.get("Selector"), max_len=4096)
        if output.get("Type") not in PARAMETER_TYPES:
            checker.fail(f"{field} Type", output.get("Type"), f"one of {', '.join(PARAMETER_TYPES)}.")


def _strings(checker: Checker, field: str, value: Any, *, minimum: int = 0) -> None:
    if _is_reference(value) or is_resolvable(value):
        return
    if not isinstance(value, list):
        checker.fail(field, value, "a list of strings.")
    if len(value) < minimum:
        checker.fail(field, value, f"a list of at least {minimum} string(s).")
    for item in value:
        checker.string(field, item, max_len=MAX_CONTENT_BYTES)


def _check_inputs(checker: Checker, field: str, action: str, inputs: dict[str, Any]) -> None:
    """The inputs of the actions the library's factories write, as the service types them."""
    for key in REQUIRED_INPUTS.get(action, ()):
        if key in ("Approvers", "DesiredValues", "Choices"):
            continue
        value = inputs[key]
        if not isinstance(value, str) and not is_resolvable(value):
            checker.fail(f"{field} {key}", value, "a string.")
    check = _ACTION_INPUT_CHECKS.get(action)
    if check is not None:
        check(checker, field, inputs)


def _check_approve_inputs(checker: Checker, field: str, inputs: dict[str, Any]) -> None:
    approvers = inputs["Approvers"]
    _strings(checker, f"{field} Approvers", approvers, minimum=1)
    if "Message" in inputs:
        checker.string(f"{field} Message", inputs["Message"], max_len=MAX_APPROVE_MESSAGE)
    if "MinRequiredApprovals" in inputs:
        most = len(approvers) if isinstance(approvers, list) else MAX_INTEGER
        _check_int(checker, f"{field} MinRequiredApprovals", inputs["MinRequiredApprovals"], minimum=1, maximum=most)
    if "NotificationArn" in inputs:
        checker.string(f"{field} NotificationArn", inputs["NotificationArn"], max_len=2048)


def _check_sleep_inputs(checker: Checker, field: str, inputs: dict[str, Any]) -> None:
    duration = inputs.get("Duration")
    if duration is None or _is_reference(duration):
        return
    match = _ISO_DURATION.fullmatch(duration) if isinstance(duration, str) else None
    if match is None or duration in ("P", "PT") or duration.endswith("T"):
        checker.fail(f"{field} Duration", duration, "an ISO 8601 duration such as PT5M or P1D, at most 7 days.")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    if total > MAX_SLEEP_SECONDS:
        checker.fail(f"{field} Duration", duration, "at most 7 days (604800 seconds), the longest aws:sleep.")


def _check_mapping_input(checker: Checker, field: str, inputs: dict[str, Any], key: str, allowed: str) -> None:
    if key in inputs and not isinstance(inputs[key], dict) and not _is_reference(inputs[key]):
        checker.fail(f"{field} {key}", inputs[key], allowed)


def _check_run_command_inputs(checker: Checker, field: str, inputs: dict[str, Any]) -> None:
    if "InstanceIds" in inputs:
        _strings(checker, f"{field} InstanceIds", inputs["InstanceIds"])
    _check_mapping_input(checker, field, inputs, "Parameters", "a mapping of the command's parameters.")


def _check_execute_script_inputs(checker: Checker, field: str, inputs: dict[str, Any]) -> None:
    _check_mapping_input(checker, field, inputs, "InputPayload", "a mapping.")


def _check_branch_inputs(checker: Checker, field: str, inputs: dict[str, Any]) -> None:
    choices = inputs["Choices"]
    if not isinstance(choices, list) or not choices:
        checker.fail(f"{field} Choices", choices, "a non-empty list of choices, each with a NextStep.")
    for choice in choices:
        if not isinstance(choice, dict):
            checker.fail(f"{field} Choices", choice, "a choice: a mapping with a NextStep.")
        _step_ref(
            checker,
            f"{field} Choices NextStep",
            choice.get("NextStep"),
            STEP_NAME_PATTERN,
            "the name of a step of the document.",
        )
    if "Default" in inputs:
        _step_ref(
            checker, f"{field} Default", inputs["Default"], STEP_NAME_PATTERN, "the name of a step of the document."
        )


_ACTION_INPUT_CHECKS: dict[str, Callable[[Checker, str, dict[str, Any]], None]] = {
    "aws:approve": _check_approve_inputs,
    "aws:sleep": _check_sleep_inputs,
    "aws:runCommand": _check_run_command_inputs,
    "aws:executeScript": _check_execute_script_inputs,
    "aws:branch": _check_branch_inputs,
}


def _references(step: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, step name) for every step a step names."""
    name = step.get("name")
    for key, attr in (("onFailure", "on_failure"), ("onCancel", "on_cancel")):
        value = step.get(key)
        if isinstance(value, str) and value.startswith("step:"):
            yield f"step {name!r} {attr}", value[len("step:") :]
    if isinstance(step.get("nextStep"), str):
        yield f"step {name!r} next_step", step["nextStep"]
    inputs = step.get("inputs")
    if step.get("action") == "aws:branch" and isinstance(inputs, dict):
        for choice in inputs.get("Choices") or []:
            if isinstance(choice, dict) and isinstance(choice.get("NextStep"), str):
                yield f"step {name!r} inputs Choices NextStep", choice["NextStep"]
        if isinstance(inputs.get("Default"), str):
            yield f"step {name!r} inputs Default", inputs["Default"]


def reference_problems(steps: Sequence[dict[str, Any]]) -> list[str]:
    """Every step named (``nextStep``, ``onFailure``/``onCancel: step:...``, branch choices) that
    is not a step of the document, as messages."""
    names = {s.get("name") for s in steps if isinstance(s, dict)}
    problems = []
    for step in steps:
        for field, target in _references(step):
            if not is_token(target) and target not in names:
                problems.append(
                    f"{field} {describe(target)} is not allowed: the name of a step of the document "
                    f"({', '.join(sorted(map(str, names))) or 'none'})."
                )
    return problems


def check_references(checker: Checker, steps: Sequence[dict[str, Any]]) -> None:
    """Refuse a document whose steps name a step it does not have."""
    problems = reference_problems(steps)
    if problems:
        raise ValidationError(f"{checker.path} ({checker.kind}): {problems[0]}")


def _walk(checker: Checker, field: str, value: Any) -> None:
    """A value the template can hold as JSON: strings, finite numbers, booleans, null, lists and
    mappings with string keys (and CDK tokens), at most MAX_CONTENT_DEPTH deep; iterative, and
    stopping at the first value past the size limit."""
    stack: list[tuple[Any, int, str]] = [(value, 0, field)]
    seen = 0
    while stack:
        item, depth, where = stack.pop()
        seen += 1
        if seen > MAX_CONTENT_BYTES:
            checker.fail(
                field, "a document of more than 65536 values", f"at most {MAX_CONTENT_BYTES} bytes of document content."
            )
        if depth > MAX_CONTENT_DEPTH:
            checker.fail(
                where, "a value nested too deeply", f"lists and mappings nested at most {MAX_CONTENT_DEPTH} deep."
            )
        if item is None or isinstance(item, (str, bool, int)):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                checker.fail(where, item, "a finite number (JSON has no NaN or infinity).")
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    checker.fail(f"{where} key", key, "a string (keys of a document are text; quote it in YAML).")
                stack.append((child, depth + 1, f"{where}.{key}"))
            continue
        if isinstance(item, (list, tuple)):
            stack.extend((child, depth + 1, f"{where}[{i}]") for i, child in enumerate(item))
            continue
        if is_resolvable(item):
            continue
        checker.fail(
            where,
            item,
            "a JSON value: text, a number, True/False, None, a list or a mapping "
            "(dates and times must be quoted text).",
        )


def content_size(checker: Checker, value: Any, *, field: str = "content") -> int:
    """The size in bytes of ``value`` as JSON in the template, after checking it is JSON (see
    :func:`_walk`); refused above MAX_CONTENT_BYTES."""
    _walk(checker, field, value)
    try:
        size = len(
            json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=lambda o: "${Token[x]}").encode(
                "utf-8"
            )
        )
    except (TypeError, ValueError, RecursionError) as error:  # pragma: no cover - _walk refuses these first
        checker.fail(field, value, f"a JSON value ({error}).")
    if size > MAX_CONTENT_BYTES:
        checker.fail(
            field,
            f"a document of {size} bytes",
            f"at most {MAX_CONTENT_BYTES} bytes of document content (the service's limit of 64 KB).",
        )
    return size


def check_parameters(checker: Checker, parameters: Any) -> None:
    """The document's ``parameters``: at most 200, names of 1-50 characters, each a mapping with a
    known ``type`` and the keys of a parameter definition."""
    if not isinstance(parameters, dict):
        checker.fail("parameters", parameters, "a mapping of parameter name to definition.")
    if len(parameters) > MAX_PARAMETERS:
        checker.fail(
            "parameters",
            f"{len(parameters)} parameters",
            f"at most {MAX_PARAMETERS} (StartAutomationExecution takes no more).",
        )
    for key, spec in parameters.items():
        checker.string("parameter name", key, max_len=MAX_PARAMETER_NAME_LENGTH)
        if not isinstance(spec, dict) or "type" not in spec:
            checker.fail(f"parameter {key!r}", spec, "a mapping with a 'type'.")
        unknown = [k for k in spec if k not in PARAMETER_KEYS]
        if unknown:
            checker.fail(
                f"parameter {key!r} key(s)",
                sorted(map(str, unknown)),
                f"the keys of a parameter are {', '.join(PARAMETER_KEYS)}.",
            )
        kind = spec["type"]
        if kind not in PARAMETER_TYPES:
            checker.fail(f"parameter {key!r} type", kind, f"one of {', '.join(PARAMETER_TYPES)}.")
        if "default" in spec:
            _check_default(checker, f"parameter {key!r} default", kind, spec["default"])
        if "allowedValues" in spec and not isinstance(spec["allowedValues"], list):
            checker.fail(f"parameter {key!r} allowedValues", spec["allowedValues"], "a list of values.")
        if "displayType" in spec and spec["displayType"] not in ("textfield", "textarea"):
            checker.fail(f"parameter {key!r} displayType", spec["displayType"], "textfield or textarea.")
        for bound in ("minItems", "maxItems", "minChars", "maxChars"):
            if bound in spec:
                _check_int(checker, f"parameter {key!r} {bound}", spec[bound], minimum=0, maximum=MAX_INTEGER)


def _check_default(checker: Checker, field: str, kind: str, value: Any) -> None:
    if _is_reference(value) or is_resolvable(value):
        return
    expected: tuple[type, ...] = {
        "String": (str,),
        "StringList": (list,),
        "Boolean": (bool,),
        "Integer": (int,),
        "MapList": (list,),
        "StringMap": (dict,),
    }[kind]
    if not isinstance(value, expected) or (kind == "Integer" and isinstance(value, bool)):
        checker.fail(field, value, f"a value of the parameter's type ({kind}).")
    if isinstance(value, list) and kind == "StringList" and not all(isinstance(v, str) for v in value):
        checker.fail(field, value, "a list of strings (the parameter is a StringList).")


def validate_document(checker: Checker, content: Any) -> dict[str, Any]:
    """Check an Automation document (its keys, schemaVersion, parameters, steps, size and the
    steps its steps name); return a copy."""
    if not isinstance(content, Mapping):
        checker.fail("content", content, "a mapping: an Automation document with schemaVersion '0.3' and mainSteps.")
    content_size(checker, dict(content))
    document = copy.deepcopy(dict(content))
    version = document.get("schemaVersion")
    if str(version) != "0.3":
        checker.fail("schemaVersion", version, "'0.3' (Automation documents).")
    document["schemaVersion"] = "0.3"
    steps = document.get("mainSteps")
    if steps is None:
        checker.fail(
            "mainSteps",
            sorted(document),
            "an Automation document lists its steps under 'mainSteps:' (a document without it cannot run).",
        )
    unknown = [key for key in document if key not in DOCUMENT_KEYS]
    if unknown:
        checker.fail(
            "document key(s)", sorted(unknown), f"the keys of an Automation document are {', '.join(DOCUMENT_KEYS)}."
        )
    if not isinstance(steps, list) or not steps:
        checker.fail("mainSteps", steps, "a non-empty list of steps.")
    seen: set[str] = set()
    for index, step in enumerate(steps):
        check_step(checker, index, step, seen)
    check_references(checker, steps)
    check_parameters(checker, document.get("parameters", {}))
    for key in ("description", "assumeRole"):
        if key in document and not is_resolvable(document[key]):
            checker.string(key, document[key], min_len=0, max_len=MAX_CONTENT_BYTES)
    return document


#: The largest runbook file read (a document holds at most 64 KB; YAML comments and layout
#: may make its file larger).
MAX_FILE_BYTES = 1024 * 1024


def _read_document(checker: Checker, file: pathlib.Path) -> Any:
    """The document in ``file``, read without echoing any of it in an error message."""
    shown = str(file)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            checker.fail("runbook file", shown, f"a file of at most {MAX_FILE_BYTES} bytes (this one has {size}).")
        raw = file.read_bytes()
    except OSError as error:
        raise ValidationError(
            f"{checker.path} (Runbook): cannot read runbook file {shown!r}: {error.strerror or type(error).__name__}."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"{checker.path} (Runbook): runbook file {shown!r} is not UTF-8 text (byte {error.start})."
        ) from None
    if file.suffix.lower() == ".json":
        try:
            content = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"{checker.path} (Runbook): runbook file {shown!r} is not valid YAML or JSON: "
                f"{error.msg} at line {error.lineno}, column {error.colno}."
            ) from None
        except RecursionError:
            raise ValidationError(
                f"{checker.path} (Runbook): runbook file {shown!r} nests values too deeply."
            ) from None
    else:
        content = _load_yaml(checker, shown, text)
    if not isinstance(content, dict):
        raise ValidationError(
            f"{checker.path} (Runbook): runbook file {shown!r} must hold a mapping with schemaVersion and mainSteps, "
            f"got {type(content).__name__}."
        )
    return content


def _load_yaml(checker: Checker, shown: str, text: str) -> Any:
    """YAML with its nesting and alias expansion bounded before a Python value is built."""
    prefix = f"{checker.path} (Runbook): runbook file {shown!r}"
    loader = yaml.SafeLoader(text)
    try:
        depth = 0
        # Events first: nesting is counted without building anything (and without recursion).
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_CONTENT_DEPTH:
                    raise ValidationError(f"{prefix} nests values more than {MAX_CONTENT_DEPTH} deep.")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(prefix, node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ValidationError(f"{prefix} is not valid YAML or JSON{where}: {error.problem or error.context}.") from None
    except yaml.YAMLError as error:
        raise ValidationError(f"{prefix} is not valid YAML or JSON ({type(error).__name__}).") from None
    finally:
        loader.dispose()


def _check_expansion(prefix: str, root: yaml.Node) -> None:
    """Refuse recursive aliases, and aliases that expand the document past MAX_CONTENT_BYTES values."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            visiting.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_CONTENT_BYTES:
                raise ValidationError(
                    f"{prefix} expands (through its aliases) to more than {MAX_CONTENT_BYTES} values; "
                    f"a document holds at most {MAX_CONTENT_BYTES} bytes."
                )
            continue
        if key in sizes:
            continue
        if key in visiting:
            raise ValidationError(f"{prefix} has a recursive alias (a value that contains itself).")
        visiting.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        return [n for pair in pairs for n in pair]
    return []


def _iso_duration(value: timedelta) -> str:
    """A timedelta as ISO 8601 (``PT5M``); a negative or fractional one as plain text, which the
    step check refuses."""
    seconds = value.total_seconds()
    if seconds < 0 or seconds != int(seconds):
        return f"{seconds:g} seconds"
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time_part = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    if not days and not time_part:
        return "PT0S"
    return "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")
