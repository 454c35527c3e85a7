"""效能投诉办结案件: disposed complaints over 2023–2025, anonymised, findings consistent with outcomes."""

from __future__ import annotations

import datetime as dt
import random
import re

from . import complaint_texts as t
from . import workdays
from . import vocabulary as v
from .departments import Dept

CASES_PER_YEAR = {2023: 96, 2024: 104, 2025: 100}
CATEGORY_WEIGHTS = {
    "慢作为": 22, "服务态度": 20, "推诿扯皮": 16, "不作为": 10, "违反首问负责制": 8,
    "超时办结": 8, "乱作为": 6, "其他": 7, "吃拿卡要": 2,
}
CHANNEL_WEIGHTS = {"12345": 35, "热线": 20, "网站": 20, "来访": 15, "信箱": 10}
FINDING_WEIGHTS = {"属实": 45, "部分属实": 20, "不属实": 35}
# Heavy sanctions follow only from misconduct (乱作为, 不作为), never from a curt tone.
OUTCOMES_CONFIRMED = {"批评教育": 45, "诫勉谈话": 27, "通报批评": 20, "取消评优资格": 8}
OUTCOMES_MISCONDUCT = {"诫勉谈话": 35, "通报批评": 30, "取消评优资格": 15, "调离岗位": 12,
                       "纪律处分": 6, "辞退": 2}
OUTCOMES_GRAFT = {"纪律处分": 50, "调离岗位": 25, "诫勉谈话": 15, "移送司法": 10}
OUTCOMES_PARTLY = {"批评教育": 70, "诫勉谈话": 20, "通报批评": 10}
SATISFACTION = {
    "属实": {"满意": 70, "基本满意": 25, "不满意": 3, "未回访": 2},
    "部分属实": {"满意": 45, "基本满意": 40, "不满意": 10, "未回访": 5},
    "不属实": {"满意": 25, "基本满意": 45, "不满意": 20, "未回访": 10},
}
# Departments complainants are most often bounced to (推诿扯皮).
OTHERS = ("市自然资源和规划局", "市住房和城乡建设局", "市市场监督管理局", "市行政审批服务局",
          "市人力资源和社会保障局", "市公安局", "市民政局")
LATE_SHARE = 0.10
# The digits a summary may show: a month number and nothing longer.
_UNSAFE = re.compile(r"\d{3,}|[A-Za-z0-9._%+-]+@|\d{2}[-/]\d")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def quota(rng: random.Random, weights: dict, n: int) -> list:
    """Return n labels in random order whose counts follow `weights` as closely as integers allow.

    Published shares (属实 45%, over the limit 10% …) then hold for any seed,
    which independent draws would not guarantee for a hundred cases a year.
    """
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(x) for k, x in exact.items()}
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), rng.random()))
    for k in order[: n - sum(counts.values())]:
        counts[k] += 1
    labels = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(labels)
    return labels


def _dates(rng: random.Random, year: int, late: bool) -> tuple[dt.date, dt.date]:
    """Pick (received, closed) open days; 限时办结 holds or fails under both counts."""
    last = dt.date(year, 12, 10) if year < workdays.LAST_KNOWN.year else dt.date(year, 11, 28)
    first = dt.date(year, 1, 4)
    while True:
        received = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        if not workdays.is_open(received):
            continue
        days = rng.randint(12, 20) if late else rng.choice((2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9))
        closed = workdays.add_open_days(received, days)
        plain, official = workdays.elapsed(received, closed)
        if late or max(plain, official) <= 9:
            return received, closed


def _when(rng: random.Random, received: dt.date) -> str:
    event = received - dt.timedelta(days=rng.randint(3, 30))
    part = "上旬" if event.day <= 10 else "中旬" if event.day <= 20 else "下旬"
    return f"{event.month}月{part}"


def _others(dept: Dept) -> list[str]:
    # Departments a complainant may have been sent on to, never the department itself.
    return [o for o in OTHERS if o != dept.short]


def _matter(name: str) -> str:
    # "最低生活保障申请" reads "申请办理最低生活保障" in a summary, without the brackets;
    # "宅基地申请" keeps its ending, "办理宅基地" would not be Chinese.
    name = re.sub(r"\(.*?\)", "", name)
    short = re.sub(r"(申请|申领|申报|办理)$", "", name)
    return short if re.search(r"(保障|救助|资助|补贴|津贴|认定|许可|登记|审批|备案|核发|证)$", short) else name


