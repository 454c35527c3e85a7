"""权责清单: expand the catalogues into power items with duties, accountability and status."""

from __future__ import annotations

import random
import re

from . import catalogue_a, catalogue_b, duties
from . import vocabulary as v
from .departments import Dept

TYPES = {
    "XK": "行政许可", "CF": "行政处罚", "QZ": "行政强制", "ZS": "行政征收", "JF": "行政给付",
    "JC": "行政检查", "QR": "行政确认", "JL": "行政奖励", "CJ": "行政裁决", "QT": "其他行政权力",
    "GG": "公共服务", "QI": "其他",
}
# Public services and "other" items borrow the duty and liability wording of 其他行政权力.
_DUTY_TYPE = {"GG": "QT", "QI": "QT"}
# Public services are offered at city and district counters alike (a multi-level cell).
_LEVELS = {"GG": ["市级", "区县级"]}

# The city really issued these clean-up decisions; random withdrawals cite them so
# that items withdrawn together share a document and a date.
DECISIONS = (
    ("2023-05-12", "华政发〔2023〕9号"),
    ("2024-04-18", "华政发〔2024〕12号"),
    ("2025-06-20", "华政发〔2025〕7号"),
)
DECISION_TITLE = "《华松市人民政府关于取消和调整一批行政权力事项的决定》"
# A city may drop only what it created itself, such as its own commendations
# (评比达标表彰 are cleaned up regularly); statutory penalties and inspections are
# merged or re-worded, never "cancelled for lack of cases".
CANCEL_REASONS = (
    "根据{title}({doc})取消",
    "根据{title}({doc})和评比达标表彰活动清理要求,该表彰事项不再单独保留",
    "根据{title}({doc}),该事项已并入市级综合表彰统一组织实施,本部门不再保留",
)
# (types, departments, reason): who a reason fits; "*" for any.
ADJUST_REASONS = (
    ("*", "*", "根据{title}({doc}),事项名称和设定依据作相应调整"),
    ("*", "*", "根据{title}({doc}),与同类事项合并实施,承办机构调整为{office}"),
    ("CF JC", "CG SJ YJ ZR HJ NY", "根据{title}({doc}),实施层级调整,部分情形由乡镇(街道)综合行政执法队实施"),
    ("CF", "*", "根据{title}({doc}),行政裁量权基准修订,子项划分作相应调整"),
)


def _cancellable(row: dict) -> bool:
    # Commendations only; rewards for reporting offences are set by statute.
    return row["_tc"] == "JL" and "举报" not in row["name"]
REMARKS = {
    "XK": ("已进驻市政务服务中心,实行“一窗受理、集成服务”", "实行告知承诺制", "可全程网上办理"),
    "CF": ("首次违法且危害后果轻微并及时改正的,依法可以不予行政处罚",
           "纳入行政裁量权基准管理", "重大处罚决定作出前须经法制审核"),
    "JC": ("纳入“双随机、一公开”监管", "推行跨部门联合检查,减少对企业的干扰"),
    "QZ": ("实施前须经部门负责人批准,情况紧急的事后补办",),
    "JF": ("资金通过社会保障卡发放", "实行动态管理,按月发放"),
    "QR": ("可通过电子证照库核验,免于提交纸质证明",),
}


def parse(text: str) -> list[dict]:
    """Parse a catalogue block into entries (type, name, subs, basis, status, mandatory)."""
    entries = []
    for line in text.strip().splitlines():
        mandatory = line.startswith("!")
        parts = line.lstrip("!").split("|")
        tc, name, subs, basis = parts[:4]
        entries.append({
            "tc": tc, "name": name, "subs": subs.split("/") if subs else [""],
            "basis": basis, "status": parts[4] if len(parts) > 4 else "", "mandatory": mandatory,
        })
    return entries


def entries_for(dept: Dept, rng: random.Random) -> list[dict]:
    """Return the catalogue entries a department holds (towns draw theirs from a pool)."""
    catalogue = {**catalogue_a.CATALOGUE, **catalogue_b.CATALOGUE}
    entries = parse(catalogue[dept.key])
    if dept.category == "市直部门":
        return entries
    fixed = [e for e in entries if e["mandatory"]]
    drawn = [e for e in entries if not e["mandatory"]]
    # Towns hold few items: the mandatory ones plus two or three from the pool.
    picked = rng.sample(drawn, k=min(len(drawn), 2 + (rng.random() < 0.5)))
    return fixed + [e for e in drawn if e in picked]


