"""Column names that announce a complainant's personal data: such a column is refused outright."""

from __future__ import annotations

import unicodedata

# Parts of a header that name a person or their contact details (投诉人姓名, 联系电话,
# 身份证号, 家庭住址 …). None of them occurs in a declared complaint header.
PERSONAL_COLUMN_STEMS = (
    "投诉人", "举报人", "来电人", "来访人", "来信人", "反映人", "当事人", "联系人", "申请人",
    "姓名", "名字", "身份证", "证件", "电话", "手机", "联系方式", "住址", "地址", "邮箱", "电子邮件",
    "车牌", "银行卡", "账号", "qq", "微信",
)


def is_personal_column(header: str) -> bool:
    """True when a column header names personal data (its NFKC, lower-cased form contains a stem)."""
    folded = unicodedata.normalize("NFKC", header).strip().lower()
    return any(stem in folded for stem in PERSONAL_COLUMN_STEMS)
