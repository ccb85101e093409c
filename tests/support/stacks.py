"""Shared helpers for the test suite."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template


def new_app(**context: Any) -> cdk.App:
    """An app without aws-cdk-lib's built-in template validation (3-4 s per synth); the suite
    runs cfn-lint itself, batched."""
    return cdk.App(builtin_cloud_formation_validation=False, context=context or None)


def new_stack(stack_id: str = "TestStack", **kwargs: Any) -> cdk.Stack:
    """A fresh stack in a fresh app."""
    return cdk.Stack(new_app(), stack_id, **kwargs)


def template_of(stack: cdk.Stack) -> Template:
    return Template.from_stack(stack)


def resources_of(stack: cdk.Stack, cfn_type: str) -> dict[str, Any]:
    """The resources of one type, by logical id."""
    return {k: v for k, v in Template.from_stack(stack).to_json()["Resources"].items() if v["Type"] == cfn_type}