def _who(rng: random.Random, service_object: str | None) -> str:
    if service_object == "法人" or (service_object == "个人和法人" and rng.random() < 0.5):
        return rng.choice(t.ORGS)
    if service_object is None and rng.random() < 0.15:
        return rng.choice(t.ORGS)
    return rng.choice(t.PERSONS)


def _summary(rng: random.Random, dept: Dept, category: str, received: dt.date,
             services: list[tuple[str, int, str]]) -> str:
    templates = t.SUMMARIES[category]
    promised = [s for s in services if s[1] > 0]
    n = v.cn_number(rng.choice((3, 5, 7, 10, 15, 20)))
    if category == "超时办结" and promised:
        # Quote the limit the department really promised for that service.
        name, days, service_object = rng.choice(promised)
        template, n = templates[0], v.cn_number(days)
    else:
        template = rng.choice([x for x in templates if category != "超时办结" or "{n}" not in x])
        name, _, service_object = rng.choice(services) if services else (rng.choice(dept.matters), 0, None)
    if "{matter}" not in template:
        service_object = None  # the complaint is about the department, not a service
    if dept.category == "乡镇街道":
        place = f"{dept.short}便民服务中心"
    else:
        place = rng.choice((f"市政务服务中心{dept.short}窗口", f"{dept.short}服务窗口"))
    text = template.format(
        who=_who(rng, service_object), when=_when(rng, received), place=place, matter=_matter(name),
        issue=rng.choice(dept.matters), dept=dept.short, other=rng.choice(_others(dept)),
        times=rng.choice(t.TIMES), n=n,
    )
    # Two to four sentences: templates give one or two, closing requests fill up.
    sentences = text.count("。")
    extra = min(2, rng.randint(max(2, sentences), 4) - sentences)
    text += "".join(rng.sample(t.CLOSERS.get(category, t.CLOSERS["*"]), k=extra))
    if _UNSAFE.search(text):
        raise ValueError(f"unsafe complaint summary: {text}")
    return text


def build(rng: random.Random, depts: list[Dept], services: dict[str, list[str]],
          scale: int = 1) -> list[dict]:
    """Return disposed complaint cases for 2023–2025, `scale` times the base count.

    `services` maps a department code to (name, committed days, 服务对象) of its
    service guides, the matters people most often complain about.
    """
    weights = [d.complaint_weight for d in depts]
    cases = []
    for year, count in CASES_PER_YEAR.items():
        n = count * scale
        drafted = []
        plan = zip(quota(rng, CATEGORY_WEIGHTS, n), quota(rng, FINDING_WEIGHTS, n),
                   quota(rng, CHANNEL_WEIGHTS, n),
                   quota(rng, {True: LATE_SHARE, False: 1 - LATE_SHARE}, n))
        for category, finding, channel, late in plan:
            dept = rng.choices(depts, weights=weights)[0]
            received, closed = _dates(rng, year, late)
            if finding == "不属实":
                outcome, people, fix = "不予处理", 0, None
            else:
                if finding == "部分属实":
                    outcome = _weighted(rng, OUTCOMES_PARTLY)
                    people = 1 if rng.random() < 0.85 else 2
                else:
                    table = {"吃拿卡要": OUTCOMES_GRAFT, "乱作为": OUTCOMES_MISCONDUCT,
                             "不作为": OUTCOMES_MISCONDUCT}.get(category, OUTCOMES_CONFIRMED)
                    outcome = _weighted(rng, table)
                    people = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
                fix = rng.choice(t.RECTIFICATIONS[category])
                if finding == "部分属实":
                    fix = "针对查实部分:" + fix
            drafted.append({
                "received": received.isoformat(), "closed": closed.isoformat(),
                "department": dept.code, "channel": channel,
                "category": category,
                "summary": _summary(rng, dept, category, received, services.get(dept.code, [])),
                "finding": finding, "outcome": outcome, "handled_people": people,
                "rectification": fix, "satisfaction": _weighted(rng, SATISFACTION[finding]),
            })
        # Case numbers run in order of receipt within the year.
        drafted.sort(key=lambda c: (c["received"], c["department"], c["summary"]))
        for seq, case in enumerate(drafted, start=1):
            cases.append({"code": f"{year}-XN-{seq:04d}", **case})
    return cases
