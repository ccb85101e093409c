"""Integrations: what starts an incident and where its updates go.

- :mod:`.events`: :class:`IncidentTarget`, an EventBridge rule target that starts an incident
  (alarms use ``ResponsePlan.alarm_action()``);
- :mod:`.chat`: :class:`SlackChatChannel`, an AWS Chatbot channel wired to response plans;
- :mod:`.teams`: :class:`TeamsChatChannel`, the same for a Microsoft Teams channel;
- :mod:`.sharing`: AWS RAM shares behind ``ResponsePlan.share_with`` and ``ContactBase.share_with``.

PagerDuty is a property of the response plan: ``ResponsePlan(pager_duty=PagerDutyIntegration(...))``.
"""

from .chat import SlackChatChannel
from .events import IncidentTarget
from .teams import TeamsChatChannel

__all__ = ["IncidentTarget", "SlackChatChannel", "TeamsChatChannel"]
