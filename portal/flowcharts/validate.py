"""Validate a flow table as a graph, with messages that name the step to fix.

The rules: one start, at least one end, every step reachable from the start and
able to reach an end, only ends stop, only decisions branch (each answer named),
and a loop must pass through a decision (需补正 back to 受理). Messages are for
the uploader, in their language, and name the step as “S3(审核)”.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from .graph import DECISION, END, START, Flow, InvalidFlow, Step, parse_next


def read(rows: Iterable[dict]) -> Flow:
    """The graph of a flow table (clean rows keyed by FLOW's field names), or InvalidFlow."""
    steps, problems = _steps(rows)
    problems += _local_problems(steps)
    if problems:
        # A broken id or link makes every reachability message that follows misleading.
        raise InvalidFlow(problems)
    start = next(s for s in steps.values() if s.kind == START)
    flow = Flow(steps, start)
    problems += _reach_problems(flow)
    problems += _loop_problems(flow)
    if problems:
        raise InvalidFlow(problems)
    return flow


def problems(rows: Iterable[dict]) -> list:
    """Every problem of a flow table, each naming its step; empty when it is a valid graph."""
    try:
        read(rows)
    except InvalidFlow as error:
        return error.problems
    return []


def _steps(rows) -> tuple[dict[str, Step], list]:
    steps: dict[str, Step] = {}
    problems = []
    for number, row in enumerate(rows, start=1):
        branches, broken = parse_next(row.get("next"))
        step = Step(
            id=row["id"], kind=row["kind"], name=row["name"], post=row.get("post"),
            days=row.get("days"), risk=row.get("risk"), branches=tuple(branches), row=number,
            description=row.get("description"), standard=row.get("standard"), result=row.get("result"),
            special=row.get("special"),
        )
        for part in broken:
            problems.append(_l("环节 %(step)s 的下一环节“%(part)s”没有写环节编号",
                               step=step.label, part=part))
        if step.id in steps:
            problems.append(_l("环节编号 %(id)s 重复:办理流程第 %(first)s 行和第 %(row)s 行",
                               id=step.id, first=steps[step.id].row, row=number))
            continue
        steps[step.id] = step
    return steps, problems


def _local_problems(steps: dict[str, Step]) -> list:
    """What can be seen one step at a time: starts and ends, links, branches."""
    problems = []
    starts = [s for s in steps.values() if s.kind == START]
    if not starts:
        problems.append(_l("没有开始环节:应有一个环节类型为“开始”"))
    elif len(starts) > 1:
        problems.append(_l("只能有一个开始环节,现有 %(steps)s",
                           steps="、".join(s.label for s in starts)))
    if not any(s.kind == END for s in steps.values()):
        problems.append(_l("没有结束环节:至少应有一个环节类型为“结束”"))
    for step in steps.values():
        for branch in step.branches:
            if branch.target not in steps:
                problems.append(_l("环节 %(step)s 的下一环节 %(target)s 不存在",
                                   step=step.label, target=branch.target))
        problems += _arity_problems(step)
    return problems


def _arity_problems(step: Step) -> list:
    if step.kind == END:
        if step.branches:
            return [_l("环节 %(step)s 是结束环节,不能有下一环节", step=step.label)]
        return []
    if not step.branches:
        return [_l("环节 %(step)s 没有下一环节,但它不是结束环节", step=step.label)]
    if step.kind != DECISION:
        if len(step.branches) > 1:
            return [_l("环节 %(step)s 有多个下一环节;需要分支时,环节类型应为“判断”", step=step.label)]
        return []
    if len(step.branches) < 2:
        return [_l("判断环节 %(step)s 至少要有两个分支,如“符合:S4;不符合:E2”", step=step.label)]
    problems = []
    labels = [b.label for b in step.branches]
    if None in labels:
        problems.append(_l("判断环节 %(step)s 的每个分支都要写明条件,如“符合:S4”", step=step.label))
    repeated = sorted({label for label in labels if label and labels.count(label) > 1})
    if repeated:
        problems.append(_l("判断环节 %(step)s 的分支条件“%(label)s”重复",
                           step=step.label, label="、".join(repeated)))
    return problems


def _reach(flow: Flow, roots: Iterable[Step], forward: bool = True) -> set[str]:
    """The ids reachable from `roots` along the edges (or against them)."""
    edges: dict[str, list[str]] = {s.id: [] for s in flow}
    for step in flow:
        for target in flow.targets(step):
            if forward:
                edges[step.id].append(target.id)
            else:
                edges[target.id].append(step.id)
    seen, stack = set(), [r.id for r in roots]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges[current])
    return seen


def _reach_problems(flow: Flow) -> list:
    problems = []
    reachable = _reach(flow, [flow.start])
    finishing = _reach(flow, [s for s in flow if s.kind == END], forward=False)
    for step in flow:
        if step.id not in reachable:
            problems.append(_l("环节 %(step)s 从开始环节无法到达", step=step.label))
        elif step.id not in finishing:
            problems.append(_l("环节 %(step)s 之后无法到达任何结束环节", step=step.label))
    return problems


def _loop_problems(flow: Flow) -> list:
    """A loop that passes through no decision would go round for ever: name its steps."""
    edges = {
        s.id: [t.id for t in flow.targets(s) if t.kind != DECISION]
        for s in flow if s.kind != DECISION
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node, path):
        state[node] = 1
        path.append(node)
        for target in edges[node]:
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target, path)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in edges:
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return [_l("环节 %(steps)s 构成循环;循环只能经过判断环节(如需补正时退回受理)",
                           steps=" → ".join(flow.steps[i].label for i in cycle))]
    return []
