"""绩效考评结果: every department, every year, scored on the same indicators so years compare.

A department has a persistent quality and a yearly shock; confirmed complaints
cost points under 日常效能督查, so the appraisal and the complaint cases agree.
Scores are kept in tenths of a point (integers) so that 总分 is exactly their sum.
"""

from __future__ import annotations

import random

from .departments import Dept

YEARS = (2023, 2024, 2025)
_CITY_2023 = (
    ("重点工作任务完成情况", "上级考核", 35), ("依法行政", "上级考核", 10),
    ("政务服务效能", "日常考核", 15), ("党风廉政建设", "上级考核", 10),
    ("群众满意度测评", "群众满意度测评", 20), ("基层评议", "基层评议机关", 10),
)
_CITY_LATER = (
    ("重点工作任务完成情况", "上级考核", 30), ("依法行政", "上级考核", 10),
    ("政务服务效能", "日常考核", 15), ("党风廉政建设", "上级考核", 10),
    ("群众满意度测评", "群众满意度测评", 15), ("基层评议", "基层评议机关", 10),
    ("日常效能督查", "日常考核", 10),
)
_TOWN_2023 = (
    ("经济社会发展任务", "上级考核", 30), ("基层治理与平安建设", "上级考核", 15),
    ("便民服务效能", "日常考核", 15), ("党风廉政建设", "上级考核", 10),
    ("群众满意度测评", "群众满意度测评", 20), ("民主评议", "民主评议", 10),
)
_TOWN_LATER = (
    ("经济社会发展任务", "上级考核", 25), ("基层治理与平安建设", "上级考核", 15),
    ("便民服务效能", "日常考核", 15), ("党风廉政建设", "上级考核", 10),
    ("群众满意度测评", "群众满意度测评", 15), ("民主评议", "民主评议", 10),
    ("日常效能督查", "日常考核", 10),
)
INDICATORS = {
    ("市直部门", 2023): _CITY_2023, ("市直部门", 2024): _CITY_LATER, ("市直部门", 2025): _CITY_LATER,
    ("乡镇街道", 2023): _TOWN_2023, ("乡镇街道", 2024): _TOWN_LATER, ("乡镇街道", 2025): _TOWN_LATER,
}
_METHOD = (
    "由市机关效能建设领导小组办公室组织,采取上级考核、日常考核、民主评议、群众满意度测评和基层评议机关相结合的方式,"
    "实行百分制。群众满意度测评通过12345热线回访和线下问卷进行;{panel}。"
)
_PANEL = {"市直部门": "市直部门由各乡镇(街道)进行基层评议", "乡镇街道": "乡镇(街道)由党代表、人大代表、政协委员进行民主评议"}
_SINCE_2024 = "自2024年度起增设“日常效能督查”指标,依据全年明查暗访和效能投诉查处情况计分,每查实一件效能投诉扣减相应分值。"
BOTTOM_REMARK = "排名末三位,给予谈话警示"


def grade(total: float) -> str:
    """Return the 等次 of a total score."""
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 70:
        return "一般"
    return "较差"


def _tenths(t: int) -> str:
    return f"{t // 10}.{t % 10}"


def build(rng: random.Random, depts: list[Dept], confirmed: dict[tuple[str, int], int],
          scale: int = 1) -> dict[str, list[dict]]:
    """Return appraisal records per department code, ranked within each category per year.

    `confirmed` counts substantiated complaints per (department code, year); at a
    larger scale the count is divided back so that scores stay comparable.
    """
    quality = {d.code: rng.gauss(0, 1) for d in depts}
    # One weak department per category has a bad year: 较差 stays rare but exists.
    shock = {}
    for category, year in (("市直部门", 2023), ("乡镇街道", 2024)):
        weakest = min((d for d in depts if d.category == category), key=lambda d: quality[d.code])
        shock[(weakest.code, year)] = -3.7
    records: dict[str, list[dict]] = {d.code: [] for d in depts}
    for year in YEARS:
        for category in ("市直部门", "乡镇街道"):
            members = [d for d in depts if d.category == category]
            scored = []
            for d in members:
                p = shock.get((d.code, year), 0.85 * quality[d.code] + rng.gauss(0, 0.6))
                complaints = confirmed.get((d.code, year), 0) / scale
                rows = []
                for name, appraiser, weight in INDICATORS[(category, year)]:
                    f = 0.865 + 0.05 * p + rng.gauss(0, 0.025)
                    if name == "日常效能督查":
                        f -= 0.04 * complaints
                    f = min(1.0, max(0.45, f))
                    rows.append([name, appraiser, weight, round(weight * 10 * f)])
                scored.append((d, rows))
            # No two departments of a category share a total: nudge the later one down.
            seen = set()
            for d, rows in sorted(scored, key=lambda item: -quality[item[0].code]):
                while sum(r[3] for r in rows) in seen:
                    biggest = max(rows, key=lambda r: r[3])
                    biggest[3] -= 1
                seen.add(sum(r[3] for r in rows))
            ranked = sorted(scored, key=lambda item: -sum(r[3] for r in item[1]))
            for rank, (d, rows) in enumerate(ranked, start=1):
                total = sum(r[3] for r in rows)
                method = _METHOD.format(panel=_PANEL[category]) + (_SINCE_2024 if year >= 2024 else "")
                records[d.code].append({
                    "year": year, "department": d.code, "total_score": _tenths(total),
                    "grade": grade(total / 10), "rank": rank, "method": method,
                    "indicators": [{"name": n, "appraiser": a, "weight": w, "score": _tenths(s)}
                                   for n, a, w, s in rows],
                    "remarks": BOTTOM_REMARK if rank > len(ranked) - 3 else None,
                })
    return records
