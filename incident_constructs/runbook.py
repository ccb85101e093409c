"""Runbooks: SSM Automation documents that a response plan runs during an incident."""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any, Mapping, Optional, Sequence, Union

import aws_cdk as cdk
import jsii
import typing_extensions as te
import yaml
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from ._validation import Checker, ValidationError, add_synth_validation, claim_unique_name, is_token

__all__ = ["IRunbook", "Runbook", "RunbookStep", "AUTOMATION_ACTIONS"]

DOCUMENT_NAME_PATTERN = r"[a-zA-Z0-9_\-.]{3,128}"
DOCUMENT_NAME_RULE = (
    "3-128 characters of letters, digits, '_', '-' and '.', not starting with 'aws', 'amazon' or 'amzn'."
)
RESERVED_PREFIXES = ("aws", "amazon", "amzn")

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
        for key, attr in (
            ("description", "description"),
            ("onFailure", "on_failure"),
            ("onCancel", "on_cancel"),
            ("timeoutSeconds", "timeout_seconds"),
            ("maxAttempts", "max_attempts"),
            ("isCritical", "is_critical"),
            ("isEnd", "is_end"),
            ("nextStep", "next_step"),
            ("outputs", "outputs"),
        ):
            value = options.pop(attr, None)
            if value is not None:
                step[key] = value
        if options:
            raise ValidationError(f"RunbookStep {name!r}: unknown option(s) {sorted(options)}.")
        step["inputs"] = dict(inputs)
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
        return copy.deepcopy(self._step)

    @staticmethod
    def pause(name: str, **options: Any) -> "RunbookStep":
        """``aws:pause``: wait until a responder resumes the automation (a manual step)."""
        return RunbookStep(name, "aws:pause", {}, **options)

    @staticmethod
    def approve(
        name: str,
        *,
        approvers: Sequence[str],
        message: Optional[str] = None,
        min_required_approvals: Optional[int] = None,
        notification_arn: Optional[str] = None,
        **options: Any,
    ) -> "RunbookStep":
        """``aws:approve``: wait for IAM principals (ARNs or user names) to approve."""
        inputs: dict[str, Any] = {"Approvers": list(approvers)}
        if message is not None:
            inputs["Message"] = message
        if min_required_approvals is not None:
            inputs["MinRequiredApprovals"] = min_required_approvals
        if notification_arn is not None:
            inputs["NotificationArn"] = notification_arn
        return RunbookStep(name, "aws:approve", inputs, **options)

    @staticmethod
    def execute_aws_api(
        name: str, *, service: str, api: str, parameters: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> "RunbookStep":
        """``aws:executeAwsApi``: call one AWS API (``service`` like ``ec2``, ``api`` like ``DescribeInstances``)."""
        return RunbookStep(name, "aws:executeAwsApi", {"Service": service, "Api": api, **(parameters or {})}, **options)

    @staticmethod
    def execute_script(
        name: str,
        *,
        script: str,
        handler: str = "handler",
        runtime: str = "python3.11",
        input_payload: Optional[Mapping[str, Any]] = None,
        **options: Any,
    ) -> "RunbookStep":
        """``aws:executeScript``: run a Python or PowerShell script."""
        inputs: dict[str, Any] = {"Runtime": runtime, "Handler": handler, "Script": script}
        if input_payload is not None:
            inputs["InputPayload"] = dict(input_payload)
        return RunbookStep(name, "aws:executeScript", inputs, **options)

    @staticmethod
    def run_command(
        name: str,
        *,
        document_name: str,
        instance_ids: Optional[Sequence[str]] = None,
        parameters: Optional[Mapping[str, Any]] = None,
        **options: Any,
    ) -> "RunbookStep":
        """``aws:runCommand``: run a Command document (``AWS-RunShellScript``, say) on instances."""
        inputs: dict[str, Any] = {"DocumentName": document_name}
        if instance_ids is not None:
            inputs["InstanceIds"] = list(instance_ids)
        if parameters is not None:
            inputs["Parameters"] = dict(parameters)
        return RunbookStep(name, "aws:runCommand", inputs, **options)

    @staticmethod
    def sleep(name: str, *, duration: cdk.Duration, **options: Any) -> "RunbookStep":
        """``aws:sleep``: wait for ``duration`` (rendered as ISO 8601, ``PT5M``)."""
        return RunbookStep(name, "aws:sleep", {"Duration": duration.to_iso_string()}, **options)

    @staticmethod
    def action(name: str, action: str, inputs: Optional[Mapping[str, Any]] = None, **options: Any) -> "RunbookStep":
        """Any Automation action (``aws:branch``, ``aws:executeAutomation``, ...), inputs as the service names them."""
        return RunbookStep(name, action, inputs or {}, **options)


@te.runtime_checkable
class IRunbook(cdk.IResource, te.Protocol):
    """An Automation document a response plan can run: owned (:class:`Runbook`) or imported
    (:meth:`Runbook.from_document_name`)."""

    @property
    def document_name(self) -> str:
        """The document's name (or, for a document shared by another account, its ARN)."""
        ...

    @property
    def parameter_types(self) -> Optional[dict[str, str]]:
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
    def parameter_types(self) -> Optional[dict[str, str]]:
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
        description: Optional[str] = None,
        steps: Optional[Sequence[RunbookStep]] = None,
        parameters: Optional[Mapping[str, Mapping[str, Any]]] = None,
        content: Optional[Mapping[str, Any]] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        checker = Checker(self, "Runbook")
        check_document_name(checker, "document_name", document_name)
        claim_unique_name(self, checker, "document", "document_name", document_name, scope=scope)
        self._checker = checker
        self._name = document_name
        if content is not None:
            if steps:
                checker.fail("steps", "steps and content", "give either steps or content, not both.")
            self._content = validate_document(checker, content)
        else:
            self._content = {
                "schemaVersion": "0.3",
                "assumeRole": "{{ AutomationAssumeRole }}",
                "parameters": copy.deepcopy(INCIDENT_PARAMETERS),
                "mainSteps": [],
            }
            if description is not None:
                self._content["description"] = description
        if parameters:
            for key, spec in parameters.items():
                if not isinstance(spec, Mapping) or "type" not in spec:
                    checker.fail(f"parameter {key!r}", spec, "a mapping with a 'type'.")
                self._content.setdefault("parameters", {})[key] = dict(spec)
        if description is not None and content is not None:
            self._content["description"] = description
        for step in steps or []:
            self.add_step(step)
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
        if not self._content["mainSteps"]:  # steps are never removed: only an empty runbook can fail the rule
            add_synth_validation(self, self._validate)

    @staticmethod
    def from_yaml_file(
        scope: Construct,
        id: str,
        path: Union[str, pathlib.Path],
        *,
        document_name: str,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> "Runbook":
        """Load a runbook from a YAML or JSON file and check it (``mainSteps``, actions, step names)."""
        where = f"{scope.node.path}/{id}"
        file = pathlib.Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise ValidationError(f"{where} (Runbook): cannot read runbook file {str(file)!r}: {error.strerror}.") from None
        try:
            content = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
        except (yaml.YAMLError, json.JSONDecodeError) as error:
            raise ValidationError(
                f"{where} (Runbook): runbook file {str(file)!r} is not valid YAML or JSON: {error}"
            ) from None
        if not isinstance(content, dict):
            raise ValidationError(
                f"{where} (Runbook): runbook file {str(file)!r} must hold a mapping with schemaVersion and mainSteps, "
                f"got {type(content).__name__}."
            )
        validate_document(Checker(where, f"Runbook from {file.name}"), content)
        return Runbook(scope, id, document_name=document_name, content=content, removal_policy=removal_policy)

    @staticmethod
    def from_document_name(scope: Construct, id: str, document_name: str) -> IRunbook:
        """Use an existing Automation document, by name (a document of the stack's account) or by
        ARN (a document another account shares with this one). Nothing is created; its
        parameters are not known, so a response plan passes none it is not given."""
        checker = Checker(f"{scope.node.path}/{id}", "Runbook")
        if not is_token(document_name):
            checker.string("document_name", document_name, min_len=3, max_len=128, pattern=r"[a-zA-Z0-9_\-.:/]{3,128}")
        return _ImportedRunbook(scope, id, document_name)

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
    def parameter_types(self) -> Optional[dict[str, str]]:
        return {k: str(v.get("type")) for k, v in (self._content.get("parameters") or {}).items()}

    @property
    def runs_as_automation_assume_role(self) -> bool:
        return "AutomationAssumeRole" in str(self._content.get("assumeRole", ""))

    @property
    def steps(self) -> list[dict[str, Any]]:
        """The document's ``mainSteps``."""
        return copy.deepcopy(self._content["mainSteps"])

    def add_step(self, step: RunbookStep) -> None:
        """Append a step; its action, required inputs and unique name are checked at once."""
        if not isinstance(step, RunbookStep):
            self._checker.fail("step", step, "a RunbookStep (RunbookStep.pause(...), RunbookStep.action(...), ...).")
        steps = self._content["mainSteps"]
        check_step(self._checker, len(steps), step.to_dict(), {s["name"] for s in steps})
        steps.append(step.to_dict())
        resource: Optional[ssm.CfnDocument] = getattr(self, "resource", None)
        if resource is not None:
            resource.content = self._content

    def content(self) -> dict[str, Any]:
        """The document content as it is rendered into the template."""
        return copy.deepcopy(self._content)

    def _validate(self) -> list[str]:
        if not self._content["mainSteps"]:
            return [f"Runbook {self._name!r} has no steps: give steps=[...] or call add_step()."]
        return []


def check_document_name(checker: Checker, field: str, name: Any) -> None:
    checker.string(field, name, min_len=3, max_len=128, pattern=DOCUMENT_NAME_PATTERN, pattern_text=DOCUMENT_NAME_RULE)
    if not is_token(name) and name.lower().startswith(RESERVED_PREFIXES):
        checker.fail(field, name, DOCUMENT_NAME_RULE)


def check_step(checker: Checker, index: int, step: Any, seen: set[str]) -> None:
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
    action = step.get("action")
    if action not in AUTOMATION_ACTIONS:
        checker.fail(f"step {name!r} action", action, f"one of {', '.join(sorted(AUTOMATION_ACTIONS))}.")
    inputs = step.get("inputs", {})
    if not isinstance(inputs, dict):
        checker.fail(f"step {name!r} inputs", inputs, "a mapping.")
    missing = [key for key in REQUIRED_INPUTS.get(action, ()) if key not in inputs]
    if action == "aws:sleep" and not ({"Duration", "Timestamp"} & set(inputs)):
        missing.append("Duration or Timestamp")
    if missing:
        checker.fail(f"step {name!r} inputs", sorted(inputs), f"{action} requires {', '.join(missing)}.")


def validate_document(checker: Checker, content: Mapping[str, Any]) -> dict[str, Any]:
    """Check an Automation document's shape; return a copy."""
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
    if not isinstance(steps, list) or not steps:
        checker.fail("mainSteps", steps, "a non-empty list of steps.")
    seen: set[str] = set()
    for index, step in enumerate(steps):
        check_step(checker, index, step, seen)
    parameters = document.get("parameters", {})
    if not isinstance(parameters, dict):
        checker.fail("parameters", parameters, "a mapping of parameter name to definition.")
    for key, spec in parameters.items():
        if not isinstance(spec, dict) or "type" not in spec:
            checker.fail(f"parameter {key!r}", spec, "a mapping with a 'type'.")
    return document
