"""Draw the Incident Manager set-up of a cloud assembly as Mermaid or Graphviz (dot) text.

Response plans point to what they engage; escalation plans to their stages (with the
minute each begins, its duration and whether an acknowledgement stops progression);
stages to contacts; personal contacts to their channels (masked address, the minute after
engagement, the retry interval); on-call schedules to their rotations (with how many overrides
they have) and members. Around the plans: the CloudWatch alarms and EventBridge rules that start
their incidents (a plan elsewhere, named by ARN, is drawn as such), the Slack and Microsoft Teams
channels (AWS Chatbot) they post to, and the accounts, organizational units and organizations
that AWS RAM shares plans and contacts with. Principals are shown as written: account ids are not
personal data, and the tools show them in ARNs too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .assembly import Contact, IncidentSetup, ResourceShareInfo, ResponsePlanInfo

__all__ = ["Graph", "build_graph", "to_dot", "to_mermaid"]


@dataclass
class Graph:
    """Nodes (id -> (kind, label lines)) and edges (from, to, label), in drawing order."""

    nodes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)


def _node_id(key: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if len(text) > 80:  # an unresolved reference written out: keep ids short and distinct
        text = text[:60] + "_" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:12]
    return "n_" + text


def build_graph(setup: IncidentSetup, response_plan: str | None = None) -> Graph:
    """The graph of every response plan (or only ``response_plan``) and what it reaches."""
    plans = (
        [setup.response_plan(response_plan)]
        if response_plan
        else sorted(setup.response_plans.values(), key=lambda p: p.name)
    )
    builder = _GraphBuilder(setup)
    for plan in plans:
        builder.response_plan_node(plan)
    builder.integrations(None if not response_plan else {plans[0].name})
    return builder.graph


_TITLES = {"PERSONAL": "contact", "ESCALATION": "escalation plan", "ONCALL_SCHEDULE": "on-call schedule"}


class _GraphBuilder:
    """Adds each response plan and what it reaches to one graph, each contact once."""

    def __init__(self, setup: IncidentSetup) -> None:
        self.setup = setup
        self.graph = Graph()
        self.done: set[str] = set()
        self._plans_by_key = {plan.key: plan for plan in setup.response_plans.values()}
        self._shared_edges: set[tuple[str, str, str]] = set()

    def response_plan_node(self, plan: ResponsePlanInfo) -> None:
        pid = _node_id(plan.key)
        lines = [plan.name, "response plan"]
        if plan.runbook:
            lines.append(f"runbook {plan.runbook}")
        self.graph.nodes[pid] = ("response_plan", lines)
        for key in plan.engagements:
            self.graph.edges.append((pid, self.contact_node(self.setup.contacts[key]), "engages at 0 min"))

    def contact_node(self, contact: Contact) -> str:
        nid = _node_id(contact.key)
        if contact.key in self.done:
            return nid
        self.done.add(contact.key)
        kind = contact.contact_type
        title = _TITLES.get(kind, "contact (not in this assembly)")
        self.graph.nodes[nid] = (kind.lower() if not contact.external else "external", [contact.alias, title])
        if kind == "PERSONAL":
            self._channels(nid, contact)
        elif kind == "ONCALL_SCHEDULE":
            for rotation_key in contact.rotation_ids:
                self._rotation(nid, rotation_key)
        else:
            self._stages(nid, contact)
        return nid

    def _channels(self, nid: str, contact: Contact) -> None:
        """A personal contact's channels, with the minute each is paged after engagement."""
        offset = 0
        for stage in contact.stages:
            for target in stage.targets:
                if target.kind != "channel" or target.ref not in self.setup.channels:
                    continue
                channel = self.setup.channels[target.ref]
                cid = _node_id(channel.key)
                retry = (
                    f"retry every {target.retry_interval_minutes} min" if target.retry_interval_minutes else "no retry"
                )
                self.graph.nodes[cid] = ("channel", [f"{channel.channel_type} {channel.address}", retry])
                self.graph.edges.append((nid, cid, f"+{offset} min"))
            offset += stage.duration_minutes

    def _rotation(self, nid: str, rotation_key: str) -> None:
        """A schedule's rotation, with its members in shift order."""
        rotation = self.setup.rotations.get(rotation_key)
        rid = _node_id(rotation_key)
        if rotation is None:
            self.graph.nodes[rid] = ("external", [self.setup.label(rotation_key), "rotation (not in this assembly)"])
            self.graph.edges.append((nid, rid, ""))
            return
        recurrence = rotation.recurrence
        lines = [rotation.name, f"rotation, {_hand_off_text(recurrence)}", rotation.time_zone_id]
        coverage = _coverage_text(recurrence)
        on_calls = recurrence.get("NumberOfOnCalls", 1)
        lines.append(
            f"{on_calls if isinstance(on_calls, int) else '?'} on call" + (f", {coverage}" if coverage else "")
        )
        if rotation.overrides:
            count = len(rotation.overrides)
            lines.append(f"{count} override{'s' if count > 1 else ''}")
        self.graph.nodes[rid] = ("rotation", lines)
        self.graph.edges.append((nid, rid, ""))
        for order, member in enumerate(rotation.contact_ids, start=1):
            self.graph.edges.append((rid, self.contact_node(self.setup.contacts[member]), f"#{order}"))

    def _stages(self, nid: str, contact: Contact) -> None:
        """An escalation plan's stages: when each begins, how long it lasts, what it engages."""
        offset = 0
        for index, stage in enumerate(contact.stages, start=1):
            sid = f"{nid}_stage{index}"
            lines = [f"stage {index}", f"at {offset} min, lasts {stage.duration_minutes} min"]
            if any(t.is_essential for t in stage.targets):
                lines.append("ack stops progression")
            self.graph.nodes[sid] = ("stage", lines)
            self.graph.edges.append((nid, sid, ""))
            for target in stage.targets:
                if target.kind == "contact":
                    self.graph.edges.append((sid, self.contact_node(self.setup.contacts[target.ref]), ""))
            offset += stage.duration_minutes

    # -- alarms, rules, chat channels and shares -------------------------------------------------
    def integrations(self, names: set[str] | None) -> None:
        """What starts the incidents of the plans drawn (``names``; None: all plans), where they
        are posted, and with whom the plans and contacts drawn are shared (all shares when None)."""
        setup = self.setup
        for alarm in sorted(setup.alarms.values(), key=lambda a: (a.name, a.key)):
            lines = [alarm.name, "CloudWatch alarm"] + ([alarm.condition] if alarm.condition else [])
            self._starts(alarm.key, "alarm", lines, alarm.response_plans, names)
        for rule in sorted(setup.event_rules.values(), key=lambda r: (r.name, r.key)):
            lines = [rule.name, "EventBridge rule"]
            if rule.sources:
                lines.append("source " + ", ".join(rule.sources))
            self._starts(rule.key, "event_rule", lines, rule.response_plans, names)
        for channel in sorted(setup.chat_channels.values(), key=lambda c: (c.name, c.key)):
            plans = [n for n in channel.response_plans if names is None or n in names]
            if names is not None and not plans:
                continue
            cid = _node_id(channel.key)
            self.graph.nodes[cid] = ("chat_channel", [channel.name, f"{channel.kind} channel (AWS Chatbot)"])
            for name in plans:
                self.graph.edges.append((_node_id(setup.response_plans[name].key), cid, "posts updates"))
        drawn = set(self.graph.nodes)
        for share in sorted(setup.shares.values(), key=lambda s: (s.name, s.key)):
            self._share(share, None if names is None else drawn)

    def _starts(self, key: str, kind: str, lines: list[str], plans: tuple[str, ...], names: set[str] | None) -> None:
        """An alarm or a rule, with an edge to each response plan (drawn) whose incidents it starts."""
        targets = [n for n in plans if names is None or n in names]
        if not targets:
            return
        nid = _node_id(key)
        self.graph.nodes[nid] = (kind, lines)
        for name in targets:
            self.graph.edges.append((nid, self._plan_target(name), "starts an incident"))

    def _plan_target(self, name: str) -> str:
        """The node of a response plan of the assembly, or of one elsewhere named by its ARN."""
        plan = self.setup.response_plans.get(name)
        if plan is not None:
            return _node_id(plan.key)
        nid = _node_id("~plan~" + name)
        match = _PLAN_ARN.search(name)
        lines = [match.group(2) if match else name, "response plan (not in this assembly)"]
        if match and match.group(1):
            lines.append(f"account {match.group(1)}")
        self.graph.nodes[nid] = ("external", lines)
        return nid

    def _share(self, share: ResourceShareInfo, drawn: set[str] | None) -> None:
        """Edges from each shared plan or contact to each principal. With ``drawn``, only the
        resources already drawn (a diagram of one plan); otherwise every resource of the share."""
        sources = []
        for resource in share.resources:
            nid = self._shared_node(resource, draw=drawn is None)
            if nid is not None and (drawn is None or nid in drawn):
                sources.append(nid)
        if not sources:
            return
        label = "shared (RAM" + (
            ", accounts outside the organization allowed)" if share.allow_external_principals else ")"
        )
        for principal in share.principals:
            pid = _node_id("~principal~" + principal)
            self.graph.nodes[pid] = ("principal", _principal_lines(principal))
            for source in sources:
                if (source, pid, label) not in self._shared_edges:
                    self._shared_edges.add((source, pid, label))
                    self.graph.edges.append((source, pid, label))

    def _shared_node(self, resource: str, *, draw: bool) -> str | None:
        """The node of a shared resource: a plan, a contact (drawn when ``draw``), or, when
        ``draw``, a resource of Incident Manager outside the assembly."""
        setup = self.setup
        if resource in self._plans_by_key:
            return _node_id(resource)
        contact = setup.contacts.get(resource)
        if contact is not None:
            return self.contact_node(contact) if draw else _node_id(contact.key)
        if not draw:
            return None
        nid = _node_id("~shared~" + resource)
        if resource.startswith("alias:"):
            lines = [resource[len("alias:") :], "contact (not in this assembly)"]
        else:
            lines = [resource, "(not in this assembly)"]
        self.graph.nodes[nid] = ("external", lines)
        return nid


