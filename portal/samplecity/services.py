"""办事指南 and 服务承诺: one guide per spec line in `guides`, and its commitment."""

from __future__ import annotations

import random

from . import flows, guides
from . import vocabulary as v
from .departments import Dept

OBJECTS = {"个": "个人", "法": "法人", "两": "个人和法人"}
CASE_TYPES = {"即": "即办件", "承": "承诺件"}
# Where each department sits in the service hall; unlisted ones share the 综合受理区.
ZONES = {
    "GA": "一楼A区", "RS": "一楼C区", "YB": "一楼D区", "MZ": "一楼E区", "TY": "一楼F区",
    "SJ": "二楼A区", "SP": "二楼B区", "ZJ": "二楼C区", "JT": "二楼D区",
    "WJ": "三楼A区", "NY": "三楼B区", "SW": "三楼C区", "HJ": "三楼D区", "CG": "三楼E区",
    "WL": "三楼F区", "YJ": "三楼G区", "ZR": "三楼不动产登记专区", "JY": "四楼A区", "LC": "四楼B区",
}
SHARED_ZONE = "四楼综合受理区"
# 法律援助 and 复议 are received where lawyers sit, not in the hall.
OWN_HALLS = {"SF": "华松市公共法律服务中心综合窗口"}
RULES = (
    "首问负责:首位接待的工作人员负责解答咨询、引导办理,不得推诿",
    "一次性告知:申请材料不齐全或者不符合法定形式的,一次性书面告知需要补正的全部内容",
    "AB岗工作制:A岗人员不在岗时由B岗人员代为办理,确保窗口不空岗、业务不断档",
    "延时服务:对提前预约的办事群众提供中午和周末延时服务",
    "免费邮寄:办理结果可选择免费邮寄送达",
    "滞办反馈告知:暂缓办理或者不予办理的,出具《滞办反馈告知书》,写明理由和经办人",
    "办结回访:办结后通过短信或者电话回访办事群众满意度,接受评价",
)
EFFECTIVE = ("2023-01-01", "2023-07-01", "2024-01-01", "2024-01-01", "2024-03-01", "2025-01-01")
DEFAULT_DAYS = {"XK": 20, "QR": 20, "JF": 30}


def _material(rng: random.Random, spec: str) -> dict:
    """One 申请材料 row; form, source and copies follow from what the document is."""
    optional = spec.startswith("?")
    name = spec.lstrip("?")
    row = {"name": name, "necessity": "容缺" if optional else "必要", "form": "原件", "copies": 1,
           "source": "申请人自备", "blank_form": None, "sample": None, "notes": None}
    if any(word in name for word in ("申请书", "申请表", "登记表", "审批表", "申报表", "审核表", "信息表",
                                     "授权书", "委托书", "承诺书", "声明")):
        row.update(source="申请人填写(窗口领取或网上下载)", blank_form=f"《{name}》(可在华松市政务服务网下载)",
                   sample="填写示例见办事窗口和网上办事大厅")
    elif any(word in name for word in ("身份证", "户口簿", "营业执照", "退出现役证", "残疾证", "军人证", "社会保障卡")):
        row.update(source="政府部门核发",
                   notes="核验原件后退回;已纳入电子证照库的可免于提交" if rng.random() < 0.7 else "核验原件后退回")
    elif "身份证明" in name:
        row.update(form="原件和复印件", notes="核验原件后退回,留存复印件")
    elif any(word in name for word in ("证书", "许可证", "证明", "批准文件", "意见", "报告", "通知书")):
        row.update(form=rng.choice(("原件", "原件和复印件", "复印件")), source="相关部门或者机构出具")
    elif any(word in name for word in ("合同", "协议", "章程", "制度", "方案", "规范")):
        row.update(form=rng.choice(("原件", "复印件")))
    elif any(word in name for word in ("图", "设计")):
        row.update(copies=2, source="申请人自备或者委托专业机构编制")
    elif "照片" in name:
        row.update(copies=2, notes="近期一寸白底免冠彩色照片")
    if optional and not row["notes"]:
        row["notes"] = "可先行受理,申请人承诺限期补齐"
    return row


def specs_for(dept: Dept, rng: random.Random, held: set[str], count: int | None) -> list[list[str]]:
    """Return the guide specs a department publishes; towns draw `count` from their pool."""
    lines = [line.split("|") for line in guides.GUIDES[dept.key].strip().splitlines()]
    lines = [spec + [""] * (9 - len(spec)) for spec in lines]
    if dept.category == "市直部门":
        return lines
    usable = [spec for spec in lines if spec[0] == "-" or spec[0].split("/")[0] in held]
    return rng.sample(usable, k=min(count or 0, len(usable)))


