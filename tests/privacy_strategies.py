"""Hypothesis strategies: valid personal data in the spellings people use, and ordinary complaint text;
and the check each spelling must pass in a withdrawal reason."""

from __future__ import annotations

import datetime as dt

import opencc
import pytest
from hypothesis import assume
from hypothesis import strategies as st

from portal.extensions import db
from portal.privacy import public, reasons
from portal.privacy.numbers import PROVINCES, id_birth_ok, id_check_digit, luhn_digit

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


# Every spelling of every class, as plain functions of a source of choices, so that the
# Hypothesis strategies below and scripts/bench_privacy.py (a seeded random.Random) draw from
# the same generators. A source has `choice(sequence)` and `randint(low, high)`; each generator
# returns (canonical value, the value as written).

_CHINESE_DIGITS = {"0": "〇零", "1": "一幺", "2": "二两", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七",
                   "8": "八", "9": "九"}
_SCRIPTS = ("ascii", "full-width", "chinese", "mixed")
# What goes between the groups of one spelling: nothing, or one kind of separator.
KINDS = ("", " ", "-", ".", "/")
_FULL_WIDTH_SEPARATORS = str.maketrans(" -./()", "\u3000－．／（）")
_TO_TRADITIONAL: dict[str, opencc.OpenCC] = {}


def _traditional(source, text: str) -> str:
    """`text` in a Traditional script: OpenCC's s2t, s2tw or s2hk."""
    config = source.choice(("s2t", "s2tw", "s2hk"))
    if config not in _TO_TRADITIONAL:
        _TO_TRADITIONAL[config] = opencc.OpenCC(config)
    return _TO_TRADITIONAL[config].convert(text)


def _percent(source, percent: int) -> bool:
    return source.randint(0, 99) < percent


def _digit(source, digit: str, script: str) -> str:
    if script == "mixed":
        script = source.choice(_SCRIPTS[:3])
    if digit in "Xx":
        return source.choice("XxＸ")
    if script == "full-width":
        return chr(ord(digit) + 0xFEE0)
    if script == "chinese":
        return source.choice(_CHINESE_DIGITS[digit])
    return digit