#: A response plan's ARN: the account (may be empty) and the name.
_PLAN_ARN = re.compile(r":ssm-incidents:[^:]*:([0-9]*):response-plan/([^/]*)$")
_ORGANIZATIONS = re.compile(r"^arn:[^:]*:organizations::[^:]*:(ou|organization)/(.+)$")


def _principal_lines(principal: str) -> list[str]:
    """``222222222222`` / ``account``; an OU's or organization's id / what it is."""
    match = _ORGANIZATIONS.match(principal)
    if match is None:
        kind = "account" if principal.isdigit() and len(principal) == 12 else "principal"
        return [principal, kind]
    if match.group(1) == "ou":
        return [match.group(2).rsplit("/", 1)[-1], "organizational unit"]
    return [match.group(2), "organization"]


def _hand_off_text(recurrence: dict[str, Any]) -> str:
    """``weekly MON 09:00``, ``daily 09:00``, ``monthly day 1 09:00`` (first setting)."""
    for key, word in (("DailySettings", "daily"), ("WeeklySettings", "weekly"), ("MonthlySettings", "monthly")):
        settings = recurrence.get(key) or []
        if not isinstance(settings, list):
            return f"{word} (unreadable settings)"
        if settings:
            first = settings[0]
            if isinstance(first, str):
                return f"{word} {first}"
            if not isinstance(first, dict):
                return f"{word} (unreadable settings)"
            day = first.get("DayOfWeek") or (f"day {first['DayOfMonth']}" if "DayOfMonth" in first else "")
            text = f"{word} {day} {first.get('HandOffTime', '')}".replace("  ", " ").strip()
            return text + (f" (+{len(settings) - 1} more)" if len(settings) > 1 else "")
    return "no hand-off"


