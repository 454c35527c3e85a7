"""A service's flow as a graph: steps, branches, the main path and its time limits.

A flow is a list of step rows (see `portal.schemas.services.FLOW`): each has an
id, a kind (开始/办理/判断/结束), a name, a post, a time limit in working days,
an optional 廉政风险点 and its next step. A 判断 names its branches:
"符合:S3;需补正:S1;不符合:E2". `validate.read` turns rows into a `Flow` only
when they make a drawable graph.

The main path is the road an applicant hopes for: from the start, the first
listed branch at every decision that still leads on to an end without going
back, to an end. Its time limits add up to the time the flow itself promises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l

START, TASK, DECISION, END = "开始", "办理", "判断", "结束"

# Uploaders type Chinese punctuation as often as ASCII: both separate branches.
_BRANCH_SEPARATORS = re.compile(r"[;；\n]")
_LABEL_SEPARATORS = re.compile(r"[:：]")


@dataclass(frozen=True)
class Branch:
    """An edge from a step: where it leads, and for a decision the answer that leads there."""

    label: str | None
    target: str


@dataclass(frozen=True)
class Step:
    """One row of the flow table, with its branches parsed."""

    id: str
    kind: str
    name: str
    post: str | None
    days: float | None
    risk: str | None
    branches: tuple[Branch, ...]
    row: int  # 1-based row within the flow table, for messages
    # What departments write about a step beyond its name, and the 特别程序 it is (专家评审,
    # 听证 …) whose time is not counted in the statutory limit.
    description: str | None = None
    standard: str | None = None
    result: str | None = None
    special: str | None = None

    @property
    def counted_days(self) -> float:
        """The step's time as it counts against the limits: none for a 特别程序."""
        return 0 if self.special else self.days or 0

    @property
    def label(self) -> str:
        """How messages name the step: its id and its name, “S3(审核)”."""
        return f"{self.id}({self.name})"


class InvalidFlow(ValueError):
    """A flow table that is not a drawable graph; `problems` says why, step by step."""

    def __init__(self, problems: list):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Flow:
    """A validated flow: its steps by id (in table order) and its start."""

    steps: dict[str, Step]
    start: Step

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps.values())

    def targets(self, step: Step) -> list[Step]:
        """The steps `step` leads to, in the order its branches are listed."""
        return [self.steps[b.target] for b in step.branches]

    def main_path(self) -> list[Step]:
        """The steps of the main path, from the start to an end.

        At each decision it takes the first listed branch that can still reach an
        end without going back, so a 需补正 listed first never hides the road on.
        """
        return list(self._main_path)

    @cached_property
    def _main_path(self) -> tuple[Step, ...]:
        # Found once per flow: drawing one chart asks for it about eight times.
        path, seen, step = [self.start], {self.start.id}, self.start
        while step.kind != END:
            step = next(t for t in self.targets(step)
                        if t.id not in seen and self._finishes(t, seen))
            path.append(step)
            seen.add(step.id)
        return tuple(path)

    def _finishes(self, step: Step, avoiding: set[str]) -> bool:
        """True when an end can be reached from `step` without passing through `avoiding`."""
        seen, stack = set(), [step]
        while stack:
            current = stack.pop()
            if current.kind == END:
                return True
            if current.id in seen:
                continue
            seen.add(current.id)
            stack.extend(t for t in self.targets(current) if t.id not in avoiding)
        return False

    def main_days(self) -> float:
        """The sum of the time limits along the main path, in working days, 特别程序 excepted."""
        return plain_days(sum(step.counted_days for step in self.main_path()))

    def special_steps(self) -> list[Step]:
        """The 特别程序 steps of the main path (专家评审, 听证 …), whose time is counted apart."""
        return [step for step in self.main_path() if step.special]

    def special_days(self) -> float:
        """The sum of the 特别程序 steps' time along the main path, in working days."""
        return plain_days(sum(step.days or 0 for step in self.special_steps()))

    def main_edges(self) -> set[tuple[str, str]]:
        """The (from, to) step ids of the main path's edges."""
        path = self.main_path()
        return {(a.id, b.id) for a, b in zip(path, path[1:])}

    def loop_edges(self) -> set[tuple[str, str]]:
        """The (from, to) step ids of the edges that go back to a step on the way (需补正 → 受理).

        A depth-first walk that takes the main path first: an edge to a step still
        on the walk's stack closes a loop. The main path's own edges never do.
        """
        main = self.main_path()
        following = {a.id: b.id for a, b in zip(main, main[1:])}
        loops: set[tuple[str, str]] = set()
        state: dict[str, str] = {}

        def visit(step: Step) -> None:
            state[step.id] = "open"
            for target in sorted(self.targets(step), key=lambda t: t.id != following.get(step.id)):
                if state.get(target.id) == "open":
                    loops.add((step.id, target.id))
                elif target.id not in state:
                    visit(target)
            state[step.id] = "done"

        visit(self.start)
        return loops


def plain_days(value: float) -> float:
    """A number of working days without float noise: 1.0 → 1, 0.30000000000000004 → 0.3."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def parse_next(text: str | None) -> tuple[list[Branch], list[str]]:
    """The branches written in a 下一环节 cell, and the parts that name no step."""
    branches, broken = [], []
    for part in _BRANCH_SEPARATORS.split(text or ""):
        part = part.strip()
        if not part:
            continue
        pieces = _LABEL_SEPARATORS.split(part)
        target = pieces[-1].strip()
        label = "".join(pieces[:-1]).strip() or None
        if target:
            branches.append(Branch(label, target))
        else:
            broken.append(part)
    return branches, broken


def over_limit(flow: Flow, limit: float) -> tuple[Step, float] | None:
    """The main-path step at which the time limits first add up to more than `limit`, with that sum.

    特别程序 (专家评审, 听证, 公示, 现场勘验 …) are not counted: the law leaves their time out.
    """
    total = 0.0
    for step in flow.main_path():
        total += step.counted_days
        if plain_days(total) > limit:
            return step, plain_days(total)
    return None


def over_limit_message(flow: Flow, limit: float, written: str | None = None):
    """The uploader's message when the main path exceeds the statutory limit, else None.

    `limit` is in working days; `written` is the limit as the department wrote it when that
    is another unit (3个月), and `limit` then the most working days it may hold.
    """
    found = over_limit(flow, limit)
    if found is None:
        return None
    step, total = found
    if written:
        return _l("主路径到环节 %(step)s 累计 %(total)s 个工作日,超过法定办结时限 %(written)s"
                  "(至多 %(limit)s 个工作日)", step=step.label, total=total, written=written,
                  limit=plain_days(limit))
    return _l(
        "主路径到环节 %(step)s 累计 %(total)s 个工作日,超过法定办结时限 %(limit)s 个工作日",
        step=step.label, total=total, limit=plain_days(limit),
    )
