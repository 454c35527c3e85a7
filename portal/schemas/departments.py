"""部门: the city's departments (市直部门, 乡镇/街道, 垂直管理部门), the owners of every disclosure."""

from .codes import CREDIT_PATTERN
from .fields import Choice, Field, LongText
from .kind import Kind
from .values import Several

# 垂直管理部门: agencies managed from above (税务, 烟草, 气象, 消防, 海关 …) that publish items in the city.
CATEGORIES = ("市直部门", "乡镇街道", "垂直管理部门")

DEPARTMENTS = Kind(
    name="departments",
    label="部门",
    item_label="部门",
    key=lambda r: r["code"],
    title=lambda r: r["name"],
    fields=(
        Field("code", "部门编码", required=True, pattern=r"[0-9A-Z]{4,20}",
              help="主体码:行政区划码 + 两位序号 + 部门简称字母", example="99010000FG"),
        Field("name", "部门名称", required=True, max_length=60, example="华松市发展和改革委员会"),
        Field("name_en", "英文名称", required=True, max_length=120,
              example="Huasong Development and Reform Commission"),
        Choice("category", "部门类别", required=True, choices=CATEGORIES, example="市直部门"),
        Field("address", "办公地址", max_length=200, example="华松市人民路1号"),
        Field("hours", "办公时间", max_length=200, example="工作日 9:00-12:00,14:00-17:30"),
        Field("phone", "咨询电话", required=True, max_length=40, example="0999-1234567",
              contact=True),
        Field("complaint_phone", "投诉电话", required=True, max_length=40, example="0999-1234568",
              contact=True),
        LongText("duties", "部门职责", help="一段话说明部门的主要职责"),
        Several("credit_codes", "统一社会信用代码", pattern=CREDIT_PATTERN,
                help="本部门及所属单位的统一社会信用代码,多个用顿号分隔;"
                     "国家和省级事项编码中含有这些代码的事项,只有本部门可以发布",
                example="11990100MB0000001X"),
    ),
)
