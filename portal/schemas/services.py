"""办事指南: how to get a service done — conditions, materials, the flow, where and when."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..flowcharts.validate import problems as flow_problems
from .codes import ItemCode
from .fields import Boolean, Choice, Department, Field, Integer, LongText
from .guide_tables import (
    CASE_TYPE_ALIASES, CASE_TYPES, FAQ, FEE_ITEMS, FLOW, MATERIALS, ONLINE_DEPTH_ALIASES, ONLINE_DEPTHS,
    SERVICE_OBJECT_ALIASES, SERVICE_OBJECTS,
)
from .kind import BY_CODE, Kind, Related, Sort
from .values import Several


@dataclass(frozen=True)
class Charged(Boolean):
    """是否收费 as departments write it: 是/否, or 收费 / 不收费 / 免费."""

    _TRUE = (*Boolean._TRUE, "收费")
    _FALSE = (*Boolean._FALSE, "不收费", "免费")


# The optional fields of a real 办事指南, shown on the page only when a department gives them.
EXTRAS = (
    LongText("review_standard", "审查标准", help="审查的内容和标准",
             example="项目符合国家产业政策、发展规划和行业准入标准"),
    LongText("quantity_limit", "数量限制", help="有数量限制的写明限制数量和方式", example="无数量限制"),
    LongText("prerequisites", "前置事项", help="办理本事项前须先办理的事项",
             example="建设项目用地预审与选址意见书核发"),
    LongText("intermediary", "中介服务", help="须委托中介机构的服务名称、是否收费、机构",
             example="项目申请报告编制(申请人自主选择具备能力的咨询机构)"),
    Field("result_name", "办理结果名称", max_length=200, example="企业投资项目核准批复文件"),
    Field("result_type", "办理结果类型", max_length=50, help="证照、批文、其他", example="批文"),
    Field("result_sample", "办理结果样本", max_length=500, help="样本名称或下载地址",
          example="《企业投资项目核准批复》样本(办事窗口可查阅)"),
    Field("online_url", "网上办理地址", max_length=500, example="https://www.sczwfw.gov.cn/"),
    Field("progress_query", "进度查询", max_length=500, help="查询办理进度的方式或地址",
          example="登录政务服务网“我的办件”查询,或拨打咨询电话"),
    Field("scope", "通办范围", max_length=100, help="全国、跨省、全省、全市、全区等", example="全市"),
    Field("appointment", "预约办理", max_length=300, help="是否支持预约,预约方式",
          example="支持,可通过政务服务网或电话预约"),
    Field("delivery", "物流快递", max_length=300, help="是否支持物流快递送达申请材料或办理结果",
          example="办理结果可免费邮寄送达"),
    LongText("reconsideration", "行政复议", help="申请行政复议的机关、地址和期限",
             example="自知道该行政行为之日起六十日内,向华松市人民政府申请行政复议"),
    LongText("litigation", "行政诉讼", help="提起行政诉讼的法院和期限",
             example="自知道或者应当知道作出行政行为之日起六个月内,向华松市人民法院提起行政诉讼"),
)


def _fee_needs_standard(record):
    if record["fee"] and not record["fee_standard"] and not record["fee_items"]:
        return "收费标准与依据", _l("收费事项必须写明收费标准与依据")
    return None


def _online_said(record):
    if record["online"] is None and record["online_depth"] is None:
        return "是否网办", _l("请填写“是否网办”或“网办深度”")
    return None


def _flow_is_a_graph(record):
    # One start, ends, every step reachable, loops only through a decision: each
    # problem names its step, so that the uploader can find it in the flow table.
    return [(FLOW.label, message) for message in flow_problems(record["flow"])]


SERVICES = Kind(
    name="services",
    label="办事指南",
    item_label="办事事项",
    file_format="yaml",
    key=lambda r: r["code"],
    title=lambda r: r["name"],
    description="办一件事需要什么条件、带哪些材料、经过哪些环节、去哪里、跑几次。",
    fields=(
        ItemCode("code", "事项编码", required=True,
                 help="本市编码(主体码-类型码-序号),或国家、省级的实施编码,按原样填写",
                 example="99010000FG-FW-0001"),
        Field("name", "事项名称", required=True, max_length=200, example="企业投资项目核准"),
        Department("department", "实施主体", required=True, example="99010000FG"),
        ItemCode("power_code", "关联权力事项编码", help="本事项依据的权力事项",
                 example="99010000FG-XK-0001"),
        Several("service_object", "服务对象", required=True, choices=SERVICE_OBJECTS,
                aliases=SERVICE_OBJECT_ALIASES, max_length=200,
                help="可填写多个,用顿号分隔;也可填写国家服务对象代码 1 自然人 … 6 行政机关,9 其他组织",
                example="企业法人、事业法人"),
        Choice("case_type", "办件类型", required=True, choices=CASE_TYPES, aliases=CASE_TYPE_ALIASES,
               example="承诺件"),
        LongText("conditions", "受理条件", required=True,
                 example="属于核准目录内的企业投资项目,项目单位已取得用地预审和选址意见"),
        MATERIALS,
        Field("location", "办理地点", required=True, max_length=200,
              example="华松市政务服务中心四楼综合受理区44号窗口"),
        Field("hours", "办理时间", required=True, max_length=200, example="工作日 8:30-12:00,14:00-17:30"),
        Integer("visits", "到办事现场次数", required=True, minimum=0, maximum=9,
                help="“最多跑一次”即填 1;全程网办填 0", example="1"),
        Charged("fee", "是否收费", required=True, help="是或否;也可写“收费”“不收费”“免费”", example="不收费"),
        LongText("fee_standard", "收费标准与依据", help="有幅度的按下限收取;也可在“收费项目”表逐项填写"),
        Field("consult_phone", "咨询电话", required=True, max_length=200, example="0999-8015267",
              help="可填写多个号码", contact=True),
        Field("complaint_phone", "监督投诉电话", required=True, max_length=200, example="0999-8018920",
              help="可填写多个号码", contact=True),
        Boolean("online", "是否网办", help="填写“网办深度”的可不填", example="是"),
        Choice("online_depth", "网办深度", choices=ONLINE_DEPTHS, aliases=ONLINE_DEPTH_ALIASES,
               help="一级(网上咨询)、二级(网上预约、下载表格)、三级(网上预审)、四级(全程网办)",
               example="四级"),
        LongText("basis", "设定依据", example="《企业投资项目核准和备案管理条例》第三条"),
        FLOW,
        *EXTRAS,
        FEE_ITEMS,
        FAQ,
    ),
    rules=(_fee_needs_standard, _online_said, _flow_is_a_graph),
    columns=("department", "service_object", "case_type", "visits", "online"),
    facets=("department", "service_object", "case_type"),
    sorts=(
        BY_CODE,
        Sort("title", _l("按名称"), (("title", False), ("code", False))),
        Sort("visits", _l("跑动次数最少"), (("visits", False), ("code", False))),
    ),
    related=(
        Related("commitments", ours="code", theirs="code"),
        Related("powers", ours="power_code", theirs="code"),
    ),
    section=30,
)


def guide_presentation(record: dict) -> dict:
    """What a guide's page shows beyond its fields: the material columns some material fills
    (an older list has no 原件份数), and the optional fields it gives (常见问题, 办理结果 …)."""
    materials = record.get("materials") or []
    return {
        "material_columns": [c for c in MATERIALS.columns
                             if c.required or any(m.get(c.name) not in (None, "") for m in materials)],
        "extras": [f for f in EXTRAS if record.get(f.name)],
        "extra_names": tuple(f.name for f in EXTRAS),
    }