def _cut(source, text: str) -> list[str]:
    """`text` in groups of random sizes: every grouping can be drawn (a final X stays with a digit)."""
    rate = source.choice((0, 10, 25, 50, 100))
    last = len(text) - 1 if text[-1] in "Xx" else len(text)
    cuts = [i for i in range(1, last) if _percent(source, rate)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def grouped(source, digits: str, kind: str | None = None) -> str:
    """`digits` in any grouping, one kind of separator between the groups (brackets around a group
    or not), in ASCII, full-width or Chinese digits or a mix of them."""
    groups = _cut(source, digits)
    kind = source.choice(KINDS) if kind is None else kind
    if kind == "." and len(groups) == 2 and len(groups[0]) <= 2:
        groups = [digits[:3], digits[3:]]  # 13.812345678 is a decimal number, whoever wrote it
    if len(groups) > 1 and _percent(source, 30):
        bracketed = source.randint(0, len(groups) - 1)
        groups[bracketed] = f"({groups[bracketed]})"
    script = source.choice(_SCRIPTS)
    written = kind.join("".join(_digit(source, c, script) if c not in "()" else c for c in g) for g in groups)
    return written.translate(_FULL_WIDTH_SEPARATORS) if _percent(source, 25) else written


def _born(source, first_year: int, last_year: int) -> dt.date:
    return dt.date(source.randint(first_year, last_year), source.randint(1, 12), source.randint(1, 28))


def _random_digits(source, count: int) -> str:
    return "".join(str(source.randint(0, 9)) for _ in range(count))


def spell_id(source) -> tuple[str, str]:
    """An 18-digit resident ID (valid check digit), written in any grouping."""
    first = (source.choice(sorted(PROVINCES)) + _random_digits(source, 4)
             + _born(source, 1920, 2020).strftime("%Y%m%d") + _random_digits(source, 3))
    value = first + id_check_digit(first)
    return value, grouped(source, value)


def spell_legacy_id(source) -> tuple[str, str]:
    """A 15-digit resident ID, written in any grouping."""
    value = (source.choice(sorted(PROVINCES)) + _random_digits(source, 4)
             + _born(source, 1920, 1999).strftime("%y%m%d") + _random_digits(source, 3))
    return value, grouped(source, value)


def spell_mobile(source) -> tuple[str, str]:
    """A mobile number in any grouping, with +86, 0086, 86 or (+86) in front or not."""
    value = "1" + source.choice("3456789") + _random_digits(source, 9)
    kind = source.choice(KINDS)
    prefix = source.choice(("", "", "+86", "0086", "86", "(+86)"))
    joiner = kind or source.choice(("", " ")) if prefix else ""
    return value, prefix + joiner + grouped(source, value, kind)


def spell_landline(source) -> tuple[str, str]:
    """A landline with its area code in any grouping, the area code bracketed or after +86 or not,
    an extension or not."""
    area = source.choice(("010", "021", "022", "0571", "0755", "0931", "0999", "0351"))
    value = area + str(source.randint(2, 9)) + _random_digits(source, source.randint(6, 7))
    kind = source.choice(KINDS)
    form = source.choice(("whole", "whole", "bracketed", "+86"))
    if form == "bracketed":
        written = f"({area})" + (kind or source.choice(("", " "))) + grouped(source, value[len(area):], kind)
    elif form == "+86":
        written = source.choice(("+86", "0086")) + (kind or " ") + grouped(source, value[1:], kind)
    else:
        written = grouped(source, value, kind)
    # "-8012" after grouped digits is one more group, and the last groups with it can be another
    # landline ("0 1 0300 2000-8012" holds 0300-2000-8012): a dash extension is read by
    # numbers.LANDLINE after ungrouped digits only.
    extensions = ("", "", "转801", " ext. 12", "分机3", "#12") + (("-8012",) if kind == "" else ())
    return value, written + source.choice(extensions)


def spell_card(source) -> tuple[str, str]:
    """A bank card number (16–19 digits, Luhn) in any grouping; never one that is also a valid ID."""
    while True:
        partial = source.choice(("62", "4", "5")) + _random_digits(source, 17)
        value = partial[:source.randint(16, 19) - 1]
        value += luhn_digit(value)
        if not (len(value) == 18 and id_birth_ok(value[:6], value[6:14])):
            return value, grouped(source, value)


_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_PLATE_GAPS = ("", "", " ", "·", "•", "-", ".", "．", "・", " · ", "\u3000")


def spell_plate(source) -> tuple[str, str]:
    """A licence plate, ordinary or new-energy, either case, any gap, either script."""
    province, letter = source.choice(_PLATE_PROVINCES), source.choice(_PLATE_LETTERS)
    body_chars = "0123456789" + _PLATE_LETTERS
    shape = source.choice(("ordinary", "energy-front", "energy-back"))
    if shape == "energy-front":
        body = source.choice("DF") + source.choice(body_chars) + _random_digits(source, 4)
    elif shape == "energy-back":
        body = _random_digits(source, 5) + source.choice("DF")
    else:
        body = "".join(source.choice(body_chars) for _ in range(4)) + _random_digits(source, 1)
    written = province
    if _percent(source, 50):
        written = _traditional(source, province)
    case = source.choice((str.upper, str.lower, str.upper))
    written += source.choice(("", "", " ")) + case(letter) + source.choice(_PLATE_GAPS) + case(body)
    return province + letter + body, written


_LOCAL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
_ATS = ("@", "＠", "(at)", "[at]", "（at）", " at ", " (at) ", "【at】", " @ ", "(AT)", " AT ")
_DOTS = (".", "。", " ", "(dot)", "[dot]", " dot ", "．", "(DOT)", " [dot] ")
_TLDS = ("com", "cn", "net", "org", "com.cn", "edu.cn", "gov.cn")


def _word(source, low: int, high: int) -> str:
    while True:
        word = "".join(source.choice(_LOCAL_CHARS) for _ in range(source.randint(low, high)))
        if word not in ("at", "dot"):  # zhang at at dot com spells nothing
            return word


def spell_email(source) -> tuple[str, str]:
    """An e-mail address with its "@" and dots written in any of the ways people hide them."""
    local = _word(source, 1, 10) + (source.choice("._") + _word(source, 1, 6) if _percent(source, 30) else "")
    labels = [_word(source, 1, 10) for _ in range(source.randint(1, 2))] + source.choice(_TLDS).split(".")
    at, dots = source.choice(_ATS), [source.choice(_DOTS) for _ in labels[1:]]
    if at == "@" and set(dots) == {"."}:
        dots[-1] = source.choice(_DOTS[1:])  # not the usual spelling, which numbers.EMAIL reads
    written = local + at + "".join(label + dot for label, dot in zip(labels, dots)) + labels[-1]
    return f"{local}@{'.'.join(labels)}", written


_CUES = ("投诉人", "举报人", "来电人", "来访人", "来信人", "反映人", "申请人", "联系人", "当事人", "委托人",
         "姓名", "检举人", "陈情人")
_CUE_GAPS = ("", ":", "：", " ", "\u3000", ": ", "： ", " ：", "：\u3000", ",", "，", "(", "（")
_SURNAMES = ("张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "孙", "马", "罗", "郑", "谢", "许", "韩", "冯",
             "邓", "萧", "钟", "叶", "苏", "吕", "卢", "龙", "欧阳", "诸葛", "司马")
# Given-name characters that are not words the detector stops a name at (来, 现, 与 …).
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文志国兴永宏晓春梅海燕"
_AFTER_NAMES = ("反映", "称", "来电反映", "要求", ",", "。", "")


def spell_name(source) -> tuple[str, str]:
    """A name after a cue, the cue followed by a colon, comma, bracket or space or not, in
    Simplified or Traditional script (cue and name each). Canonical: the name as written."""
    name = source.choice(_SURNAMES) + "".join(source.choice(_GIVEN) for _ in range(source.randint(1, 2)))
    cue, after = source.choice(_CUES), source.choice(_AFTER_NAMES)
    if _percent(source, 50):
        cue, after = _traditional(source, cue), _traditional(source, after)
    if _percent(source, 50):
        name = _traditional(source, name)
    return name, cue + source.choice(_CUE_GAPS) + name + after


# The generators by the category the detector should find, and what may stand before and after a
# spelling (never a digit, a letter or a "+" next to it).
SPELLINGS = {
    "id_number": spell_id, "id_number_15": spell_legacy_id, "mobile": spell_mobile,
    "landline": spell_landline, "bank_card": spell_card, "plate": spell_plate, "email": spell_email,
    "name": spell_name,
}
SPELLING_BEFORE = ("", "联系电话", "其手机号为", "身份证号码:", "张某反映,", "银行卡号 ", "来电号码(", "号码是",
                   "车牌", "邮箱:", "电子邮箱 ", "于2024.3.4 ", "12:30 ")
SPELLING_AFTER = ("", ",其表示", "。", ")", " 要求回复", "、李某", "。2024-03-05")


class _Draws:
    """The choices a generator makes, drawn by Hypothesis (so failures shrink) instead of `random`."""

    def __init__(self, draw):
        self._draw = draw

    def choice(self, options):
        return self._draw(st.sampled_from(options))

    def randint(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))


