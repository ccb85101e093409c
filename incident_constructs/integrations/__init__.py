"""Integrations: what starts an incident and where its updates go.

- :mod:`.events`: :class:`IncidentTarget`, an EventBridge rule target that starts an incident
  (alarms use ``ResponsePlan.alarm_action()``);
- :mod:`.chat`: :class:`SlackChatChannel`, an AWS Chatbot channel wired to response plans.

PagerDuty is a property of the response plan: ``ResponsePlan(pager_duty=PagerDutyIntegration(...))``.
"""

from .chat import SlackChatChannel
from .events import IncidentTarget

__all__ = ["IncidentTarget", "SlackChatChannel"]
