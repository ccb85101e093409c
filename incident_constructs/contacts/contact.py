"""Personal contacts, their channels and their engagement plan."""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import jsii
import typing_extensions as te
from aws_cdk import aws_ssmcontacts as ssmcontacts
from constructs import Construct

from .._props import camel_case
from .._rules import (
    ALIAS_PATTERN,
    ALIAS_RULE,
    CHANNEL_NAME_PATTERN,
    CHANNEL_NAME_RULE,
    DEFAULT_RETRY_INTERVAL_MINUTES,
    DISPLAY_NAME_PATTERN,
    DISPLAY_NAME_RULE,
    MAX_ALIAS_LENGTH,
    MAX_CHANNEL_NAME_LENGTH,
    MAX_DISPLAY_NAME_LENGTH,
    MAX_ENGAGE_AFTER_MINUTES,
    MAX_RETRY_INTERVAL_MINUTES,
)
from .._rules import MAX_STAGE_MINUTES as MAX_STAGE_MINUTES  # the limit core.stages renders with
from .._validation import Checker, DurationLike, check_scope_and_id, claim_unique_name, is_token
from ..core.masking import mask_address
from ..core.stages import render_channel_stages

if TYPE_CHECKING:  # imported when used
    from aws_cdk import aws_ram as ram

__all__ = [
    "ChannelType",
    "Contact",
    "ContactBase",
    "ContactChannel",
    "ContactType",
    "IContact",
    "DEFAULT_RETRY_INTERVAL",
]

#: ``RetryIntervalInMinutes`` of a channel when none is given: Incident Manager tries the
#: channel again after this many minutes while nobody has acknowledged the engagement.
DEFAULT_RETRY_INTERVAL = cdk.Duration.minutes(DEFAULT_RETRY_INTERVAL_MINUTES)


class ContactType(str, enum.Enum):
    """The kind of an Incident Manager contact (CloudFormation ``Type``)."""

    #: A person, engaged through their contact channels.
    PERSONAL = "PERSONAL"
    #: An escalation plan: stages of contacts engaged one after the other.
    ESCALATION = "ESCALATION"
    #: An on-call schedule: whoever its rotations put on call.
    ONCALL_SCHEDULE = "ONCALL_SCHEDULE"


class ChannelType(str, enum.Enum):
    """How a contact channel reaches a person (CloudFormation ``ChannelType``)."""

    #: An email address.
    EMAIL = "EMAIL"
    #: A mobile phone number in E.164 format, for text messages.
    SMS = "SMS"
    #: A phone number in E.164 format, for voice calls.
    VOICE = "VOICE"


@te.runtime_checkable
class IContact(cdk.IResource, te.Protocol):
    """Anything Incident Manager can engage: a person, an escalation plan or an on-call schedule."""

    @property
    def contact_arn(self) -> str:
        """The ARN of the contact (``arn:<partition>:ssm-contacts:<region>:<account>:contact/<alias>``)."""
        ...

    @property
    def alias(self) -> str:
        """The contact's alias, unique in the account."""
        ...

    @property
    def contact_type(self) -> ContactType | None:
        """The contact's type, or None when it is not known (an imported contact)."""
        ...


