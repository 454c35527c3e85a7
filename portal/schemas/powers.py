"""权责清单: one row per power item a department may exercise, and who answers for it."""

from flask_babel import lazy_gettext as _l

from .codes import ItemCode
from .fields import Choice, Date, Department, Field, LongText
from .kind import BY_CODE, Kind, Related, Sort
from .values import Several

# 事项类型 as the national 政务服务事项 elements list them: ten kinds of administrative power,
# 公共服务, and 其他 as some provincial lists write it.
POWER_TYPES = (
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付",
    "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务", "其他",
)
# The national elements' numeric 事项类型 codes (taskType), with and without the leading zero.
POWER_TYPE_CODES = tuple(
    (spelling, name)
    for number, name in enumerate(POWER_TYPES[:10], start=1)
    for spelling in {str(number), f"{number:02d}"}
) + (("20", "公共服务"),)
# 行使层级, and the national codes 1–6 departments write for them.
LEVELS = ("国家级", "省级", "市级", "区县级", "乡镇街道级", "村社区级")
LEVEL_ALIASES = tuple((str(number), name) for number, name in enumerate(LEVELS, start=1)) + (
    ("县级", "区县级"), ("区级", "区县级"), ("县区级", "区县级"), ("乡镇级", "乡镇街道级"),
    ("街道级", "乡镇街道级"), ("村级", "村社区级"), ("社区级", "村社区级"), ("村(社区)级", "村社区级"),
)
STATUSES = ("在用", "已取消", "已调整")


def _status_needs_date(record):
    if record["status"] != "在用" and not record["status_date"]:
        return "状态日期", _l("状态为“%(status)s”时必须填写状态日期", status=record["status"])
    return None


POWERS = Kind(
    name="powers",
    label="权责清单",
    item_label="权力事项",
    key=lambda r: r["code"],
    title=lambda r: r["name"] + (f"({r['sub_name']})" if r["sub_name"] else ""),
    description="部门依法行使的每一项权力,它的设定依据、责任事项和追责情形。",
    fields=(
        ItemCode("code", "事项编码", required=True,
                 help="本市编码(主体码-类型码-序号),或国家、省级的实施编码、基本编码,按原样填写",
                 example="99010000FG-XK-0001"),
        Field("name", "事项名称", required=True, max_length=200, example="企业投资项目核准"),
        Field("sub_name", "子项名称", max_length=200),
        Choice("power_type", "权力类型", required=True, choices=POWER_TYPES, aliases=POWER_TYPE_CODES,
               help="也可填写国家事项类型代码:1 行政许可 … 10 其他行政权力,20 公共服务",
               example="行政许可"),
        Department("department", "实施主体", required=True, help="部门编码或部门全称",
                   example="99010000FG"),
        Field("office", "承办机构", max_length=100, help="部门内具体承办的科室", example="投资科"),
        Several("level", "实施层级", choices=LEVELS, aliases=LEVEL_ALIASES,
                help="可填写多个,用顿号或逗号分隔;也可填写国家层级代码 1 国家级 … 6 村社区级",
                example="市级"),
        LongText("basis", "设定依据", help="法律、法规、规章名称及条款;未公布的,页面显示“未公布设定依据”",
                 missing="未公布设定依据",
                 example="《企业投资项目核准和备案管理条例》第三条"),
        LongText("duties", "责任事项", help="按受理、审查、决定、送达、事后监管等环节列明",
                 example="1.受理责任:公示应当提交的材料,一次性告知需要补正的全部内容;\n"
                         "2.审查责任:审查申请材料,必要时指派两名以上工作人员现场核查;\n"
                         "3.决定责任:在承诺时限内作出准予或者不予核准的决定;\n"
                         "4.送达责任:按时送达核准文件;\n5.事后监管责任:核查项目是否按核准内容建设。"),
        LongText("duty_basis", "责任事项依据",
                 example="《中华人民共和国行政许可法》第三十条、第三十四条、第三十八条"),
        LongText("accountability", "追责情形", help="哪些情形下追究工作人员责任",
                 example="1.对符合法定条件的申请不予受理的;\n2.对不符合法定条件的申请准予核准的;\n"
                         "3.办理过程中索取或者收受他人财物的。"),
        LongText("accountability_basis", "追责依据",
                 example="《中华人民共和国行政许可法》第七十二条至第七十五条"),
        Field("phone", "监督电话", max_length=200, example="0999-1234568", contact=True),
        Choice("status", "状态", choices=STATUSES, default="在用", help="不填即为“在用”",
               example="在用", display="badge"),
        Date("status_date", "状态日期", help="取消或调整的日期"),
        Field("status_reason", "状态说明", max_length=500, help="取消或调整的原因与文件"),
        Field("remarks", "备注", max_length=500, example="实行告知承诺制"),
    ),
    rules=(_status_needs_date,),
    columns=("power_type", "department", "status"),
    facets=("department", "power_type", "status"),
    sorts=(
        BY_CODE,
        Sort("title", _l("按名称"), (("title", False), ("code", False))),
        Sort("updated", _l("最近更新"), (("updated_at", True), ("code", False))),
    ),
    related=(Related("services", ours="code", theirs="power_code", many=True),),
    section=20,
)
