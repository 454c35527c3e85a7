"""The detector skips the number patterns for a text with too few digits: it must find exactly what
reading every pattern finds, in generated text full of personal data and of ordinary figures."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.privacy import detect as detection
from portal.privacy.detect import Public, detect
from tests.privacy_strategies import ORDINARY_NEIGHBOURS, ORDINARY_NUMBERS, ORDINARY_TEXT, SPELLINGS, spelled

SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

_CHINESE = "〇一二三四五六七八九"


def _wrong_check_digit(written: str) -> str:
    # An ID number with a typo in its check digit (still an ID: the detector grades it lower).
    last = written[-1]
    return written[:-1] + ("0" if last not in "0０〇零" else "1")


# A few digits, in every script, after the words that say a phone number follows: at and around
# the shortest number the detector looks for (a local number of seven digits after its cue).
_FEW_DIGITS = st.tuples(
    st.sampled_from(["", "电话", "电话:", "手机", "座机 ", "号码", "tel:", "第", "共"]),
    st.text("0123456789", min_size=1, max_size=9),
    st.sampled_from(["ascii", "full-width", "chinese"]),
    st.sampled_from(["", "号", "元", "。", "-1", " 转801"]),
).map(lambda t: t[0] + (t[1] if t[2] == "ascii" else t[1].translate(
    str.maketrans("0123456789", "０１２３４５６７８９" if t[2] == "full-width" else _CHINESE))) + t[3])
_EXCEL = st.tuples(st.integers(1, 9), st.text("0123456789", min_size=1, max_size=17), st.integers(8, 21),
                   st.sampled_from(["E+", "e+", "E"])).map(lambda t: f"{t[0]}.{t[1]}{t[3]}{t[2]:02d}")
_PERSONAL = st.one_of(*(spelled(category).map(lambda pair: pair[1]) for category in SPELLINGS),
                      spelled("id_number").map(lambda pair: _wrong_check_digit(pair[1])))
_PIECES = st.one_of(_PERSONAL, _FEW_DIGITS, _EXCEL, ORDINARY_TEXT, ORDINARY_NUMBERS, ORDINARY_NEIGHBOURS,
                    st.sampled_from(["华松市松华大道1号", "住在幸福小区3栋2单元501室", "张某", "王女士称", "\n"]),
                    st.text(max_size=8))
_PUBLIC = st.sampled_from([Public(), Public(frozenset({"09998123456", "13812345678"}),
                                                  ("华松市松华大道1号市行政中心6号楼",))])


def _every_pattern(text: str, public: Public, high_only: bool) -> list:
    """The detector's reading with the shortcut turned off: every pattern runs on every text."""
    fewest = detection._FEWEST_DIGITS
    detection._FEWEST_DIGITS = 0
    try:
        return detect(text, public, high_only=high_only)
    finally:
        detection._FEWEST_DIGITS = fewest


@SETTINGS
@given(st.lists(_PIECES, min_size=1, max_size=5).map("".join), _PUBLIC, st.booleans())
def test_the_shortcut_finds_what_every_pattern_finds(text, public, high_only):
    assert detect(text, public, high_only=high_only) == _every_pattern(text, public, high_only)


@SETTINGS
@given(_FEW_DIGITS, _PUBLIC)
def test_a_text_of_few_digits_reads_the_same(text, public):
    assert detect(text, public) == _every_pattern(text, public, False)


def test_the_shortest_numbers_are_still_found():
    # Seven digits after a cue (a local number), an Excel float and a plate: each is found.
    assert [f.category for f in detect("电话:8812345")] == ["landline"]
    assert [f.category for f in detect("号码1.10101199003070E+17")] == ["excel_number"]
    assert [f.category for f in detect("车牌粤B12345")] == ["plate"]
    assert detect("电话:881234") == []
