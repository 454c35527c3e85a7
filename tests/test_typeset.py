"""Full-width punctuation in Chinese interface strings: what changes, and what never does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import Markup

from portal.i18n.typeset import is_chinese, typeset


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("撤回原因:", "撤回原因："),
        ("撤回原因: %(reason)s", "撤回原因：%(reason)s"),
        ("新增 0 项,变更 1 项,撤回 0 项", "新增 0 项，变更 1 项，撤回 0 项"),
        ("变更%(item)s:%(name)s", "变更%(item)s：%(name)s"),
        ("办结天数中位数(工作日)", "办结天数中位数（工作日）"),
        ("(空)", "（空）"),
        ("共%(n)s(含撤回)", "共%(n)s（含撤回）"),
        ("密码已修改;其他设备上的登录已全部退出", "密码已修改；其他设备上的登录已全部退出"),
        ("您是不是要找?", "您是不是要找？"),
        ("下载流程图(SVG)", "下载流程图（SVG）"),
        ('<a href="%(url)s">办事指南</a>:说明', '<a href="%(url)s">办事指南</a>：说明'),
        ("见 https://example.org/a?b=1,2:说明", "见 https://example.org/a?b=1,2：说明"),
    ],
)
def test_marks_in_chinese_become_full_width(text, expected):
    assert typeset(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "工作日 9:00-17:00",  # a time
        "共1,000项",  # a number
        "Hello, world: (x)?",  # English
        "%(a)s:%(b)s",  # placeholders only
        "带了其他请求头时发送 Authorization: Bearer 令牌",  # English inside Chinese
        '判断环节写成“符合:S4;不符合:E2”',  # a quotation shows what to type
        '<a title="说明:一" href="/x?a=1,2">链接</a>',  # markup
        "原因{{ reason }}{% if x %}{% endif %}{name:>3}&amp;",
    ],
)
def test_what_is_not_chinese_punctuation_stays(text):
    assert typeset(text) == text


# Pieces of interface strings: Chinese, English, numbers, marks, and the protected kinds.
HAN = st.sampled_from("原因撤回事项部门变更工作日共项说明")
LATIN = list("abXY019 -./“”") + [",", ":", ";", "(", ")", "?", "!", "1,000", "9:00"]
PLAIN = st.sampled_from(LATIN + ["、", "。"])
PLACEHOLDERS = ["%(name)s", "%(count)d", "%s", "{value}", "{{ item }}", "%%"]
MARKUP = ['<a href="%(url)s">', "</a>", '<span title="a:b, c">', "</span>", "&nbsp;", "https://example.org/a?b=1,2<br>"]
PIECE = st.one_of(HAN, PLAIN, st.sampled_from(PLACEHOLDERS), st.sampled_from(MARKUP))
TEXT = st.lists(PIECE, max_size=30).map("".join)
PROTECTED = re.compile("|".join(map(re.escape, sorted(PLACEHOLDERS + MARKUP, key=len, reverse=True))))


def _protected(text: str) -> list[str]:
    return PROTECTED.findall(text)


@settings(max_examples=300)
@given(TEXT)
def test_placeholders_and_markup_never_change(text):
    assert _protected(typeset(text)) == _protected(text)


@settings(max_examples=300)
@given(TEXT)
def test_typesetting_twice_changes_nothing_more(text):
    once = typeset(text)
    assert typeset(once) == once


@settings(max_examples=300)
@given(st.lists(st.sampled_from(LATIN + PLACEHOLDERS + MARKUP), max_size=30).map("".join))
def test_text_without_chinese_never_changes(text):
    assert not any(map(is_chinese, text))
    assert typeset(text) == text


@settings(max_examples=300)
@given(TEXT)
def test_only_punctuation_changes(text):
    """Outside the converted marks and the spaces around them, every character is kept."""
    narrow = str.maketrans("，：；？！（）", ",:;?!()")
    assert typeset(text).translate(narrow).replace(" ", "") == text.replace(" ", "")


NAMED = st.lists(st.one_of(HAN, PLAIN, st.just("%(name)s"), st.just("%(count)d")), max_size=30).map("".join)


@settings(max_examples=300)
@given(NAMED)
def test_python_formatting_takes_the_same_arguments(text):
    arguments = {"name": "测试市民政局", "count": 3}
    assert (typeset(text) % arguments).count("测试市民政局") == (text % arguments).count("测试市民政局")


@settings(max_examples=200)
@given(st.lists(st.one_of(HAN, PLAIN, st.just("{{ name }}"), st.just('<b title="a:b">')), max_size=30).map("".join))
def test_jinja_renders_the_typeset_template_with_the_same_arguments(text):
    environment = Environment(autoescape=True)
    rendered = environment.from_string(typeset(text)).render(name=Markup("<i>民政局</i>"))
    assert rendered.count("<i>民政局</i>") == text.count("{{ name }}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [(";", "；"), (":", "："), ("%(name)s(%(details)s)", "%(name)s（%(details)s）"), ("9:00", "9:00"), ("12345", "12345")],
)
def test_a_message_known_to_be_chinese_typesets_its_separators(text, expected):
    assert typeset(text, chinese=True) == expected


@settings(max_examples=200)
@given(st.lists(st.sampled_from(LATIN + PLACEHOLDERS + MARKUP), max_size=30).map("".join))
def test_a_chinese_message_keeps_its_placeholders_and_settles(text):
    once = typeset(text, chinese=True)
    assert typeset(once, chinese=True) == once and _protected(once) == _protected(text)
