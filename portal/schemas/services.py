"""办事指南: how to get a service done — conditions, materials, the flow, where and when."""

from flask_babel import lazy_gettext as _l

from ..flowcharts.validate import problems as flow_problems
from .codes import ItemCode
from .fields import Boolean, Choice, Decimal, Department, Field, Integer, LongText, Table
from .kind import BY_CODE, Kind, Related, Sort

SERVICE_OBJECTS = ("个人", "法人", "个人和法人")
CASE_TYPES = ("即办件", "承诺件")
STEP_KINDS = ("开始", "办理", "判断", "结束")

MATERIALS = Table(
    "materials", "申请材料", required=True, min_rows=1, max_rows=60,
    help="每行一项材料",
    columns=(
        Field("name", "材料名称", required=True, max_length=200, example="项目申请报告"),
        Choice("necessity", "必要性", required=True, choices=("必须", "容缺"), example="必须"),
        Choice("form", "材料形式", required=True, choices=("原件", "复印件", "原件和复印件", "电子"),
               example="原件"),
        Integer("copies", "份数", required=True, minimum=0, maximum=99, example="1"),
        Field("source", "来源渠道", max_length=100, help="申请人自备、政府部门核发等", example="申请人自备"),
        Field("blank_form", "空白表格", max_length=200, help="表格名称或下载地址",
              example="《项目申请报告》通用文本(可在政务服务网下载)"),
        Field("sample", "示例样表", max_length=200, example="填写示例见办事窗口和网上办事大厅"),
        Field("notes", "备注", max_length=300, example="可在线提交电子版"),
    ),
)

FLOW = Table(
    "flow", "办理流程", required=True, min_rows=3, max_rows=40,
    help="每行一个环节;判断环节的“下一环节”写成“符合:S4;不符合:E2”,第一个分支为主路径",
    columns=(
        Field("id", "环节编号", required=True, max_length=10, pattern=r"[A-Za-z][A-Za-z0-9_]{0,9}",
              example="S1"),
        Choice("kind", "环节类型", required=True, choices=STEP_KINDS, example="开始"),
        Field("name", "环节名称", required=True, max_length=60, example="申请人提交申请"),
        Field("post", "承办岗位", max_length=60, example="申请人"),
        Decimal("days", "办理时限", minimum=0, maximum=365, places=1, help="工作日"),
        Field("risk", "廉政风险点", max_length=300),
        Field("next", "下一环节", max_length=200, example="S2"),
    ),
    example_rows=(
        ("S2", "办理", "窗口受理", "综合受理窗口", "1", "", "S3"),
        ("S3", "判断", "审查决定", "投资科", "3", "违规审批、超时办理", "准予:E1;不予:E2"),
        ("E1", "结束", "办结并送达核准文件", "", "", "", ""),
        ("E2", "结束", "不予核准并书面告知理由", "", "", "", ""),
    ),
)


def _fee_needs_standard(record):
    if record["fee"] and not record["fee_standard"]:
        return "收费标准与依据", _l("收费事项必须写明收费标准与依据")
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
        Choice("service_object", "服务对象", required=True, choices=SERVICE_OBJECTS, example="法人"),
        Choice("case_type", "办件类型", required=True, choices=CASE_TYPES, example="承诺件"),
        LongText("conditions", "受理条件", required=True,
                 example="属于核准目录内的企业投资项目,项目单位已取得用地预审和选址意见"),
        MATERIALS,
        Field("result", "办理结果", max_length=200, help="办结后申请人得到的证照、批文或待遇",
              example="营业执照"),
        Field("location", "办理地点", required=True, max_length=200,
              example="华松市政务服务中心四楼综合受理区44号窗口"),
        Field("hours", "办理时间", required=True, max_length=200, example="工作日 8:30-12:00,14:00-17:30"),
        Integer("visits", "到办事现场次数", required=True, minimum=0, maximum=9,
                help="“最多跑一次”即填 1;全程网办填 0", example="1"),
        Boolean("fee", "是否收费", required=True, example="否"),
        LongText("fee_standard", "收费标准与依据", help="有幅度的按下限收取"),
        Field("consult_phone", "咨询电话", required=True, max_length=40, example="0999-8015267",
              contact=True),
        Field("complaint_phone", "监督投诉电话", required=True, max_length=40, example="0999-8018920",
              contact=True),
        Boolean("online", "是否网办", required=True, example="是"),
        LongText("basis", "设定依据", example="《企业投资项目核准和备案管理条例》第三条"),
        FLOW,
    ),
    rules=(_fee_needs_standard, _flow_is_a_graph),
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
