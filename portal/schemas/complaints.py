"""效能投诉办结案件: disposed complaints against departments, never naming the complainant."""

import datetime as dt

from flask_babel import lazy_gettext as _l

from ..workdays import working_days
from .fields import Boolean, Choice, Date, Department, Field, Integer, LongText
from .kind import TITLE_JOIN, Computed, Kind, Sort
from .personal_columns import is_personal_column

CHANNELS = ("热线", "信箱", "网站", "来访", "12345")
CATEGORIES = (
    "不作为", "慢作为", "乱作为", "吃拿卡要", "推诿扯皮",
    "服务态度", "违反首问负责制", "超时办结", "其他",
)
FINDINGS = ("属实", "部分属实", "不属实")
OUTCOMES = (
    "诫勉谈话", "通报批评", "取消评优资格", "调离岗位", "辞退",
    "责令辞职", "纪律处分", "移送司法", "批评教育", "不予处理",
)
SATISFACTION = ("满意", "基本满意", "不满意", "未回访")
# 限时办结: a complaint must be disposed within ten working days of acceptance.
LIMIT_WORKING_DAYS = 10


def _days_taken(record) -> int:
    """Working days from acceptance to disposal (限时办结 allows ten)."""
    return working_days(dt.date.fromisoformat(record["received"]), dt.date.fromisoformat(record["closed"]))


def _closed_after_received(record):
    if record["closed"] < record["received"]:
        return "办结日期", _l("办结日期不能早于受理日期")
    return None


COMPLAINTS = Kind(
    name="complaints",
    label="效能投诉办结案件",
    item_label="投诉案件",
    key=lambda r: r["code"],
    # Without a department (a template, a file being checked) the category stands alone;
    # published items are titled by `named_title`. Nothing about the complainant, ever.
    title=lambda r: r["category"],
    description="群众对机关效能的投诉如何核查、如何处理;投诉人信息一律不公开。",
    fields=(
        Field("code", "案件编号", required=True, max_length=30,
              pattern=r"[0-9]{4}-[A-Z]{2}-[0-9]{4,6}", example="2024-XN-0012"),
        Date("received", "受理日期", required=True, example="2024-03-04"),
        Date("closed", "办结日期", required=True, example="2024-03-12"),
        Department("department", "被投诉单位", required=True, example="99010000FG"),
        Choice("channel", "投诉渠道", required=True, choices=CHANNELS, example="12345"),
        Choice("category", "问题类别", required=True, choices=CATEGORIES, example="慢作为"),
        LongText("summary", "投诉摘要", required=True, max_length=2000,
                 help="用“张某”等方式指代,不得出现投诉人姓名、证件号、电话、住址",
                 example="张某反映,其到市政务服务中心办理企业投资项目核准时,窗口工作人员未一次性告知"
                         "需要补正的材料,致其往返三次。"),
        Choice("finding", "核查结论", required=True, choices=FINDINGS, example="属实", display="badge"),
        Choice("outcome", "处理结果", required=True, choices=OUTCOMES, example="批评教育"),
        Integer("handled_people", "处理人数", required=True, minimum=0, maximum=999, example="1"),
        LongText("rectification", "整改措施",
                 example="重申一次性告知制度,对当事人员进行批评教育并纳入年度考核。"),
        Choice("satisfaction", "回访满意度", required=True, choices=SATISFACTION, example="满意"),
    ),
    rules=(_closed_after_received,),
    personal_column=is_personal_column,
    personal_data=True,
    columns=("department", "category", "finding", "received", "working_days", "within_limit"),
    computed=(
        Computed(Integer("year", "年度"), lambda r: int(r["received"][:4])),
        Computed(Integer("working_days", "办理天数", display="workdays"), _days_taken),
        Computed(Boolean("within_limit", "限时办结"), lambda r: _days_taken(r) <= LIMIT_WORKING_DAYS),
    ),
    facets=("year", "department", "category", "finding"),
    sorts=(
        Sort("recent", _l("最近受理"), (("received", True), ("code", True))),
        Sort("slowest", _l("办理最慢"), (("working_days", True), ("code", False))),
        Sort("code", _l("按编号"), (("code", False),)),
    ),
    section=50,
    title_label=_l("投诉案件"),
    named_title=lambda r, department: f"{r['category']}{TITLE_JOIN}{department}",
    code_parts=False,  # a case number is a year, a letter code and a serial, not a department's code
)