def _coverage_text(recurrence: dict[str, Any]) -> str:
    """``covered MON-SUN 08:00-16:00``, or empty for around the clock."""
    coverages = recurrence.get("ShiftCoverages") or []
    if not coverages:
        return ""
    if not isinstance(coverages, list) or not all(isinstance(c, dict) for c in coverages):
        return "covered (unreadable windows)"
    windows = {
        ", ".join(
            f"{w.get('StartTime')}-{w.get('EndTime')}" if isinstance(w, dict) else "?"
            for w in _list(c.get("CoverageTimes"))
        )
        for c in coverages
    }
    days = [c.get("DayOfWeek") for c in coverages]
    day_text = "MON-SUN" if len(days) == 7 else ",".join(str(d) for d in days)
    if len(windows) == 1:
        return f"covered {day_text} {windows.pop()}"
    return f"covered {day_text} (several windows)"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_DOT_STYLE = {
    "response_plan": 'shape=box, style="filled,bold", fillcolor="#f6d7a7"',
    "escalation": 'shape=box, style="filled,rounded", fillcolor="#c9e4de"',
    "stage": 'shape=box, style="filled,dashed", fillcolor="#f2f2f2", fontsize=10',
    "personal": 'shape=box, style="filled", fillcolor="#c6def1"',
    "oncall_schedule": 'shape=box, style="filled,rounded", fillcolor="#dbcdf0"',
    "rotation": 'shape=box, style="filled", fillcolor="#efe5fa", fontsize=10',
    "channel": 'shape=note, style="filled", fillcolor="#ffffff", fontsize=10',
    "external": 'shape=box, style="dashed"',
    "alarm": 'shape=hexagon, style="filled", fillcolor="#f4c7c3"',
    "event_rule": 'shape=cds, style="filled", fillcolor="#fce8b2"',
    "chat_channel": 'shape=component, style="filled", fillcolor="#d9ead3"',
    "principal": 'shape=house, style="filled", fillcolor="#eeeeee", fontsize=10',
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(text: str) -> str:
    """A label without control characters (a template may hold anything), at most 200 characters."""
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= 200 else text[:197] + "..."


def _dot_text(text: str) -> str:
    return _clean(text).replace("\\", "\\\\").replace('"', '\\"')


def to_dot(graph: Graph) -> str:
    """Graphviz text; render with ``dot -Tpng``."""
    out = [
        "digraph incident {",
        "  rankdir=LR;",
        "  ordering=out;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    for nid, (kind, lines) in graph.nodes.items():
        label = "\\n".join(_dot_text(line) for line in lines)
        out.append(f'  {nid} [label="{label}", {_DOT_STYLE.get(kind, "shape=box")}];')
    for source, target, label in graph.edges:
        out.append(f"  {source} -> {target}" + (f' [label="{_dot_text(label)}"];' if label else ";"))
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return _clean(text).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


_MERMAID_SHAPE = {
    "stage": ("[/", "/]"),
    "channel": ("[(", ")]"),
    "response_plan": ("[[", "]]"),
    "escalation": ("(", ")"),
    "alarm": ("{{", "}}"),
    "event_rule": ("[/", "\\]"),
    "chat_channel": ("([", "])"),
    "principal": (">", "]"),
}


def to_mermaid(graph: Graph) -> str:
    """Mermaid flowchart text (GitHub renders it in a ```` ```mermaid ```` block)."""
    out = ["flowchart LR"]
    for nid, (kind, lines) in graph.nodes.items():
        left, right = _MERMAID_SHAPE.get(kind, ("[", "]"))
        label = "<br/>".join(_mermaid_text(line) for line in lines)
        out.append(f'  {nid}{left}"{label}"{right}')
    for source, target, label in graph.edges:
        out.append(f'  {source} -->|"{_mermaid_text(label)}"| {target}' if label else f"  {source} --> {target}")
    return "\n".join(out) + "\n"