@jsii.implements(IContact)
class ContactBase(cdk.Resource):
    """What owned and imported contacts share: the ARN, the alias and the type."""

    _contact_type: ContactType | None = None
    _arn: str | None = None
    _alias: str
    #: The ``AWS::SSMContacts::Contact`` of an owned contact (construct id ``Resource``).
    _resource: ssmcontacts.CfnContact | None = None

    @property
    def contact_arn(self) -> str:
        if self._arn is None:
            assert self._resource is not None
            self._arn = self._resource.attr_arn  # read once: the token never changes
        return self._arn

    @property
    def alias(self) -> str:
        return self._alias

    @property
    def contact_type(self) -> ContactType | None:
        return self._contact_type

    def __repr__(self) -> str:
        return f"{type(self).__name__}(alias={self._alias!r})"

    def share_with(self, *principals: str, allow_external_principals: bool = False) -> ram.CfnResourceShare:
        """Share this contact, escalation plan or on-call schedule with other accounts through AWS RAM.

        Each principal is a 12-digit account id, an organizational unit ARN or an organization ARN.
        The first call creates an ``AWS::RAM::ResourceShare`` (construct id ``Share``, below this
        construct); later calls add principals to it. Consumers see the contact and its engagements
        and can engage it from an incident; they cannot put it in an escalation plan of their own.
        See :mod:`incident_constructs.integrations.sharing`.

        :param principals: who the contact is shared with (at least one).
        :param allow_external_principals: allow accounts outside the organization. Default: False.
        """
        from ..integrations.sharing import share_name_for, share_resource

        if self._resource is None:
            Checker(self, type(self).__name__.lstrip("_")).fail(
                "share_with",
                self._arn,
                "a contact owned by this app: only the account that owns a contact can share it.",
            )
        return share_resource(
            self,
            self._checker,
            resource_arn=self.contact_arn,
            share_name=share_name_for("contact", self._alias),
            principals=principals,
            allow_external_principals=allow_external_principals,
        )

    def _set_up_contact(
        self, scope: Construct, kind: str, contact_type: ContactType, alias: str, display_name: str | None
    ) -> Checker:
        """Check the alias and display name of an owned contact and claim the alias in the app."""
        checker = Checker(self, kind)
        check_alias_and_display_name(checker, alias, display_name)
        claim_unique_name(self, checker, "contact", "alias", alias, scope=scope)
        self._checker = checker
        self._alias = alias
        self._contact_type = contact_type
        return checker

    def _contact_resource(
        self, display_name: str | None, removal_policy: cdk.RemovalPolicy, plan: Any = None
    ) -> ssmcontacts.CfnContact:
        """The contact's ``AWS::SSMContacts::Contact`` at construct id ``Resource``."""
        assert self._contact_type is not None
        check_removal_policy(self._checker, removal_policy)
        resource = ssmcontacts.CfnContact(
            self,
            "Resource",
            alias=self._alias,
            display_name=display_name or self._alias,
            type=ContactType(self._contact_type).value,
            plan=plan,
        )
        resource.apply_removal_policy(removal_policy)
        self._resource = resource
        return resource


class _ImportedContact(ContactBase):
    def __init__(self, scope: Construct, id: str, *, arn: str, alias: str, contact_type: ContactType | None) -> None:
        super().__init__(scope, id, environment_from_arn=None if is_token(arn) else arn)
        self._arn = arn
        self._alias = alias
        self._contact_type = contact_type


def contact_arn_for_alias(scope: Construct, alias: str) -> str:
    """The ARN of the contact with ``alias`` in the stack's account and region."""
    return cdk.Stack.of(scope).format_arn(
        service="ssm-contacts", resource="contact", resource_name=alias, arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME
    )


def import_contact(
    scope: Construct, id: str, *, arn: str | None, alias: str | None, contact_type: ContactType | None, kind: str
) -> IContact:
    """Shared by the ``from_*`` methods of every contact class."""
    checker = Checker(check_scope_and_id(kind, scope, id), kind)
    if arn is None and alias is None:
        checker.fail("contact_arn or alias", None, "give a contact ARN or an alias.")
    if alias is not None:
        checker.string("alias", alias, max_len=MAX_ALIAS_LENGTH, pattern=ALIAS_PATTERN, pattern_text=ALIAS_RULE)
    if arn is not None:
        checker.string("contact_arn", arn, min_len=1, max_len=2048)
        if not is_token(arn):
            parts = arn.split(":")
            if len(parts) != 6 or parts[2] != "ssm-contacts" or not parts[5].startswith("contact/"):
                checker.fail("contact_arn", arn, "an ARN like arn:aws:ssm-contacts:<region>:<account>:contact/<alias>.")
            arn_alias = parts[5].split("/", 1)[1]
            if alias is not None and alias != arn_alias:
                checker.fail("alias", alias, f"the alias in contact_arn ({arn_alias!r}).")
            alias = arn_alias
        elif alias is None:
            alias = cdk.Fn.select(1, cdk.Fn.split("/", arn))
    else:
        assert alias is not None
        arn = contact_arn_for_alias(scope, alias)
    return _ImportedContact(scope, id, arn=arn, alias=alias, contact_type=contact_type)


