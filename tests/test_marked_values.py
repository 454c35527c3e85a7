"""Values marked for the eye: changed words in a diff, phone numbers to dial, time ranges kept
whole. Whatever a department wrote comes out escaped."""

from __future__ import annotations

import html
import re

from hypothesis import given, strategies as st

from portal.web.contact import hours, tel_links, web_link
from portal.web.worddiff import marked


def test_only_the_changed_words_are_marked():
    old, new = marked("测试市政务服务中心二楼 12 号窗口", "测试市政务服务中心三楼 31 号窗口")
    assert old == "测试市政务服务中心<del>二</del>楼 <del>12</del> 号窗口"
    assert new == "测试市政务服务中心<ins>三</ins>楼 <ins>31</ins> 号窗口"


def test_a_time_or_a_code_changes_as_one_word():
    old, new = marked("工作日 9:00-17:00", "工作日 8:30-17:00")
    assert old == "工作日 <del>9:00-17:00</del>" and new == "工作日 <ins>8:30-17:00</ins>"


def test_an_empty_old_value_marks_all_of_the_new_one():
    assert marked(None, "新增") == ("", "<ins>新增</ins>")


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"</?(del|ins)>", "", markup).replace("<br>", "\n"))


@given(st.text(max_size=60), st.text(max_size=60))
def test_marking_keeps_both_values_whole_and_escaped(old, new):
    left, right = marked(old, new)
    assert _plain(left) == old and _plain(right) == new
    assert "<" not in re.sub(r"</?(del|ins)>|<br>", "", left + right)


def test_phone_numbers_become_links_to_dial_and_the_rest_stays_as_written():
    assert tel_links("0999-8015267、12345(转2)") == (
        '<a class="tel" href="tel:09998015267">0999-8015267</a>、<a class="tel" href="tel:12345">12345</a>(转2)')
    assert tel_links("<b>0999</b>") == "&lt;b&gt;0999&lt;/b&gt;"


def test_a_web_address_is_a_link_and_other_text_is_not():
    assert web_link("https://zwfw.example.cn/form?id=1&x=2") == (
        '<a href="https://zwfw.example.cn/form?id=1&amp;x=2">https://zwfw.example.cn/form?id=1&amp;x=2</a>')
    assert web_link("《备案信息表》") == "《备案信息表》"
    assert web_link('javascript:alert("x")') == "javascript:alert(&#34;x&#34;)"


def test_time_ranges_stay_on_one_line():
    assert hours("工作日 8:30-12:00,14:00至17:30") == (
        '工作日 <span class="nowrap">8:30-12:00</span>,<span class="nowrap">14:00至17:30</span>')
