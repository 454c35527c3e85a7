"""Word lists shared by the sample-city generators: the city, its hall, posts and legal texts.

House style for generated prose: half-width `,` `;` `:` `()` inside Chinese text,
full-width `。` `、` `《》` `“”` `〔〕`, as in the schema examples and the brief.
"""

from __future__ import annotations

import re

CITY = "华松市"
CITY_EN = "Huasong"
ADMIN_CODE = "990100"  # fictional: no province has the code 99
# 乡镇街道 codes read as a district-level prefix, so towns sort after the 市直部门.
TOWN_PREFIX = "990101"
AREA_CODE = "0999"  # fictional telephone area code
EFFICIENCY_PHONE = "0999-8123456"  # 效能投诉电话, as published in content/city.yaml

HALL = "华松市政务服务中心"
HALL_HOURS = (
    "工作日 上午9:00-12:00,下午13:30-17:00(法定节假日除外)",
    "工作日 8:30-12:00,14:00-17:30;周六上午9:00-12:00提供延时服务",
    "周一至周五 9:00-17:00(中午不休息),法定节假日除外",
)
OFFICE_HOURS = (
    "工作日 8:30-12:00,14:30-18:00",
    "工作日 上午8:30-12:00,下午14:00-17:30(夏季14:30-18:00)",
    "工作日 9:00-12:00,13:30-17:00",
)
STREETS = (
    "人民路", "松华大道", "建设路", "文昌路", "府前街", "滨江路", "明德路",
    "青年路", "迎宾大道", "学府路", "金沙路", "翠柳街", "长兴路", "光明路",
)
CIVIC_CENTRE = "华松市松华大道1号市行政中心"

# Posts that hold a step of a service flow.
POST_WINDOW = ("窗口受理人员", "综合受理窗口工作人员", "前台受理人员")
POST_REVIEW = ("科室审核人员", "业务科室经办人", "审批科经办人员")
POST_HEAD = ("科室负责人", "审批科科长", "业务科室负责人")
POST_LEADER = ("分管领导", "分管局领导", "首席审批员")
POST_FIELD = ("现场核查人员", "核查小组", "业务科室核查人员")
POST_ISSUE = ("制证发证人员", "窗口出件人员", "综合受理窗口工作人员")

# Integrity risks a flow step may carry (廉政风险点), by the kind of work done there.
RISKS = {
    "受理": ("擅自增加申请材料", "故意刁难申请人", "对符合条件的申请不予受理", "未一次性告知补正内容"),
    "审查": ("降低审查标准", "与申请人私下接触", "超时限审查", "选择性审查"),
    "核查": ("接受服务对象宴请", "核查走过场", "出具虚假核查意见", "暗示申请人找中介"),
    "决定": ("违规审批", "以个人意见代替集体研究", "无正当理由拖延审批"),
    "公示": ("公示内容不完整", "公示期限不足"),
    "发放": ("虚报冒领", "截留挪用资金", "优亲厚友"),
}

# 追责依据 common to every power item; the item's own law is added in front.
DISCIPLINE_BASES = (
    "《中华人民共和国公职人员政务处分法》第三十九条",
    "《中华人民共和国公务员法》第五十九条",
    "《行政机关公务员处分条例》",
)

# Laws whose short name is used in the catalogues without the national prefix.
_WITHOUT_PREFIX = re.compile(r"(条例|办法|规定|决定|细则|目录|通知)(\(试行\))?$")


def law_title(short: str) -> str:
    """Return the full citable title of a law written by its short name.

    National statutes ("食品安全法") take the 中华人民共和国 prefix; regulations,
    rules and decisions keep their own name.
    """
    if short.startswith("中华人民共和国") or _WITHOUT_PREFIX.search(short):
        return f"《{short}》"
    return f"《中华人民共和国{short}》"


def cite(spec: str) -> str:
    """Turn a catalogue basis like "食品安全法第三十五条+…" into citation text."""
    parts = []
    for piece in spec.split("+"):
        match = re.fullmatch(r"(.+?)(附件)?(第.+)", piece)
        if match:
            title, annex, clause = match.groups()
            parts.append(law_title(title) + (annex or "") + clause)
        else:
            parts.append(law_title(piece))
    return ";".join(parts)


def laws_of(spec: str) -> list[str]:
    """Return the distinct law titles cited in a catalogue basis, in order."""
    titles = []
    for piece in spec.split("+"):
        title = law_title(re.split(r"(?:附件)?第", piece, maxsplit=1)[0])
        if title not in titles:
            titles.append(title)
    return titles


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Write 0–99 in Chinese numerals (summaries never carry digit runs)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")
