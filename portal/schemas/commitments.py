"""服务承诺: per service, the committed time limit against the statutory one, and the promise."""

from flask_babel import lazy_gettext as _l

from .codes import ItemCode
from .fields import Date, Decimal, Department, Field, Integer, LongText
from .kind import BY_CODE, Computed, Kind, Related, Sort


def _committed_within_statutory(record):
    if record["committed_days"] > record["statutory_days"]:
        return "承诺办结时限", _l("承诺办结时限不能长于法定办结时限")
    return None


def compression(statutory_days: int, committed_days: int) -> float:
    """The share of the statutory limit a department promises to save (1 − 承诺/法定)."""
    return 1 - committed_days / statutory_days


COMMITMENTS = Kind(
    name="commitments",
    label="服务承诺",
    item_label="承诺事项",
    key=lambda r: r["code"],
    title=lambda r: r["name"],
    description="每个办事事项承诺多少个工作日办结,比法定时限压缩了多少。",
    fields=(
        ItemCode("code", "事项编码", required=True, help="对应办事指南的事项编码",
                 example="99010000FG-FW-0001"),
        Field("name", "事项名称", required=True, max_length=200, example="企业投资项目核准"),
        Department("department", "实施主体", required=True, example="99010000FG"),
        Integer("statutory_days", "法定办结时限", required=True, minimum=1, maximum=3650,
                display="workdays", help="工作日", example="20"),
        Integer("committed_days", "承诺办结时限", required=True, minimum=0, maximum=3650,
                display="workdays", help="工作日;0 表示即办", example="5"),
        Field("fee_commitment", "收费承诺", max_length=300, example="不收费"),
        LongText("promise", "承诺内容", required=True,
                 help="首问负责、一次性告知、限时办结、超时默认等具体承诺",
                 example="1.首问负责:首位接待的工作人员负责解答咨询、引导办理;\n"
                         "2.一次性告知:材料不齐全的,一次性书面告知需要补正的全部内容;\n"
                         "3.限时办结:在承诺时限内办结,超过时限未办结的视为同意。"),
        Field("window", "服务窗口", required=True, max_length=200, example="市政务服务中心二楼 12 号窗口"),
        Field("hours", "服务时间", max_length=200, example="工作日 8:30-12:00,14:00-17:30"),
        Field("phone", "监督电话", max_length=40, example="0999-8018920", contact=True),
        Date("effective", "生效日期", required=True, example="2024-01-01"),
    ),
    rules=(_committed_within_statutory,),
    columns=("department", "statutory_days", "committed_days", "compression"),
    computed=(
        Computed(Decimal("compression", "压缩比例", places=4, display="percent"),
                 lambda r: compression(r["statutory_days"], r["committed_days"])),
        Computed(Integer("year", "年度"), lambda r: int(r["effective"][:4])),
    ),
    sorts=(
        Sort("compression", _l("压缩比例最高"), (("compression", True), ("code", False))),
        BY_CODE,
        Sort("committed", _l("承诺时限最短"), (("committed_days", False), ("code", False))),
    ),
    related=(Related("services", ours="code", theirs="code"),),
    section=40,
)