def spelled(category: str) -> st.SearchStrategy:
    """(canonical, as written) pairs from the category's generator."""
    generator = SPELLINGS[category]

    @st.composite
    def strategy(draw):
        return generator(_Draws(draw))

    return strategy()


def caught(category: str, canonical: str, findings) -> bool:
    """True when a finding names the value in its category, at the confidence the detector grades
    it: high for numbers, plates and e-mail addresses, medium (for review) for names."""
    for finding in findings:
        if finding.category != category:
            continue
        if category == "name":
            if finding.value == canonical and finding.confidence == "medium":
                return True
        elif finding.confidence == "high" and (
                finding.canonical.upper() == canonical.upper()
                # A landline with its extension (0571-88123456-801), or whose last group also
                # reads as one (0931-6108304-2).
                or category == "landline" and canonical in (
                    finding.canonical.split("-", 1)[0], finding.canonical.replace("-", ""))):
            return True
    return False


def in_context(source, written: str) -> str:
    """`written` with something before and after it, as in a complaint."""
    return source.choice(SPELLING_BEFORE) + written + source.choice(SPELLING_AFTER)


# More ordinary text: what the detector must leave alone however the numbers in it are written.
_CHINESE = "〇一二三四五六七八九"


def _chinese_count(n: int) -> str:
    """1–199 as words: 三, 十二, 三十五, 一百二十三."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words = (_CHINESE[hundreds] + "百") if hundreds else ""
    if tens:
        words += ("" if tens == 1 and not hundreds else _CHINESE[tens]) + "十"
    elif hundreds and units:
        words += "零"
    return words + (_CHINESE[units] if units else "")


_DATES = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
# Dates, times, years, amounts, counts and codes: what stands side by side in a complaint.
_NEIGHBOURLY = st.one_of(
    st.tuples(st.integers(1, 9999), st.sampled_from(["FG", "JY", "GA", "MZ", "SF"]),
              st.sampled_from(["XK", "CF", "QZ", "QT", "GG"]), st.integers(1, 9999)).map(
        lambda t: f"9901{t[0]:04d}{t[1]}-{t[2]}-{t[3]:04d}"),
    st.tuples(st.integers(2015, 2030), st.sampled_from(["XN", "ZX", "RX"]), st.integers(1, 9999)).map(
        lambda t: f"{t[0]}-{t[1]}-{t[2]:04d}"),
    _DATES.map(lambda d: "".join(_CHINESE[int(c)] for c in str(d.year))
               + f"年{_chinese_count(d.month)}月{_chinese_count(d.day)}日"),
    st.integers(1, 60).map(lambda n: f"{_chinese_count(n)}个工作日"),
    st.integers(1, 60).map(lambda n: f"{n}个工作日"),
    st.tuples(_DATES, st.sampled_from([".", "-", "/"])).map(lambda t: t[0].strftime(f"%Y{t[1]}%m{t[1]}%d")),
    st.tuples(_DATES, st.sampled_from([".", "-", "/"])).map(
        lambda t: f"{t[0].year}{t[1]}{t[0].month}{t[1]}{t[0].day}"),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.integers(2000, 2030).map(str),
    st.integers(1, 9_999_999).map(lambda n: f"{n:,}.00元"),
    st.decimals(0, 9999, places=1).map(lambda d: f"{d}万元"),
)
ORDINARY_NUMBERS = st.one_of(
    _NEIGHBOURLY,
    st.integers(1, 199).map(lambda n: f"第{_chinese_count(n)}条"),
    st.sampled_from(["GB/T 2260-2007", "GB 50016-2014", "GB/T 33200-2016", "JGJ 79-2012", "DB33/T 1234-2021",
                     "国发〔2024〕12号", "第1、2、3项", "9:00-12:00,13:30-17:00", "2019-2023年", "2024年度",
                     "0.5772156649", "3.1415926", "99.5%", "1,234.56元", "人民币12,345,678.00元", "0.5元",
                     "v2.3.1", "12345", "12345热线", "400-800-1234", "800-820-8820", "95588", "0999-12345"]),
)
# Two of them side by side, joined by one separator: dates in a range, a date and a time.
ORDINARY_NEIGHBOURS = st.tuples(_NEIGHBOURLY, st.sampled_from([" ", "-", "/", "~", "至", "—", ",", "\u3000"]),
                                 _NEIGHBOURLY).map("".join)


def assert_refused_in_a_reason(app, canonical: str, reason: str) -> None:
    """A withdrawal reason holding the number `canonical` (as written in `reason`) is refused, unless
    the number is one of the city's own public ones (then the example is discarded)."""
    with app.test_request_context():
        assume(canonical not in public.current(db.session).contacts)
        with pytest.raises(reasons.ReasonRefused):
            reasons.checked(db.session, reason)
