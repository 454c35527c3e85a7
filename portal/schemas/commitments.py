"""服务承诺: per service, the committed time limit against the statutory one, and the promise."""

from flask_babel import lazy_gettext as _l

from .codes import ItemCode
from .fields import Date, Decimal, Department, Field, Integer, LongText
from .kind import BY_CODE, Computed, Kind, Related, Sort
from .limits import TimeLimit, amount_of, fewest_workdays, most_workdays, unit_of, workday_range


def _committed_within_statutory(record):
    statutory, committed = record["statutory_days"], record["committed_days"]
    if statutory is None:
        return None
    if unit_of(statutory) == unit_of(committed):
        longer = amount_of(committed) > amount_of(statutory)
    else:  # only when it is longer however the days fall
        longer = workday_range(committed)[0] > workday_range(statutory)[1]
    if longer:
        return "承诺办结时限", _l("承诺办结时限不能长于法定办结时限")
    return None


def compression(statutory, committed) -> float | None:
    """The share of the statutory limit a department promises to save (1 − 承诺/法定).

    Limits in one unit compare as written (3个月 against 1个月: 2/3). Limits in different
    units compare in working days, the committed limit at the most working days it may
    take and the statutory one at the fewest it surely holds, so the share is never
    overstated (and never below 0). None when there is no statutory limit, or it is 即办
    (or a calendar limit so short it may hold no working day).
    """
    if statutory is None or not amount_of(statutory):
        return None
    if unit_of(statutory) == unit_of(committed):
        return 1 - amount_of(committed) / amount_of(statutory)
    surely = fewest_workdays(statutory)
    # A day or two of calendar time may fall on a weekend and hold no working day at all.
    return max(0.0, 1 - most_workdays(committed) / surely) if surely else None


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
        TimeLimit("statutory_days", "法定办结时限", required=True, open=True, display="limit",
                  help="数字即为工作日;也可写“即办”“30个自然日”“3个月”或“无法定时限”", example="20"),
        LongText("statutory_note", "法定时限说明",
                 help="时限的起算、中止和不计入时限的情形(如专家评审、听证、公示、现场勘验)",
                 example="依法需要听证、专家评审的,所需时间不计算在法定时限内"),
        TimeLimit("committed_days", "承诺办结时限", required=True, display="limit",
                  help="数字即为工作日;0 或“即办”表示即办;也可写“30个自然日”“3个月”", example="5"),
        LongText("committed_note", "承诺时限说明", example="自受理之日起计算,不含申请人补正材料的时间"),
        Field("fee_commitment", "收费承诺", max_length=300, example="不收费"),
        LongText("promise", "承诺内容", required=True,
                 help="首问负责、一次性告知、限时办结、超时默认等具体承诺",
                 example="1.首问负责:首位接待的工作人员负责解答咨询、引导办理;\n"
                         "2.一次性告知:材料不齐全的,一次性书面告知需要补正的全部内容;\n"
                         "3.限时办结:在承诺时限内办结,超过时限未办结的视为同意。"),
        Field("window", "服务窗口", required=True, max_length=200, example="市政务服务中心二楼 12 号窗口"),
        Field("hours", "服务时间", max_length=200, example="工作日 8:30-12:00,14:00-17:30"),
        Field("phone", "监督电话", max_length=200, example="0999-8018920", contact=True),
        Date("effective", "生效日期", required=True, example="2024-01-01"),
    ),
    rules=(_committed_within_statutory,),
    columns=("department", "statutory_days", "committed_days", "compression"),
    computed=(
        Computed(Decimal("compression", "压缩比例", places=4, display="percent"),
                 lambda r: compression(r["statutory_days"], r["committed_days"])),
        # Working days, to sort and compare by: the fewest a statutory limit surely holds,
        # the most a committed one may take (see portal.schemas.limits).
        Computed(Decimal("statutory_workdays", "法定时限(工作日)", places=1, display="workdays"),
                 lambda r: fewest_workdays(r["statutory_days"])),
        Computed(Decimal("committed_workdays", "承诺时限(工作日)", places=1, display="workdays"),
                 lambda r: most_workdays(r["committed_days"])),
        Computed(Integer("year", "年度"), lambda r: int(r["effective"][:4])),
    ),
    sorts=(
        Sort("compression", _l("压缩比例最高"), (("compression", True), ("code", False))),
        BY_CODE,
        Sort("committed", _l("承诺时限最短"), (("committed_workdays", False), ("code", False))),
    ),
    related=(Related("services", ours="code", theirs="code"),),
    section=40,
)
