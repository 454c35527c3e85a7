"""办理流程: a service's flowchart as step rows (S1… for steps, E1… for ends).

Rules the flows keep, because the flowchart renderer and journalists rely on them:
exactly one 开始 (the first row), at least one 结束, every step reachable,
loops only through a 判断 (需补正 back to the 受理 step), and the 办理时限 along
the main path (first-listed branch at every 判断) never exceeds the committed limit.
"""

from __future__ import annotations

import random

from . import vocabulary as v


class _Flow:
    """Steps under construction; branch targets are step objects until ids are given."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.steps: list[dict] = []
        self.ends: list[dict] = []

    def step(self, kind, name, post, weight=0.0, risk=None):
        step = {"kind": kind, "name": name, "post": post, "weight": weight, "risk_key": risk,
                "branches": None}
        self.steps.append(step)
        return step

    def end(self, name, post=""):
        end = {"kind": "结束", "name": name, "post": post, "weight": 0.0, "risk_key": None,
               "branches": None}
        self.ends.append(end)
        return end


def _pick(rng, options):
    return rng.choice(options)


def _commit(flow: _Flow, committed: int) -> list[dict]:
    """Give ids, links, days and risks; return rows keyed by the FLOW field names."""
    rng = flow.rng
    for i, step in enumerate(flow.steps, start=1):
        step["id"] = f"S{i}"
    for i, end in enumerate(flow.ends, start=1):
        end["id"] = f"E{i}"
    # Main path: every S-step in order, because templates are linear and side
    # branches only leave to ends or loop back.
    main = [s for s in flow.steps if s["kind"] in ("办理", "判断")]
    total_weight = sum(s["weight"] for s in main)
    fill = 1.0 if committed <= 2 else rng.uniform(0.75, 1.0)
    units = int(committed * 2 * fill)  # half working days
    # Share the half days by weight, rounding down; the remainder goes one half
    # day at a time to the heaviest steps, so the sum never exceeds the promise.
    for s in main:
        s["half"] = int(units * s["weight"] / total_weight) if total_weight else 0
    spare = units - sum(s["half"] for s in main) if total_weight else 0
    for s in sorted(main, key=lambda s: -s["weight"]):
        if spare <= 0:
            break
        if s["weight"]:
            s["half"] += 1
            spare -= 1
    rows = []
    ordered = flow.steps + flow.ends
    for index, step in enumerate(ordered):
        if step["kind"] == "结束":
            nxt = ""
        elif step["branches"]:
            nxt = ";".join(f"{label}:{target['id']}" for label, target in step["branches"])
        else:
            # A plain step leads to the next step; the last one to the first end (办结).
            nxt = ordered[index + 1]["id"] if index + 1 < len(flow.steps) else flow.ends[0]["id"]
        days = None
        if step["kind"] in ("办理", "判断"):
            half = step["half"]
            days = half // 2 if half % 2 == 0 else half / 2
        risk = None
        if step["risk_key"] and rng.random() < 0.6:
            options = v.RISKS[step["risk_key"]]
            risk = ";".join(rng.sample(options, k=rng.choice((1, 2))))
        rows.append({"id": step["id"], "kind": step["kind"], "name": step["name"],
                     "post": step["post"] or None, "days": days, "risk": risk, "next": nxt or None,
                     **STEP_DETAILS.get(step["name"], {}),
                     # An expert review is a 特别程序: its time is not counted in the statutory limit.
                     "special": "专家评审" if step["name"] == "专家评审" else None})
    return rows


# What some steps do, their review standard and result, as real guides write them.
STEP_DETAILS = {
    "窗口受理审核": {"description": "核对申请材料是否齐全、是否符合法定形式",
                     "standard": "申请材料齐全、符合法定形式", "result": "受理通知书或一次性补正告知书"},
    "专家评审": {"description": "组织专家对申请事项进行技术评审", "result": "专家评审意见"},
}


def _immediate(flow: _Flow, online: bool):
    rng = flow.rng
    flow.step("开始", _pick(rng, ("网上申报或窗口提交申请", "申请人提交申请")) if online else "申请人提交申请", "申请人")
    accept = flow.step("办理", "窗口受理审核", _pick(rng, v.POST_WINDOW), 1, "受理")
    if rng.random() < 0.75:
        check = flow.step("判断", "当场审查", accept["post"], 0)
        flow.step("办理", _pick(rng, ("当场办结出证", "当场办结并送达", "即时办结")), _pick(rng, v.POST_ISSUE), 1)
        flow.end("办结")
        refuse = flow.end("一次性告知并退回材料")
        check["branches"] = [("符合", flow.steps[-1]), ("不符合", refuse)]
        if rng.random() < 0.5:
            check["branches"].insert(1, ("需补正", accept))
    else:
        flow.step("办理", "当场办结出证", _pick(rng, v.POST_ISSUE), 1)
        flow.end("办结")


def _approval(flow: _Flow, tc: str, online: bool, fee: bool, budget: int):
    """承诺件: apply, accept, check, (inspect), review, decide, (pay), issue, (deliver)."""
    rng = flow.rng
    grant = tc == "JF"
    flow.step("开始", "网上申报或窗口提交申请" if online else "申请人提交申请", "申请人")
    if online and rng.random() < 0.3:
        flow.step("办理", "网上预审", _pick(rng, v.POST_WINDOW), 0.5, "受理")
    accept = flow.step("办理", _pick(rng, ("窗口受理", "受理", "综合窗口受理")), _pick(rng, v.POST_WINDOW), 1, "受理")
    check = flow.step("判断", _pick(rng, ("材料审查", "受理审查")), accept["post"], 0)
    first = len(flow.steps)
    optional = []
    if grant:
        optional.append(("办理", _pick(rng, ("入户调查", "家庭经济状况核对", "调查核实")), _pick(rng, v.POST_FIELD), 3, "核查"))
    elif rng.random() < 0.45:
        optional.append(("办理", _pick(rng, ("现场核查", "现场勘验", "实地核查")), _pick(rng, v.POST_FIELD), 3, "核查"))
    if not grant and rng.random() < 0.2:
        optional.append(("办理", _pick(rng, ("专家评审", "技术审查", "联合审查")), _pick(rng, v.POST_REVIEW), 3, "审查"))
    for spec in optional:
        flow.step(*spec)
    flow.step("办理", _pick(rng, ("审核", "科室审核", "业务审查")), _pick(rng, v.POST_REVIEW), 2, "审查")
    if rng.random() < 0.25:
        flow.step("办理", "科室负责人复核", _pick(rng, v.POST_HEAD), 1, "审查")
    # A week of public notice only fits when the promise leaves room for it.
    if grant and budget >= 10:
        flow.step("办理", "公示", _pick(rng, v.POST_REVIEW), 5, "公示")
    decide = flow.step("判断", _pick(rng, ("审批决定", "作出决定", "审定")), _pick(rng, v.POST_LEADER), 1, "决定")
    if fee:
        flow.step("办理", "缴纳费用", "申请人", 0)
    if grant:
        flow.step("办理", _pick(rng, ("资金发放", "待遇核发")), _pick(rng, v.POST_REVIEW), 1, "发放")
    elif rng.random() < 0.35:
        flow.step("办理", "制证", _pick(rng, v.POST_ISSUE), 0.5)
        flow.step("办理", _pick(rng, ("送达(窗口领取或免费邮寄)", "出件送达")), _pick(rng, v.POST_ISSUE), 0.5)
    else:
        flow.step("办理", _pick(rng, ("制证送达", "出具决定文书并送达")), _pick(rng, v.POST_ISSUE), 1)
    flow.end("办结")
    refuse = flow.end("不予受理(出具不予受理通知书)")
    deny = flow.end("不予给付(书面说明理由)" if grant else "不予批准(书面说明理由)")
    check["branches"] = [("符合", flow.steps[first]), ("需补正", accept), ("不符合", refuse)]
    after = flow.steps[flow.steps.index(decide) + 1]
    decide["branches"] = [("通过", after), ("不通过", deny)]


def build(rng: random.Random, tc: str, case_type: str, committed: int, online: bool, fee: bool) -> list[dict]:
    """Return the flow rows of a service: 即办件 get a short counter flow, others the full one."""
    flow = _Flow(rng)
    if case_type == "即办件":
        _immediate(flow, online)
    else:
        _approval(flow, tc, online, fee, committed)
    # Twelve rows at most: a long flow drops its optional review steps first.
    optional = ("科室负责人复核", "网上预审", "专家评审", "技术审查", "联合审查")
    while len(flow.steps) + len(flow.ends) > 12:
        gone = next(s for s in flow.steps if s["name"] in optional)
        successor = flow.steps[flow.steps.index(gone) + 1]
        for step in flow.steps:
            if step["branches"]:
                step["branches"] = [(label, successor if target is gone else target)
                                    for label, target in step["branches"]]
        flow.steps.remove(gone)
    return _commit(flow, committed)
