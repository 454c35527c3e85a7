"""What each category of finding is called, for uploaders and administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from . import detect

CATEGORY_LABELS = {
    detect.ID_NUMBER: _l("身份证号码"),
    detect.MOBILE: _l("手机号码"),
    detect.LANDLINE: _l("固定电话"),
    detect.BANK_CARD: _l("银行卡号"),
    detect.PLATE: _l("车牌号码"),
    detect.EMAIL: _l("电子邮箱"),
    detect.EXCEL_NUMBER: _l("被 Excel 转成科学计数法的长数字(可能是证件号或电话)"),
    detect.NAME: _l("姓名"),
    detect.ADDRESS: _l("住址"),
}
CONFIDENCE_LABELS = {detect.HIGH: _l("高"), detect.MEDIUM: _l("需复核")}


def category_label(category: str) -> str:
    """The category's name in the current language."""
    return str(CATEGORY_LABELS.get(category, category))


def confidence_label(confidence: str) -> str:
    """高 or 需复核, in the current language."""
    return str(CONFIDENCE_LABELS.get(confidence, confidence))
