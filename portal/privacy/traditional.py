"""Traditional spellings of the words the detector reads, folded to Simplified before matching.

Complaints arrive in both scripts (投訴人張三, 來電人：陳大文, 粵B·12345). The
detector's cues, surnames, plate provinces and Chinese numerals are written in
Simplified, so `normalize.fold` maps each Traditional (or Taiwan / Hong Kong
variant) character of those words to its Simplified form, one character for
one, which keeps every offset. Only these characters are folded: no pattern
looks at the others, and a full table (four thousand characters, derived from
OpenCC) takes about a second to build, which every process would pay on its
first scan. `vocabulary()` names the words the table is for; the tests check
the table against OpenCC's conversions of them.
"""

from __future__ import annotations

import re

# Traditional character, Simplified character; derived from OpenCC's t2s, tw2s and hk2s for
# the characters of `vocabulary()`. 么 is left out: it is everyday Simplified (什么); as a digit it
# is one of the NUMERALS.
_PAIRS = (
    "來来係系傢家兒儿兩两劉刘叄叁吳吴呂吕單单噹当嚮向嚴严囌苏圍围報报場场婦妇孫孙學学宮宫寧宁對对屬属"
    "嶽岳師师張张復复應应懞蒙戶户掛挂撥拨於于時时晉晋曏向東东枴拐柺拐棟栋楊杨業业樑梁樓楼機机檢检歐欧"
    "沒没湯汤溫温滬沪濛蒙瀋沈為为無无爲为爺爷獨独現现瓊琼畢毕當当盧卢眾众矇蒙硃朱碼码稱称範范粵粤經经"
    "緻致總总繫系羅罗羣群聯联聶聂與与舉举萬万葉叶蔣蒋蕭萧薑姜蘆芦蘇苏蘭兰號号衆众衕同衚胡複复親亲託托"
    "訪访許许訴诉話话誌志認认說说説说請请諸诸謝谢譚谭貳贰貴贵賀贺賈贾贛赣趙赵車车軒轩輛辆轅辕轉转迴回"
    "週周過过遲迟遼辽還还鄒邹鄧邓鄭郑鈡钟錢钱錶表鍾钟鐘钟長长閩闽閻阎陝陕陳陈陸陆陽阳雲云電电韋韦韓韩"
    "領领額额顏颜顔颜顧顾餘余馬马馮冯鬍胡魯鲁麪面麫面麵面麼么麽么黃黄齊齐齣出龍龙龐庞龔龚"
)
TABLE: dict[int, str] = {ord(_PAIRS[i]): _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}
# Chinese numerals people write digits with: 一三八… (幺 for 1, written 么 in Traditional script;
# 〇 and 零 for 0, 两 for 2, the radio alphabet's 拐 7, 勾 9, 洞 0) and the financial capitals 壹贰叁…
# (Taiwan writes three 參, which as a word is 参: read as a digit only in a run of numerals).
NUMERALS = "〇零幺么一二三四五六七八九两壹贰叁肆伍陆柒捌玖拐勾洞參"
_HAN_WORD = re.compile("[\u4e00-\u9fff]+")


def vocabulary() -> set[str]:
    """The Simplified words the detector matches: cues, surnames, address and phone words,
    plate provinces and marks, numerals."""
    from . import cues, numbers  # here, not above: normalize imports this module, and they import nothing

    words = {*cues.STRONG_CUES, *cues.WEAK_CUES, *cues._COMPOUND, *cues._AFTER_NAME, *cues._NOT_GIVEN,
             *cues._NOT_NAMES, *cues._SINGLE, *NUMERALS}
    for pattern in (cues._SPEECH, cues._STREET.pattern, cues._DWELLING.pattern, cues._CUED_ADDRESS.pattern,
                    numbers.CUED_LOCAL.pattern, numbers.LANDLINE.pattern, numbers.PLATE.pattern):
        words |= set(_HAN_WORD.findall(pattern))
    return words