class ContactChannel:
    """One way of reaching a personal contact: an email address, an SMS number or a voice number.

    Created by :meth:`Contact.add_email_channel`, :meth:`Contact.add_sms_channel`,
    :meth:`Contact.add_voice_channel` or :meth:`Contact.add_channel`; its
    ``AWS::SSMContacts::ContactChannel`` (:attr:`resource`) is a child of the contact whose
    construct id is the channel name.
    """

    def __init__(
        self,
        *,
        name: str,
        channel_type: ChannelType,
        engage_after_minutes: int | None,
        retry_interval_minutes: int | None,
        resource: ssmcontacts.CfnContactChannel,
    ) -> None:
        #: The channel name, shown in the console and in engagements.
        self.name = name
        #: EMAIL, SMS or VOICE.
        self.channel_type = channel_type
        #: Minutes after the contact is engaged that this channel is engaged.
        self.engage_after_minutes = engage_after_minutes
        #: Minutes between retries of this channel until someone acknowledges.
        self.retry_interval_minutes = retry_interval_minutes
        #: The ``AWS::SSMContacts::ContactChannel`` resource.
        self.resource = resource
        self._arn: str | None = None

    @property
    def channel_arn(self) -> str:
        """The channel's ARN (a token)."""
        if self._arn is None:
            self._arn = self.resource.attr_arn
        return self._arn

    def __repr__(self) -> str:
        return (
            f"ContactChannel(name={self.name!r}, channel_type={self.channel_type.value}, "
            f"engage_after_minutes={self.engage_after_minutes!r})"
        )


def _check_address(checker: Checker, channel_type: ChannelType, name: str, address: Any) -> None:
    field = f"address of channel {name!r}"
    if not isinstance(address, str):
        checker.fail(field, address, "a string is required.", show_value=False)
    if is_token(address):
        return
    if not (1 <= len(address) <= 320):
        checker.fail(field, address, "1 to 320 characters.", show_value=False)
    if channel_type is ChannelType.EMAIL:
        import email_validator

        try:
            email_validator.validate_email(address, check_deliverability=False)
        except email_validator.EmailNotValidError as error:
            checker.fail(field, mask_address(address), f"an email address is required ({error}).")
        return
    import phonenumbers

    example = "an E.164 phone number: '+', the country code and the number, digits only, e.g. +12065550100."
    if not address.startswith("+") or not address[1:].isascii() or not address[1:].isdigit():
        checker.fail(field, mask_address(address), example)
    try:
        number = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException as error:
        checker.fail(field, mask_address(address), f"{example} ({error})")
    if not phonenumbers.is_valid_number(number):
        checker.fail(field, mask_address(address), f"{example} (not a valid number for its country code)")