def _windows(rng: random.Random, dept: Dept, count: int, used: dict[str, set]) -> list[tuple[str, str]]:
    """Return (location, hours) per guide; window numbers never repeat within a hall zone."""
    if dept.category == "乡镇街道":
        return [(f"{dept.short}便民服务中心综合受理窗口", v.HALL_HOURS[0])] * count
    if dept.key in OWN_HALLS:
        return [(OWN_HALLS[dept.key], dept.hours)] * count
    zone = ZONES.get(dept.key, SHARED_ZONE)
    taken = used.setdefault(zone, set())
    free = [n for n in range(1, 61) if n not in taken]
    # A department's windows sit side by side; a small department shares one window.
    size = max(1, min(count, (count + 2) // 3))
    start = rng.randrange(0, max(1, len(free) - size))
    mine = free[start:start + size]
    taken.update(mine)
    return [(f"{v.HALL}{zone}{mine[i % size]}号窗口", v.HALL_HOURS[1]) for i in range(count)]


def _promise(rng: random.Random, committed: int, materials: list[dict], tc: str) -> str:
    picked = [RULES[0], RULES[1]] if rng.random() < 0.6 else [rng.choice(RULES[:2])]
    limit = "符合条件的当场办结" if committed == 0 else f"自受理之日起{committed}个工作日内办结"
    picked.append(f"限时办结:{limit}")
    if any(m["necessity"] == "容缺" for m in materials):
        picked.append("容缺受理:次要材料暂缺但申请人承诺限期补齐的,先行受理审查")
    if tc in ("XK", "QT") and committed and rng.random() < 0.2:
        picked.append("超时默认:超过承诺时限未作出决定且无正当理由的,视为同意,由系统自动生成办理结果")
    picked += rng.sample(RULES[2:], k=rng.randint(1, 3))
    return "\n".join(f"{i}.{text};" for i, text in enumerate(picked, start=1))[:-1] + "。"


def guide_extras(code: str, name: str, tc: str, online: bool, visits: int, issues: str | None = None) -> dict:
    """The optional parts of a guide some real guides give: 网办深度 always, and for some
    (chosen by the code, so that the rest of the city stays as it was) 办理结果, 常见问题,
    the routes of review, 物流快递. `issues` is what the service is known to issue (营业执照),
    the 办理结果名称 everyday-word search ranks with the title."""
    depth = ("四级" if visits == 0 else "三级") if online else "二级"
    extras = {"online_depth": depth}
    pick = random.Random(code)
    if tc == "XK":
        extras.update(result_name=f"准予{name}决定书", result_type="批文",
                      reconsideration="对决定不服的,可自知道该行政行为之日起六十日内向华松市人民政府申请行政复议",
                      litigation="也可自知道或者应当知道该行政行为之日起六个月内向华松市人民法院提起行政诉讼")
    if issues:
        extras["result_name"] = issues
    if pick.random() < 0.2:
        extras["faq"] = [{"question": "可以委托他人办理吗?",
                          "answer": "可以。受托人须携带授权委托书和本人有效身份证件。"}]
        extras["delivery"] = "办理结果可免费邮寄送达"
        extras["progress_query"] = "登录华松市政务服务网“我的办件”或拨打咨询电话查询"
    return extras


def limit_notes(flow: list[dict]) -> dict:
    """A commitment's 法定时限说明 where its flow has an expert review (counted apart)."""
    if any(step.get("special") for step in flow):
        return {"statutory_note": "依法需要专家评审的,专家评审所需时间不计算在法定办结时限内"}
    return {}


def build(rng: random.Random, dept: Dept, powers: list[dict], scale: int,
          used_windows: dict[str, set], town_count: int | None = None) -> tuple[list[dict], list[dict]]:
    """Return (service guides, commitments) of a department, `scale` times its specs.

    `used_windows` is shared by all departments of one city so that no two
    departments publish the same hall window.
    """
    held = {p["name"] for p in powers if p["status"] == "在用"}
    specs = specs_for(dept, rng, held, town_count)
    windows = _windows(rng, dept, len(specs), used_windows)
    services, commitments = [], []
    seq = 0
    for copy in range(scale):
        for spec, (location, hours) in zip(specs, windows):
            link, name, obj, case, conditions, materials, fee, days, basis = spec
            linked = None
            if link != "-":
                target, _, sub = link.partition("/")
                linked = next(p for p in powers if p["name"] == target and p["_sub"] == sub
                              and p["_copy"] == copy and p["status"] == "在用")
            tc = linked["_tc"] if linked else "QT"
            case_type = CASE_TYPES[case]
            statutory, _, promised = (days or str(DEFAULT_DAYS.get(tc, 15))).partition("/")
            statutory = int(statutory)
            if promised:
                committed = int(promised)
            elif case_type == "即办件":
                committed = rng.choice((0, 0, 1))
            else:
                # Departments promise to save around half of the statutory time.
                committed = max(1, min(statutory - 1, round(statutory * rng.uniform(0.35, 0.6))))
            fee_text = guides.FEES.get(fee, fee) or None
            online = rng.random() < (0.9 if obj == "法" else 0.78)
            if online:
                visits = 0 if rng.random() < (0.6 if case_type == "即办件" else 0.4) else 1
            else:
                visits = 1 if rng.random() < 0.85 else 2
            rows = [_material(rng, m) for m in materials.split(";")]
            seq += 1
            code = f"{dept.code}-FW-{seq:04d}"
            title = name if not copy else f"{name}(扩展样本{copy + 1})"
            services.append({
                "code": code, "name": title, "department": dept.code,
                "power_code": linked["code"] if linked else None,
                "service_object": OBJECTS[obj].split("和"), "case_type": case_type, "conditions": conditions,
                "materials": rows, "location": location, "hours": hours, "visits": visits,
                "fee": bool(fee_text), "fee_standard": fee_text,
                "consult_phone": dept.phone, "complaint_phone": dept.complaint_phone,
                "online": online,
                "basis": linked["basis"] if linked else (v.cite(basis) if basis else None),
                "flow": flows.build(rng, tc, case_type, committed, online, bool(fee_text)),
                **guide_extras(code, title, tc, online, visits, guides.RESULTS.get(name)),
            })
            commitments.append({
                "code": code, "name": title, "department": dept.code,
                "statutory_days": statutory, "committed_days": committed,
                "fee_commitment": ("严格按照公布的收费标准收取,有幅度的按下限收取,不擅自增加收费项目"
                                   if fee_text else "不收费"),
                "promise": _promise(rng, committed, rows, tc),
                "window": location, "hours": hours, "phone": dept.complaint_phone,
                "effective": rng.choice(EFFECTIVE),
                **limit_notes(services[-1]["flow"]),
            })
    return services, commitments