def _behaviour(name: str) -> str:
    # "对X的处罚" → X, used by duty templates that speak of the act itself.
    match = re.fullmatch(r"对(.+?)的(?:处罚|按日连续处罚|监督检查|现场检查|年度检查)", name)
    return match.group(1) if match else name


def withdraw(rng: random.Random, rows: list[dict], depts: dict[str, Dept], share: float = 0.06) -> None:
    """Mark items withdrawn or changed by the city's clean-up decisions, in place.

    Together with the hand-marked transfers in the catalogues, `share` of all
    items end up 已取消 or 已调整 (about a third cancelled); items a service
    guide links to stay 在用.
    """
    marked = sum(1 for r in rows if r["status"] != "在用")
    wanted = max(0, round(share * len(rows)) - marked)
    free = [r for r in rows if r["status"] == "在用" and not r["_keep"]]
    cancellable = [r for r in free if _cancellable(r)]
    cancel = rng.sample(cancellable, k=min(wanted // 3, len(cancellable)))
    rest = [r for r in free if r not in cancel]
    adjust = rng.sample(rest, k=min(wanted - len(cancel), len(rest)))
    for row in sorted(cancel + adjust, key=lambda r: r["code"]):
        date, doc = rng.choice(DECISIONS)
        if row in cancel:
            status, reason = "已取消", rng.choice(CANCEL_REASONS).format(title=DECISION_TITLE, doc=doc)
        else:
            key = depts[row["department"]].key
            options = [text for types, keys, text in ADJUST_REASONS
                       if (types == "*" or row["_tc"] in types.split())
                       and (keys == "*" or key in keys.split())]
            reason = rng.choice(options).format(title=DECISION_TITLE, doc=doc, office=row["office"])
            status = "已调整"
        # A withdrawn or changed item keeps its wording but loses the “in use” remark.
        row.update(status=status, status_date=date, status_reason=reason, remarks=None)


def build(rng: random.Random, dept: Dept, entries: list[dict], scale: int, keep: set[str]) -> list[dict]:
    """Return the department's power items, `scale` times its `entries`, codes unique.

    `keep` holds the names of items that service guides link to (see `withdraw`).
    Copies beyond the first carry a 子项名称 marking them as benchmark samples.
    """
    level = ["市级"] if dept.category == "市直部门" else ["乡镇街道级"]
    seq: dict[str, int] = {}
    rows = []
    for copy in range(scale):
        for entry in entries:
            tc = entry["tc"]
            for sub in entry["subs"]:
                seq[tc] = seq.get(tc, 0) + 1
                status, date, reason = (entry["status"].split("@") if entry["status"]
                                        else ("在用", None, None))
                if copy:
                    sub_name = f"{sub}(扩展样本{copy + 1})" if sub else f"扩展样本{copy + 1}"
                else:
                    sub_name = sub or None
                remarks = None
                if status == "在用" and tc in REMARKS and rng.random() < 0.22:
                    remarks = rng.choice(REMARKS[tc])
                act, dtc = _behaviour(entry["name"]), _DUTY_TYPE.get(tc, tc)
                # Real lists publish some services without a legal basis: the page shows the gap.
                basis = entry["basis"]
                rows.append({
                    "code": f"{dept.code}-{tc}-{seq[tc]:04d}",
                    "name": entry["name"],
                    "sub_name": sub_name,
                    "power_type": TYPES[tc],
                    "department": dept.code,
                    "office": dept.office(tc, entry["name"]),
                    "level": _LEVELS.get(tc, level),
                    "basis": v.cite(basis) if basis else None,
                    "duties": duties.duties(rng, dtc, act),
                    "duty_basis": duties.duty_basis(dtc, basis) if basis else None,
                    "accountability": duties.accountability(rng, dtc),
                    "accountability_basis": duties.accountability_basis(dtc, basis),
                    "phone": dept.complaint_phone,
                    "status": status,
                    "status_date": date,
                    "status_reason": reason,
                    "remarks": remarks,
                    # Private keys (not in the schema) for the service generator.
                    "_tc": tc, "_sub": sub, "_copy": copy, "_keep": entry["name"] in keep,
                })
    return rows
