"""绩效考评结果: each department's yearly score, grade, rank and indicator scores."""

from flask_babel import lazy_gettext as _l

from .fields import Choice, Decimal, Department, Field, Integer, LongText, Table
from .kind import Kind, Sort

GRADES = ("优秀", "良好", "一般", "较差")
APPRAISERS = ("上级考核", "民主评议", "群众满意度测评", "基层评议机关", "日常考核")

INDICATORS = Table(
    "indicators", "考评指标", required=True, min_rows=1, max_rows=40,
    help="每行一项指标:得分不超过权重,各项权重合计 100",
    columns=(
        Field("name", "指标名称", required=True, max_length=100, example="重点工作任务完成情况"),
        Choice("appraiser", "考评主体", required=True, choices=APPRAISERS, example="上级考核"),
        Decimal("weight", "权重", required=True, minimum=0, maximum=100, example="40"),
        Decimal("score", "得分", required=True, minimum=0, maximum=100, example="37.5"),
    ),
    example_rows=(
        ("政务服务效能", "日常考核", "30", "28"),
        ("群众满意度测评", "群众满意度测评", "30", "26"),
    ),
)


def _scores_add_up(record):
    rows = record["indicators"]
    for number, row in enumerate(rows, start=1):
        if row["score"] > row["weight"]:
            return "考评指标", _l("第 %(row)s 项指标得分超过权重", row=number)
    if abs(sum(r["weight"] for r in rows) - 100) > 0.01:
        return "考评指标", _l("各项指标权重合计应为 100")
    if abs(sum(r["score"] for r in rows) - record["total_score"]) > 0.05:
        return "总分", _l("总分应等于各项指标得分之和")
    return None


APPRAISALS = Kind(
    name="appraisals",
    label="绩效考评结果",
    item_label="考评结果",
    file_format="yaml",
    key=lambda r: f"{r['year']}-{r['department']}",
    key_fields=("year", "department"),
    title=lambda r: f"{r['year']}年度绩效考评结果",
    description="每个部门每年的考评总分、等次、名次和各项指标得分,可跨年度比较。",
    fields=(
        Integer("year", "考评年度", required=True, minimum=2000, maximum=2100, example="2024"),
        Department("department", "被考评单位", required=True, example="99010000FG"),
        Decimal("total_score", "总分", required=True, minimum=0, maximum=100, example="91.5"),
        Choice("grade", "等次", required=True, choices=GRADES, example="优秀", display="badge"),
        Integer("rank", "名次", required=True, minimum=1, maximum=999,
                help="在同类单位(市直部门或乡镇街道)中的名次", example="3"),
        LongText("method", "考评方式", help="谁来考评、怎样计分",
                 example="由市机关效能建设领导小组办公室组织,采取上级考核、日常考核和群众满意度测评"
                         "相结合的方式,实行百分制。"),
        INDICATORS,
        Field("remarks", "备注", max_length=500, help="如:末三位,给予谈话警示"),
    ),
    rules=(_scores_add_up,),
    columns=("department", "total_score", "grade", "rank"),
    facets=("year", "department", "grade"),
    sorts=(
        Sort("rank", _l("按年度和名次"), (("year", True), ("rank", False), ("code", False))),
        Sort("score", _l("总分最高"), (("total_score", True), ("code", False))),
        Sort("score_low", _l("总分最低"), (("total_score", False), ("code", False))),
    ),
    section=10,
    item_pages=False,
    title_label=_l("考评结果"),
)
