"""The text equivalent of a flowchart: the steps in reading order with their branches.

The same walk gives the service page its step list (for screen readers, phones
and print) and the chart its description, so what is said and what is drawn
cannot drift apart. Fixed words come from the current locale's catalog; the
published text stays as written (a Traditional chart is converted as a whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import format_decimal, get_locale, ngettext

from .graph import END, Flow, Step, plain_days
from .words import gettext_once as _


@dataclass(frozen=True)
class Limits:
    """A service's time limits from its commitment: working days, or the limit as written in another
    unit (“3个月”, “无法定时限”); None without a commitment."""

    statutory: float | str | None = None
    committed: float | str | None = None


@dataclass(frozen=True)
class Entry:
    """One step as read aloud: its place in the list and where each branch leads."""

    number: int
    step: Step
    main: bool  # on the main path
    branches: tuple[tuple[str | None, Step], ...]  # (the decision's answer, target step)


@dataclass(frozen=True)
class Walkthrough:
    """The steps of a flow in reading order: the main path first, then the other steps."""

    entries: tuple[Entry, ...]
    main_days: float
    special_days: float = 0  # the 特别程序 on the main path, counted apart

    @property
    def main(self) -> tuple[Entry, ...]:
        """The entries of the main path, from the start to its end."""
        return tuple(e for e in self.entries if e.main)

    @property
    def others(self) -> tuple[Entry, ...]:
        """The entries off the main path (side ends, steps on other branches), in table order."""
        return tuple(e for e in self.entries if not e.main)


def walk(flow: Flow) -> Walkthrough:
    """Put a flow in reading order: the main path as it is travelled, then the rest as listed."""
    main = flow.main_path()
    on_main = {s.id for s in main}
    ordered = main + [s for s in flow if s.id not in on_main]
    entries = tuple(
        Entry(
            number=number,
            step=step,
            main=step.id in on_main,
            branches=tuple((b.label, flow.steps[b.target]) for b in step.branches),
        )
        for number, step in enumerate(ordered, start=1)
    )
    return Walkthrough(entries=entries, main_days=flow.main_days(), special_days=flow.special_days())


def days_text(days: float | str | None, instant: bool = True) -> str:
    """A time limit in words of the current locale: “3 个工作日”, “” when unset.

    A step (or a promise) of 0 days is done on the spot: “即时”, unless `instant`
    is False, as for a sum, where “合计 0 个工作日” reads better. A limit written in
    another unit (“3个月”) is said as written.
    """
    if days is None:
        return ""
    if isinstance(days, str):
        return days
    return _days_words(str(get_locale()), plain_days(days), instant)


@lru_cache(maxsize=1024)
def _days_words(locale: str, days: float, instant: bool) -> str:
    # Kept by locale: a province's charts say the same few limits tens of thousands of times,
    # and each saying costs a catalog look-up and a number format.
    if days == 0 and instant:
        return _("即时")
    # gettext counts whole numbers only: 1 is singular, anything else (0.5 too) plural.
    return ngettext("%(days)s 个工作日", "%(days)s 个工作日", 1 if days == 1 else 2,
                    days=format_decimal(days, "#,##0.#"))


def title(service_name: str) -> str:
    """The chart's title in the current locale."""
    return _("%(name)s办理流程图", name=service_name)


def describe(walkthrough: Walkthrough, limits: Limits) -> str:
    """The chart as prose for screen readers: the main path, the other branches, the limits."""

    def named(step: Step) -> str:
        details = " · ".join(d for d in (step.post, days_text(step.days)) if d)
        return _("%(name)s(%(details)s)", name=step.name, details=details) if details else step.name

    main = walkthrough.main
    path = []
    for entry, following in zip(main, main[1:] + (None,)):
        answer = next((label for label, target in entry.branches
                       if following and target.id == following.step.id and label), None)
        arrow = f" —{answer}→" if answer else (" →" if following else "")
        path.append(named(entry.step) + arrow)
    sentences = [_("主路径:%(steps)s。", steps=" ".join(path))]
    main_edges = {(a.step.id, b.step.id) for a, b in zip(main, main[1:])}
    for entry in walkthrough.entries:
        for label, target in entry.branches:
            if (entry.step.id, target.id) in main_edges:
                continue
            values = {"step": entry.step.name, "target": target.name}
            if label and target.kind == END:
                sentences.append(_("%(step)s:%(label)s → %(target)s,流程结束。", label=label, **values))
            elif label:
                sentences.append(_("%(step)s:%(label)s → %(target)s。", label=label, **values))
            elif target.kind == END:
                sentences.append(_("%(step)s → %(target)s,流程结束。", **values))
            else:
                sentences.append(_("%(step)s → %(target)s。", **values))
    for entry in walkthrough.entries:
        if entry.step.risk:
            sentences.append(_("%(step)s的廉政风险点:%(risk)s。", step=entry.step.name, risk=entry.step.risk))
    sentences.append(_("主路径各环节时限合计 %(days)s。", days=days_text(walkthrough.main_days, instant=False)))
    for entry in walkthrough.main:
        if entry.step.special:
            sentences.append(_("%(step)s为特别程序(%(kind)s),其时限不计入法定办结时限。",
                               step=entry.step.name, kind=entry.step.special))
    if limits.committed is not None:
        sentences.append(_("承诺办结时限 %(committed)s,法定办结时限 %(statutory)s。",
                           committed=days_text(limits.committed), statutory=days_text(limits.statutory)))
    return " ".join(sentences)
