"""Names and addresses: found by the words around them, never with certainty.

A name cannot be told from other Chinese text by its shape, so only a name right
after a word that introduces a person (投诉人张三, 来电人: 李四), or one that a
general word (市民, 居民) or the start of a sentence introduces and that is then
followed by 反映/来电/称, is proposed; an address is proposed by its house-number
parts (路 12 号, 3 栋 2 单元 501 室) or after 家住/住址. All of these are for a
person to review (medium confidence); the pseudonyms the portal asks for (张某,
王女士, 某公司) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Words that introduce a named person: whatever follows is read as a name.
STRONG_CUES = (
    "投诉人", "举报人", "来电人", "来访人", "来信人", "反映人", "求助人", "申请人", "当事人",
    "联系人", "委托人", "代理人", "被害人", "姓名", "检举人", "陈情人", "申诉人",
)
# General words for people: a name after them counts only when they then speak (市民张三反映),
# since "居民安置" or "群众高度关注" are not names.
WEAK_CUES = ("市民", "群众", "居民", "村民", "业主", "车主", "户主", "家长", "患者", "考生")
_SPEECH = "(?=来电反映|来电|来信|来访|反映|投诉|举报|称|表示|说|要求|诉称)"
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
             "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "呼延", "申屠", "轩辕")
# The common single surnames; 于/向/和 and other function words are left out on purpose:
# "投诉人向该局反映" must not read as a person called 向该局.
_SINGLE = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅邱侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛"
    "郝龚邵万钱严覃武戴莫孔汤庞樊兰殷施翟颜倪牛温芦季俞章鲁葛伍申尤毕聂焦柴车岳齐祝萧"
)
# What follows a name in a complaint, so is not part of it.
_AFTER_NAME = (
    "反映", "来电", "来访", "来信", "投诉", "举报", "称", "说", "表示", "认为", "要求", "提出", "反应",
    "于", "在", "到", "向", "因", "对", "就", "系", "是", "的", "等", "及", "和", "与", "了", "已",
    "曾", "多次", "通过", "拨打", "致电", "前往", "本人", "家", "一家", "夫妇", "之", "诉称",
    "当面", "当场", "当时", "一直", "一同", "一起", "反复", "反覆", "再次", "已经", "未", "没", "不", "也", "还",
    "都", "又", "再", "现", "近", "来", "去", "回", "打", "电话", "手机", "联系", "家属", "儿子", "女儿",
    "母亲", "父亲", "妻子", "丈夫", "女士", "先生", "同志", "等人",
)
# A "given name" that is a pseudonym or a form of address, not a name.
_NOT_GIVEN = ("某", "先生", "女士", "同志", "师傅", "老师", "小姐", "大爷", "阿姨", "总", "经理", "主任")
# Words that begin with a surname character and follow a cue in ordinary text
# (当事人陈述, 申请人申请, 当事人车辆): not a surname and a given name.
_NOT_NAMES = ("陈述", "陈列", "申请", "申报", "申诉", "申领", "车辆", "范围", "严重", "严格", "何时", "高度",
              "金额", "任何")
_CJK = "[\u4e00-\u9fff]"
_SURNAME = "(" + "|".join(_COMPOUND) + "|[" + _SINGLE + "])"
_SENTENCE_START = r"(?:^|(?<=[。;;!?!?\n:：]))\s*"

# Between a cue and the name: a colon, comma or opening bracket, and up to two spaces either
# side of it (投诉人 张三, 投诉人: 张三, 投诉人 ：张三, 投诉人(张三)). Folding made full-width
# colons, commas, brackets and the ideographic space ASCII; bounded counts keep this linear.
_CUE_GAP = r"[ \t]{0,2}[:,(]?[ \t]{0,2}"
_STRONG = re.compile("(?:" + "|".join(STRONG_CUES) + ")" + _CUE_GAP + _SURNAME + "(" + _CJK + "{1,2})")
_WEAK = re.compile("(?:" + "|".join(WEAK_CUES) + ")[ \t]?" + _SURNAME + "(" + _CJK + "{1,2}?)" + _SPEECH)
_OPENING = re.compile(_SENTENCE_START + _SURNAME + "(" + _CJK + "{1,2}?)" + _SPEECH)

_NUM = "[0-9一二三四五六七八九十百零〇两]+"
_STREET = re.compile(_CJK + "{1,6}?(?:路|街|大道|大街|巷|弄|胡同)" + _NUM + "(?:-[0-9]+)?号(?!楼)")
_DWELLING = re.compile(
    _NUM + "(?:栋|幢|号楼|座)" + _NUM + "单元(?:" + _NUM + "(?:室|户))?"
    + "|" + _NUM + "(?:栋|幢|号楼|座)" + _NUM + "(?:室|户)"
    + "|" + _NUM + "(?:栋|幢)[0-9]{3,4}(?![0-9])"
    + "|" + _NUM + "单元" + _NUM + "(?:室|户)?"
    + "|(?<![0-9])[0-9]{3,4}室"
)
# (Not when a mask follows: "家住松华路*号" was redacted already; nor when a function word
# does: "住址不会公开", "住址和电话" speak of an address without giving one.)
_CUED_ADDRESS = re.compile(r"(?:家住|住址|住在|居住在|现住|家庭地址)[::]?\s*(?![不没未无是为的和或等及与、])"
                           r"([^,,。;;!?!?\s*()()]{2,30}+)(?!\*)")
_HAS_CJK = re.compile(_CJK)


def _given(text: str, start: int, rest: str) -> str | None:
    """The given name in `rest` (the 1–2 characters at `start` after a surname), or None."""
    for cut in range(len(rest)):
        if text.startswith(_AFTER_NAME, start + cut):
            rest = rest[:cut]
            break
    if not rest or rest.startswith(_NOT_GIVEN):
        return None
    return rest


def names(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, surname) of each proposed name in folded `text`."""
    # Most texts have no cue at all; a substring test is far cheaper than the patterns.
    patterns = [p for p, words in ((_STRONG, STRONG_CUES), (_WEAK, WEAK_CUES)) if any(w in text for w in words)]
    for pattern in (*patterns, _OPENING):
        for match in pattern.finditer(text):
            if text.startswith(_NOT_NAMES, match.start(1)):
                continue
            given = _given(text, match.start(2), match.group(2))
            if given:
                yield match.start(1), match.start(2) + len(given), match.group(1)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each proposed address part in folded `text`."""
    for pattern, marks in ((_STREET, "号"), (_DWELLING, "栋幢座单元室户")):
        if not any(mark in text for mark in marks):
            continue
        for match in pattern.finditer(text):
            yield match.start(), match.end()
    for match in _CUED_ADDRESS.finditer(text):
        if _HAS_CJK.search(match.group(1)):
            yield match.start(1), match.end(1)