class Contact(ContactBase):
    """A person that Incident Manager engages (an ``AWS::SSMContacts::Contact`` of type PERSONAL).

    Channels are added with :meth:`add_email_channel`, :meth:`add_sms_channel` and
    :meth:`add_voice_channel`; each gets an ``engage_after`` time, counted from the moment
    the contact is engaged. The engagement plan is a separate ``AWS::SSMContacts::Plan``
    (an inline plan naming the contact's own channels would be a circular dependency).

    How ``engage_after`` times become stages: the service starts stage *k* after the
    durations of stages 1..k-1, and a stage lasts at most 30 minutes. Channels with the
    same time share a stage; each stage lasts until the next channel's time. Gaps longer
    than 30 minutes (and a first channel later than minute 0) are filled with stages
    that engage nobody, so every time is expressed faithfully: email at 0 and SMS at 45
    become ``[email, 30 min] [nobody, 15 min] [SMS, 0 min]``.

    Construct ids (logical ids follow from them): the contact is ``Resource``, the plan
    ``Plan``, each channel its channel name. Every resource is retained when removed from
    the stack unless ``removal_policy`` says otherwise.

    :param scope: the parent construct.
    :param id: the construct id.
    :param alias: the contact's unique alias (create-only: changing it replaces the contact and its channels).
    :param display_name: the name shown in the console. Default: the alias.
    :param removal_policy: what happens to the contact, channels and plan when removed from the stack.
        Default: ``RemovalPolicy.RETAIN``.
    :param default_retry_interval: retry interval for channels that give none. Default: 5 minutes.
    :param defer_activation: create channels without sending the activation code; the person activates
        them later in the console. Default: the service's default (activation code sent at creation).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alias: str,
        display_name: str | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
        default_retry_interval: DurationLike = DEFAULT_RETRY_INTERVAL,
        defer_activation: bool | None = None,
    ) -> None:
        check_scope_and_id("Contact", scope, id)
        super().__init__(scope, id)
        if defer_activation is not None:
            Checker(self, "Contact").boolean("defer_activation", defer_activation)
        self._retry = Checker(self, "Contact").whole_minutes(
            "default_retry_interval", default_retry_interval, maximum=MAX_RETRY_INTERVAL_MINUTES
        )
        self._set_up_contact(scope, "Contact", ContactType.PERSONAL, alias, display_name)
        self._removal_policy = removal_policy
        self._defer_activation = defer_activation
        self._channels: list[ContactChannel] = []
        #: The ``AWS::SSMContacts::Contact`` resource (construct id ``Resource``).
        self.resource = self._contact_resource(display_name, removal_policy)
        #: The engagement plan, an ``AWS::SSMContacts::Plan`` (construct id ``Plan``); created
        #: with the first channel, None until then.
        self.plan: ssmcontacts.CfnPlan | None = None

    # -- imports ---------------------------------------------------------------------------
    @staticmethod
    def from_contact_arn(scope: Construct, id: str, contact_arn: str) -> IContact:
        """Use an existing contact, by ARN."""
        return import_contact(scope, id, arn=contact_arn, alias=None, contact_type=None, kind="Contact")

    @staticmethod
    def from_contact_alias(scope: Construct, id: str, alias: str) -> IContact:
        """Use an existing contact of the stack's account and region, by alias."""
        return import_contact(scope, id, arn=None, alias=alias, contact_type=None, kind="Contact")

    @staticmethod
    def from_contact_attributes(
        scope: Construct,
        id: str,
        *,
        contact_arn: str | None = None,
        alias: str | None = None,
        contact_type: ContactType | None = None,
    ) -> IContact:
        """Use an existing contact, by ARN or alias (at least one), and its type when known."""
        if contact_type is not None:
            try:
                contact_type = ContactType(contact_type)
            except ValueError:
                Checker(f"{scope.node.path}/{id}", "Contact").fail(
                    "contact_type", contact_type, "PERSONAL, ESCALATION or ONCALL_SCHEDULE."
                )
        return import_contact(scope, id, arn=contact_arn, alias=alias, contact_type=contact_type, kind="Contact")

    # -- attributes ------------------------------------------------------------------------
    @property
    def channels(self) -> list[ContactChannel]:
        """The contact's channels, in the order they were added."""
        return list(self._channels)

    # -- channels --------------------------------------------------------------------------
    def add_email_channel(
        self,
        name: str,
        address: str,
        *,
        engage_after: DurationLike = timedelta(0),
        retry_interval: DurationLike | None = None,
    ) -> ContactChannel:
        """Add an email channel.

        :param name: the channel name, unique for this contact (it is also the construct id).
        :param address: the email address, or a token (an SSM parameter value, say).
        :param engage_after: time after the contact is engaged. Default: 0 minutes.
        :param retry_interval: minutes between retries, 0-60. Default: the contact's default.
        """
        return self.add_channel(
            ChannelType.EMAIL, name, address, engage_after=engage_after, retry_interval=retry_interval
        )

    def add_sms_channel(
        self,
        name: str,
        phone_number: str,
        *,
        engage_after: DurationLike = timedelta(0),
        retry_interval: DurationLike | None = None,
    ) -> ContactChannel:
        """Add a text message channel; ``phone_number`` in E.164 (``+12065550100``) or a token."""
        return self.add_channel(
            ChannelType.SMS, name, phone_number, engage_after=engage_after, retry_interval=retry_interval
        )

    def add_voice_channel(
        self,
        name: str,
        phone_number: str,
        *,
        engage_after: DurationLike = timedelta(0),
        retry_interval: DurationLike | None = None,
    ) -> ContactChannel:
        """Add a voice call channel; ``phone_number`` in E.164 (``+12065550100``) or a token."""
        return self.add_channel(
            ChannelType.VOICE, name, phone_number, engage_after=engage_after, retry_interval=retry_interval
        )

    def add_channel(
        self,
        channel_type: ChannelType,
        name: str,
        address: str,
        *,
        engage_after: DurationLike = timedelta(0),
        retry_interval: DurationLike | None = None,
    ) -> ContactChannel:
        """Add a channel of any type; see :meth:`add_email_channel`."""
        checker = self._checker
        try:
            channel_type = ChannelType(channel_type)
        except ValueError:
            checker.fail("channel_type", channel_type, "EMAIL, SMS or VOICE.")
        checker.string(
            "channel name",
            name,
            max_len=MAX_CHANNEL_NAME_LENGTH,
            pattern=CHANNEL_NAME_PATTERN,
            pattern_text=CHANNEL_NAME_RULE,
        )
        if is_token(name):
            checker.fail("channel name", name, "a name known at synth time (it is also the construct id).")
        if isinstance(name, str) and name.replace("/", "-") in ("Plan", "Resource"):
            checker.fail(
                "channel name", name, "'Plan' and 'Resource' are the construct ids of the contact's own resources."
            )
        if isinstance(name, str) and name.replace("/", "-") == "Share":  # integrations.sharing.SHARE_ID
            checker.fail(
                "channel name", name, "'Share' is the construct id of the contact's AWS RAM share (share_with)."
            )
        if any(c.name == name for c in self._channels):
            checker.fail("channel name", name, "channel names must be unique within a contact.")
        _check_address(checker, channel_type, name, address)
        minutes = checker.whole_minutes(
            f"engage_after of channel {name!r}", engage_after, minimum=0, maximum=MAX_ENGAGE_AFTER_MINUTES
        )
        retry = (
            self._retry
            if retry_interval is None
            else checker.whole_minutes(
                f"retry_interval of channel {name!r}", retry_interval, maximum=MAX_RETRY_INTERVAL_MINUTES
            )
        )
        if minutes is None:
            checker.fail(f"engage_after of channel {name!r}", "a token", "a time known at synth time.")
        resource = ssmcontacts.CfnContactChannel(
            self,
            name.replace("/", "-"),
            channel_address=address,
            channel_name=name,
            channel_type=channel_type.value,
            contact_id=self.contact_arn,
            defer_activation=self._defer_activation,
        )
        resource.apply_removal_policy(self._removal_policy)
        channel = ContactChannel(
            name=name,
            channel_type=channel_type,
            engage_after_minutes=minutes,
            retry_interval_minutes=retry,
            resource=resource,
        )
        self._channels.append(channel)
        if self.plan is None:
            # Created with its first stage; each later channel sets the stages again (one round
            # trip), so the L1 always holds a real list and index overrides merge into it.
            self.plan = ssmcontacts.CfnPlan(self, "Plan", contact_id=self.contact_arn, stages=self._camel_stages())
            self.plan.apply_removal_policy(self._removal_policy)
        else:
            self.plan.stages = self._camel_stages()
        return channel

    def apply_removal_policy(self, policy: cdk.RemovalPolicy) -> None:
        """Apply ``policy`` to the contact, its engagement plan and its channels, including
        channels added later (they are one unit: the plan and channels name the contact)."""
        check_removal_policy(self._checker, policy)
        self._removal_policy = policy
        for resource in self._own_resources():
            resource.apply_removal_policy(policy)

    def _own_resources(self) -> list[cdk.CfnResource]:
        resources: list[cdk.CfnResource] = [self.resource, *(c.resource for c in self._channels)]
        if self.plan is not None:
            resources.append(self.plan)
        return resources

    def engagement_stages(self) -> list[dict[str, Any]]:
        """The engagement plan's stages as the template holds them (see the class docs)."""
        return cdk.Stack.of(self).resolve(self._stages())  # type: ignore[no-any-return]

    def _stages(self) -> list[dict[str, Any]]:
        return render_channel_stages(
            [(c.engage_after_minutes or 0, c.channel_arn, c.retry_interval_minutes or 0) for c in self._channels]
        )

    def _camel_stages(self) -> Any:  # the L1 takes its structs as camelCase dicts
        return camel_case(self._stages())


def check_removal_policy(checker: Checker, policy: Any) -> None:
    """Contacts, channels and plans have no snapshot: SNAPSHOT would fail at deploy time."""
    if policy == cdk.RemovalPolicy.SNAPSHOT or not isinstance(policy, cdk.RemovalPolicy):
        checker.fail(
            "removal_policy",
            policy,
            "RETAIN, DESTROY or RETAIN_ON_UPDATE_OR_DELETE (an Incident Manager contact has no snapshot).",
        )


def check_alias_and_display_name(checker: Checker, alias: Any, display_name: Any) -> None:
    checker.string("alias", alias, max_len=MAX_ALIAS_LENGTH, pattern=ALIAS_PATTERN, pattern_text=ALIAS_RULE)
    checker.string(
        "display_name",
        display_name,
        max_len=MAX_DISPLAY_NAME_LENGTH,
        pattern=DISPLAY_NAME_PATTERN,
        pattern_text=DISPLAY_NAME_RULE,
        optional=True,
    )


def require_contact(checker: Checker, field: str, value: Any) -> IContact:
    if not isinstance(value, IContact):
        checker.fail(field, value, "a contact (Contact, EscalationPlan, OnCallSchedule or an imported contact).")
    contact: IContact = value
    return contact
