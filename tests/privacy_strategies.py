"""Hypothesis strategies: valid personal data in the spellings people use, and ordinary complaint text."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from portal.privacy.numbers import PROVINCES, id_check_digit, luhn_digit

_FULL_WIDTH = str.maketrans("0123456789-+() ", "０１２３４５６７８９－＋（）\u3000")


def digits(n: int, first: str = "0123456789"):
    """n digits, the first drawn from `first`."""
    rest = st.text("0123456789", min_size=n - 1, max_size=n - 1)
    return st.tuples(st.sampled_from(first), rest).map("".join)


def _spelled(values: st.SearchStrategy, spellings) -> st.SearchStrategy:
    """(canonical, as written) pairs: one of the value's spellings, in full-width digits or not."""
    return values.flatmap(lambda value: st.tuples(st.just(value), spellings(value), st.booleans()).map(
        lambda t: (t[0], t[1].translate(_FULL_WIDTH) if t[2] else t[1])))


def _resident_id():
    born = st.dates(dt.date(1920, 1, 1), dt.date(2020, 12, 31))
    return st.tuples(st.sampled_from(sorted(PROVINCES)), digits(4), born, digits(3)).map(
        lambda t: t[0] + t[1] + t[2].strftime("%Y%m%d") + t[3]).map(lambda s: s + id_check_digit(s))


def _id_spellings(value: str):
    head, birth, tail = value[:6], value[6:14], value[14:]
    return st.sampled_from([value, value.lower(), f"{head} {birth} {tail}", f"{head}-{birth}-{tail}"])


def _legacy_id():
    born = st.dates(dt.date(1920, 1, 1), dt.date(1999, 12, 31))
    return st.tuples(st.sampled_from(sorted(PROVINCES)), digits(4), born, digits(3)).map(
        lambda t: t[0] + t[1] + t[2].strftime("%y%m%d") + t[3])


def _mobile():
    return st.tuples(st.sampled_from("3456789"), digits(9)).map(lambda t: "1" + t[0] + t[1])


def _mobile_spellings(value: str):
    a, b, c = value[:3], value[3:7], value[7:]
    bodies = [value, f"{a} {b} {c}", f"{a}-{b}-{c}", f"{a}-{b}{c}"]
    prefixes = ["", "+86 ", "+86-", "+86", "0086 ", "0086", "86-", "(+86) ", "(+86)"]
    return st.tuples(st.sampled_from(prefixes), st.sampled_from(bodies)).map("".join)


def _landline():
    area = st.sampled_from(["010", "021", "022", "0571", "0755", "0931", "0999", "0351"])
    return st.tuples(area, digits(8, "2345678"), st.sampled_from([7, 8])).map(lambda t: t[0] + t[1][:t[2]])


def _landline_spellings(value: str):
    area = value[:3] if value.startswith(("010", "02")) else value[:4]
    number = value[len(area):]
    bodies = [f"{area}-{number}", f"({area}){number}", f"{area} {number[:-4]} {number[-4:]}",
              f"+86 {area[1:]} {number}", f"{area}{number}"]
    extensions = ["", "转801", "-8012", " ext. 12", "分机3"]
    return st.tuples(st.sampled_from(bodies), st.sampled_from(extensions)).map("".join)


def _card():
    return st.tuples(st.sampled_from(["62", "4", "5"]), st.integers(16, 19), digits(18)).map(
        lambda t: (t[0] + t[2])[: t[1] - 1]).map(lambda s: s + luhn_digit(s))


def _card_spellings(value: str):
    groups = [value[i:i + 4] for i in range(0, len(value), 4)]
    return st.sampled_from([value, " ".join(groups), "-".join(groups)])


IDS = _spelled(_resident_id(), _id_spellings)
LEGACY_IDS = _spelled(_legacy_id(), lambda v: st.just(v))
MOBILES = _spelled(_mobile(), _mobile_spellings)
LANDLINES = _spelled(_landline(), _landline_spellings)
CARDS = _spelled(_card(), _card_spellings)
PERSONAL = st.one_of(IDS, LEGACY_IDS, MOBILES, LANDLINES, CARDS)

# What stands before and after personal data in a complaint (never a digit or a "+").
BEFORE = st.sampled_from(["", "联系电话", "其手机号为", "身份证号码:", "张某反映,", "银行卡号 ", "来电号码(", "号码是"])
AFTER = st.sampled_from(["", ",其表示", "。", ")", " 要求回复", "、李某"])

# Ordinary complaint text: dates, times, case numbers, money, articles, hotlines, counts.
_ORDINARY = [
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(st.integers(8, 11), st.integers(13, 18)).map(lambda t: f"{t[0]}:00-{t[1]}:30"),
    st.tuples(st.integers(2015, 2030), st.sampled_from(["XN", "ZX", "RX", "WZ"]), st.integers(1, 999999)).map(
        lambda t: f"{t[0]}-{t[1]}-{t[2]:04d}"),
    st.integers(1, 99_999_999).map(lambda n: f"{n}元"),
    st.integers(1, 9_999_999).map(lambda n: f"人民币{n:,}.00元"),
    st.decimals(0, 9999, places=1).map(lambda d: f"{d}万元"),
    st.sampled_from(["第十二条", "第三十五条第二款", "第12条", "《行政许可法》第四十二条", "第1、2、3项"]),
    st.sampled_from(["12345", "12345热线", "拨打12345", "400-800-1234", "800-820-8820", "4008001234",
                     "110", "95588"]),
    st.integers(1, 60).map(lambda n: f"{n}个工作日"),
    st.integers(1, 20).map(lambda n: f"往返{n}次"),
    st.decimals(0, 100, places=1).map(lambda d: f"{d}%"),
    st.tuples(st.integers(2015, 2030), st.integers(1, 200)).map(lambda t: f"华政办〔{t[0]}〕{t[1]}号"),
    st.sampled_from(["张某", "王女士", "刘先生", "某公司", "某小区业主", "窗口工作人员", "向投诉人说明情况并致歉",
                     "对当事人员进行批评教育", "市民政局", "居民安置问题", "群众满意度", "6号楼"]),
]
_WORDS = st.sampled_from(["反映", "其于", "到", "办理", "时", ",", "。", "称", "要求", "共", "、", "并于", "前后"])
# Fragments always have words between them: two numbers written side by side are one number.
ORDINARY_TEXT = st.lists(st.tuples(st.one_of(*_ORDINARY), _WORDS), min_size=1, max_size=8).map(
    lambda pairs: "".join(a + b for a, b in pairs))
