"""Personal data spelled to slip past the detector is still found; ordinary numbers still are not.

Every grouping and separator (1381 234 5678, 110105.1949.1231.002X), full-width
and Chinese-numeral digits (一三八…, 幺 for 1, 〇/零 for 0) and mixes of them,
licence plates in either case and script, e-mail addresses with "(at)" or "dot",
names after cues in Traditional script or after a space or full-width colon.
"""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.privacy import detect as detection
from portal.privacy.detect import HIGH, MEDIUM, Public, detect
from portal.privacy.normalize import fold
from portal.privacy.redact import redact
from portal.privacy.traditional import TABLE, vocabulary
from tests.privacy_strategies import (
    ORDINARY_NEIGHBOURS, ORDINARY_NUMBERS, ORDINARY_TEXT, SPELLING_AFTER, SPELLING_BEFORE, SPELLINGS, caught,
    spelled,
)

PROPERTY = settings(max_examples=100, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
_SEPARATORS = re.compile(r"[\s\-()+./]")


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_is_found_in_its_category(name):
    category = name.removesuffix("_15")

    @PROPERTY
    @given(spelled(name), st.sampled_from(SPELLING_BEFORE), st.sampled_from(SPELLING_AFTER))
    def check(pair, before, after):
        canonical, written = pair
        text = before + written + after
        findings = detect(text)
        assert caught(category, canonical, findings), (text, findings)
        for finding in findings:
            assert text[finding.start:finding.end] == finding.value

    check()


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_is_gone_after_redaction(name):
    @PROPERTY
    @given(spelled(name), st.sampled_from(SPELLING_BEFORE), st.sampled_from(SPELLING_AFTER))
    def check(pair, before, after):
        canonical, written = pair
        text = before + written + after
        redacted = redact(text)
        assert written not in redacted, (text, redacted)
        if name not in ("email", "plate", "name"):
            assert canonical not in _SEPARATORS.sub("", fold(redacted).text), (text, redacted)
        assert redact(redacted) == redacted

    check()


# The kinds of spelling that slipped through before, one or more of each.
@pytest.mark.parametrize(("text", "category", "value", "masked"), [
    # Digits grouped in other groupings, with dots, slashes, brackets or single spaces.
    ("身份证110105 1949 1231 002X", detection.ID_NUMBER, "110105 1949 1231 002X", "身份证110*************2X"),
    ("身份证1101.0519.4912.3100.2X", detection.ID_NUMBER, "1101.0519.4912.3100.2X", None),
    ("身份证110/105/194/912/310/02x", detection.ID_NUMBER, "110/105/194/912/310/02x", None),
    ("身份证(110105)19491231002X", detection.ID_NUMBER, "(110105)19491231002X", "身份证110*************2X"),
    ("旧证号110.105.491.231.002", detection.ID_NUMBER, "110.105.491.231.002", "旧证号110**********02"),
    ("手机1381 234 5678", detection.MOBILE, "1381 234 5678", "手机138****5678"),
    ("手机13 81 23 45 67 8", detection.MOBILE, "13 81 23 45 67 8", None),
    ("手机138.1234.5678", detection.MOBILE, "138.1234.5678", "手机138****5678"),
    ("手机138/1234/5678", detection.MOBILE, "138/1234/5678", None),
    ("手机(138)1234 5678", detection.MOBILE, "(138)1234 5678", "手机138****5678"),
    ("手机1 3 8 1 2 3 4 5 6 7 8", detection.MOBILE, "1 3 8 1 2 3 4 5 6 7 8", None),
    ("于2024.3.4 1381 234 5678来电", detection.MOBILE, "1381 234 5678", "于2024.3.4 138****5678来电"),
    ("12:30 0571 88 12 34 56", detection.LANDLINE, "0571 88 12 34 56", "12:30 0571-******56"),
    # Chinese numerals, alone and mixed with ASCII and full-width digits.
    ("手机一三八一二三四五六七八", detection.MOBILE, "一三八一二三四五六七八", "手机138****5678"),
    ("手机幺三八 幺二三四 五六七八", detection.MOBILE, "幺三八 幺二三四 五六七八", None),
    ("手机138一二三四5678", detection.MOBILE, "138一二三四5678", None),
    ("手机一三八-１２３４-五六七八", detection.MOBILE, "一三八-１２３４-五六七八", None),
    ("手机+86 一三八.一二三四.五六七八", detection.MOBILE, "+86 一三八.一二三四.五六七八", "手机138****5678"),
    ("身份证一一〇一〇五一九四九一二三一〇〇二X", detection.ID_NUMBER, "一一〇一〇五一九四九一二三一〇〇二X", None),
    ("电话零五七一-八八一二三四五六", detection.LANDLINE, "零五七一-八八一二三四五六", "电话0571-******56"),
    # Landlines and bank cards with dots.
    ("座机0571.8812.3456", detection.LANDLINE, "0571.8812.3456", "座机0571-******56"),
    ("座机010.8765.4321", detection.LANDLINE, "010.8765.4321", None),
    ("卡号6222.0212.3456.7890.128", detection.BANK_CARD, "6222.0212.3456.7890.128", "卡号6222***********0128"),
    ("卡号622202/123456/7890128", detection.BANK_CARD, "622202/123456/7890128", None),
    # Licence plates with a space or in lower case.
    ("车牌京a 12345", detection.PLATE, "京a 12345", "车牌京A*****"),
    ("车牌粤B·12345", detection.PLATE, "粤B·12345", None),
    ("车牌粵b．12345", detection.PLATE, "粵b．12345", None),
    ("车牌沪 a・d12345", detection.PLATE, "沪 a・d12345", None),
    # E-mail addresses with the "@" or the dots spelled out.
    ("邮箱zhangsan(at)example.com", detection.EMAIL, "zhangsan(at)example.com", "邮箱z***@example.com"),
    ("邮箱zhangsan[at]example.com", detection.EMAIL, "zhangsan[at]example.com", None),
    ("邮箱zhangsan＠example.com", detection.EMAIL, "zhangsan＠example.com", None),
    ("邮箱 zhangsan at example.com", detection.EMAIL, "zhangsan at example.com", "邮箱 z***@example.com"),
    ("邮箱zhangsan@example。com", detection.EMAIL, "zhangsan@example。com", None),
    ("邮箱zhangsan@163 com", detection.EMAIL, "zhangsan@163 com", None),
    ("邮箱zhangsan@example(dot)com", detection.EMAIL, "zhangsan@example(dot)com", None),
    ("邮箱zhangsan@example[dot]com[dot]cn", detection.EMAIL, "zhangsan@example[dot]com[dot]cn", None),
    ("邮箱：ZhangSan AT Example DOT com。", detection.EMAIL, "ZhangSan AT Example DOT com",
     "邮箱：z***@example.com。"),
    # Names after Traditional cues, and after a space or a full-width colon.
    ("投訴人張三反映", detection.NAME, "張三", None),
    ("來電人：陳大文稱", detection.NAME, "陳大文", None),
    ("舉報人 李四", detection.NAME, "李四", "舉報人 李某"),
    ("投诉人：　王五", detection.NAME, "王五", "投诉人：　王某"),
    ("投诉人 ：赵六要求", detection.NAME, "赵六", None),
    ("檢舉人歐陽娜娜", detection.NAME, "歐陽娜娜", None),
])
def test_each_spelling_that_slipped_through_is_found(text, category, value, masked):
    findings = detect(text)
    assert [(f.category, f.value) for f in findings] == [(category, value)]
    assert findings[0].confidence == (MEDIUM if category == detection.NAME else HIGH)
    if masked is not None:
        assert redact(text) == masked


@pytest.mark.parametrize("text", [
    "2024-03-04", "2024年3月4日", "二〇二四年三月四日", "13:30", "工作日 9:00-12:00,13:30-17:00", "1,234.56元",
    "3.5万元", "2024-XN-0012", "99010000FG-XK-0001", "第三十条", "第一百二十三条", "12345", "拨打12345热线",
    "《行政许可法》第四十二条", "GB/T 2260-2007", "GB 50016-2014", "国发〔2024〕12号", "2024年", "2019-2023年",
    "5个工作日", "十五个工作日", "400-800-1234", "95588",
    # Numbers side by side: a range, two dates, a date and a time, decimals.
    "2024-03-04 2024-03-05", "2024.03.04-2024.03.08", "2024-03-04-2024-03-08", "2024/3/4-2024/3/8",
    "2024.03.04 2024.03.05 2024.03.06", "2024.3.4 13:30", "2024-03-04 12:30-17:00", "0.5772156649",
    "3.1415926535", "99010001FG-XK-0300 99010001FG-XK-0001", "一二三四五六七", "周一二三四五六日", "三三两两", "十一二三",
    # Words the detector reads, in ordinary sentences.
    "住址不会出现在任何下载文件中", "当事人陈述和申辩", "申请人申请办理", "住址和电话不予公开",
])
def test_ordinary_text_is_left_alone(text):
    assert detect(text) == [], text


@pytest.mark.parametrize("text", [
    "请拨打0999-8123456", "请拨打0999.812.3456", "请拨打零九九九-八一二三四五六", "请拨打(0999)8123456",
    "请拨打+86 999 8123456", "请拨打0999 81 23 456", "咨询电话0999-8015267", "邮箱 xiaoneng(at)huasong.gov.cn",
])
def test_the_portals_public_numbers_are_left_alone_however_written(text):
    public = Public(contacts=frozenset({"09998123456", "09998015267", "xiaoneng@huasong.gov.cn"}))
    assert detect(text, public) == [], text
    assert detect(text) != []


@settings(max_examples=200, deadline=None, database=None)
@given(st.one_of(ORDINARY_NUMBERS, ORDINARY_NEIGHBOURS, ORDINARY_TEXT))
def test_ordinary_numbers_alone_and_side_by_side_are_left_alone(text):
    assert detect(text) == [], text


def test_folding_maps_back_to_the_text_as_written():
    text = "ｚｈａｎｇ（ａｔ）ｅｘａｍｐｌｅ．ｃｏｍ、手机\u200b一三八－一二三四－五六七八、投訴人張三"
    folded = fold(text)
    assert folded.text == "zhang@example.com、手机138-1234-5678、投诉人张三"
    spans = [folded.span(m.start(), m.end()) for m in re.finditer(r"zhang@example\.com|138-1234-5678|张三",
                                                                  folded.text)]
    assert [text[start:end] for start, end in spans] == [
        "ｚｈａｎｇ（ａｔ）ｅｘａｍｐｌｅ．ｃｏｍ", "一三八－一二三四－五六七八", "張三"]
    assert redact(text) == "z***@example.com、手机\u200b138****5678、投訴人张某"


def test_short_runs_of_chinese_numerals_stay_words():
    assert fold("二〇二四年一月,一一核实,第三十条").text == "二〇二四年一月,一一核实,第三十条"
    assert fold("电话一三八一二三四五六七八").text == "电话13812345678"


def test_the_traditional_table_agrees_with_opencc_and_covers_the_vocabulary():
    to_simplified = [opencc.OpenCC(config) for config in ("t2s", "tw2s", "hk2s")]
    for code, simplified in TABLE.items():
        assert simplified in {c.convert(chr(code)) for c in to_simplified}, chr(code)
    to_traditional = [opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2hk")]
    words = vocabulary()
    for word in sorted(words):
        for converter in to_traditional:
            written = converter.convert(word)
            # Read as the word, or a word of its own (反覆: 覆 is Simplified too, so not folded).
            assert written.translate(TABLE) in (word, *words), (word, written)
