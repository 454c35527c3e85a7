"""The detector and redaction: generated personal data never survives, ordinary text is left alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.privacy import detect as detection
from portal.schemas.personal_columns import is_personal_column
from portal.privacy.detect import HIGH, MEDIUM, Public, detect
from portal.privacy.normalize import fold
from portal.privacy.numbers import id_check_digit, id_checksum_ok, luhn_ok
from portal.privacy.redact import redact
from tests.privacy_strategies import (
    AFTER, BEFORE, ORDINARY_TEXT, PERSONAL,
)

# Enough examples to cover every spelling, few enough to keep the suite quick.
FAST = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def plain_digits(text: str) -> str:
    """The text folded, with the separators people put between digit groups removed."""
    return re.sub(r"[\s\-()+.]", "", fold(text).text)


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


@FAST
@given(PERSONAL, BEFORE, AFTER)
def test_generated_personal_data_never_survives_redaction(pair, before, after):
    canonical, written = pair
    text = before + written + after
    found = detect(text)
    assert found and all(f.confidence == HIGH for f in found), (text, found)
    redacted = redact(text)
    assert written not in redacted
    assert canonical not in plain_digits(redacted)


@FAST
@given(st.lists(st.one_of(PERSONAL.map(lambda p: p[1]), ORDINARY_TEXT, BEFORE, AFTER), max_size=6)
       .map("".join))
def test_redaction_is_idempotent_and_leaves_nothing_to_find(text):
    once = redact(text)
    assert redact(once) == once
    assert detect(once) == []


@FAST
@given(ORDINARY_TEXT)
def test_ordinary_complaint_text_is_left_alone(text):
    assert detect(text) == [], text
    assert redact(text) == text


@FAST
@given(st.text(max_size=80))
def test_any_text_redacts_idempotently(text):
    once = redact(text)
    assert redact(once) == once


@pytest.mark.parametrize(("text", "category", "masked"), [
    ("投诉人手机13812345678", detection.MOBILE, "投诉人手机138****5678"),
    ("电话:+86 138-1234-5678。", detection.MOBILE, "电话:138****5678。"),
    ("０086 １３８ １２３４ ５６７８", detection.MOBILE, "138****5678"),
    ("座机(0571)88123456转801", detection.LANDLINE, "座机0571-******56"),
    ("身份证11010519491231002X", detection.ID_NUMBER, "身份证110*************2X"),
    ("旧证号110105491231002", detection.ID_NUMBER, "旧证号110**********02"),
    ("卡号6222 0212 3456 7890 128", detection.BANK_CARD, None),
    ("车牌粤B·D12345", detection.PLATE, "车牌粤B******"),
    ("车牌沪A12345F违停", detection.PLATE, "车牌沪A******违停"),
    ("邮箱 zhang.san@example.com。", detection.EMAIL, "邮箱 z***@example.com。"),
    ("证件号1.10101199003070E+17", detection.EXCEL_NUMBER, "证件号******************"),
])
def test_each_kind_is_found_and_masked(text, category, masked):
    found = detect(text)
    assert [f.category for f in found] == [category]
    if masked is not None:
        assert redact(text) == masked


def test_the_check_digit_raises_confidence_but_a_wrong_one_is_still_redacted():
    good = valid_id("11010519491231002")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert id_checksum_ok(good) and not id_checksum_ok(bad)
    (strong,), (weak,) = detect(good), detect(bad)
    assert strong.category == weak.category == detection.ID_NUMBER
    assert strong.score > weak.score and weak.confidence == HIGH
    assert bad not in redact(bad)


def test_luhn_raises_a_long_number_to_a_bank_card():
    number = "6222021234567890128"
    assert luhn_ok(number) and not luhn_ok(number[:-1] + "9")
    assert detect(number)[0].confidence == HIGH
    weak = detect(number[:-1] + "9")[0]
    assert weak.category == detection.BANK_CARD and weak.confidence == MEDIUM
    assert number[:-1] + "9" not in redact(number[:-1] + "9")


@pytest.mark.parametrize(("text", "found", "masked"), [
    ("投诉人张三反映窗口态度差", "张三", "投诉人张某反映窗口态度差"),
    ("来电人:欧阳娜娜称", "欧阳娜娜", "来电人:欧阳某称"),
    ("市民王小明来电反映", "王小明", "市民王某来电反映"),
    ("李四反映,其于3月到窗口办理", "李四", "李某反映,其于3月到窗口办理"),
    ("其家住松华路12号3栋2单元501室", "松华路12号3栋2单元501室", "其家住松华路*号*栋*单元*室"),
])
def test_names_and_addresses_are_flagged_for_review(text, found, masked):
    (finding,) = detect(text)
    assert finding.value == found and finding.confidence == MEDIUM
    assert redact(text) == masked


@pytest.mark.parametrize("text", [
    "张某反映,其到窗口办理", "王女士反映", "某公司反映", "对当事人员进行批评教育", "向投诉人说明情况并致歉",
    "市民政局", "居民安置问题", "投诉人于3月4日来电", "窗口在行政中心6号楼", "拨打12345热线",
])
def test_pseudonyms_and_ordinary_words_are_not_names(text):
    assert detect(text) == []


def test_the_portals_own_public_numbers_and_addresses_are_left_alone():
    public = Public(contacts=frozenset({"09998123456"}), addresses=("华松市松华大道1号市行政中心6号楼",))
    text = "其拨打0999-8123456无人接听,后到松华大道1号办理"
    assert detect(text, public) == []
    assert [f.category for f in detect(text)] == [detection.LANDLINE, detection.ADDRESS]


def test_spans_point_into_the_text_as_written():
    text = "手机:１３８－１２３４－５６７８。"
    (finding,) = detect(text)
    assert text[finding.start:finding.end] == "１３８－１２３４－５６７８"
    assert redact(text) == "手机:138****5678。"


def test_invisible_characters_inside_a_number_do_not_hide_it():
    assert detect("138\u200b1234\u200b5678")[0].canonical == "13812345678"


@pytest.mark.parametrize(("header", "personal"), [
    ("投诉人", True), ("举报人姓名", True), ("身份证号", True), ("联系电话", True), ("家庭住址", True),
    ("ＱＱ号", True), ("投诉摘要", False), ("被投诉单位", False), ("整改措施", False), ("案件编号", False),
])
def test_personal_column_names(header, personal):
    assert is_personal_column(header) is personal


@FAST
@given(st.lists(st.one_of(PERSONAL.map(lambda p: p[1]), ORDINARY_TEXT, BEFORE, AFTER, st.text(max_size=12)),
                min_size=1, max_size=6), st.lists(st.sampled_from(["", "\n"]), min_size=6, max_size=6))
def test_the_guard_reads_a_text_line_by_line_as_it_would_whole(parts, breaks):
    # The publish-time verdict reads an item's texts one line at a time (each line's findings are
    # kept for the next item that repeats it): the result must be exactly the whole text's.
    from portal.privacy.guard import _by_line

    text = "".join(part + cut for part, cut in zip(parts, breaks))
    whole = [f for f in detect(text) if f.confidence == HIGH]
    assert _by_line(text, Public()) == whole
    assert detect(text, high_only=True) == whole
