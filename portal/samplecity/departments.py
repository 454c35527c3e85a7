"""The departments of 华松市: 24 市直部门 and 10 乡镇街道, with what the other generators need."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import vocabulary as v

# (序号, 简称字母, 名称, English, 职责, 承办机构 by 类型码, 投诉权重, 群众常办/常诉的事)
# The complaint weight says how often citizens meet the department at a counter or
# in the street; service-facing departments draw more complaints.
CITY_TABLE = (
    (1, "FG", "发展和改革委员会", "Development and Reform Commission",
     "拟订并组织实施全市国民经济和社会发展规划,负责固定资产投资项目审批、核准、备案和节能审查。",
     "XK:投资科;QR:投资科;CF:政策法规科;JC:资源节约和环境保护科;QT:投资科", 2, "企业投资项目备案;节能审查;政府投资项目审批进度"),
    (2, "JY", "教育局", "Education Bureau",
     "负责全市各级各类教育的统筹规划和协调管理,组织实施学生资助,管理民办学校和校外培训机构。",
     "XK:政策法规科;CF:政策法规科;JC:校外教育培训监管科;JF:学生资助管理中心;JL:人事科;QT:基础教育科", 4,
     "校外培训机构预付费退费;学生资助申请;民办学校办学许可;教师资格认定"),
    (3, "GA", "公安局", "Public Security Bureau",
     "负责全市社会治安管理、户籍和居民身份证管理、道路交通安全管理,依法查处治安违法行为。",
     "XK:治安管理支队;QR:户政管理科;CF:交通警察支队;QZ:交通警察支队;JC:治安管理支队;JL:政治处", 8,
     "户口迁移;居住证办理;身份证换领;机动车转移登记;违法停车拖移"),
    (4, "MZ", "民政局", "Civil Affairs Bureau",
     "负责全市社会救助、婚姻登记、社会组织登记管理、养老服务和地名管理工作。",
     "JF:社会救助科;QR:婚姻登记处;XK:社会组织管理科;CF:社会组织管理科;JC:养老服务科;QT:区划地名科;JL:社会救助科", 6,
     "最低生活保障申请;临时救助;婚姻登记预约;高龄津贴发放"),
    (5, "SF", "司法局", "Justice Bureau",
     "负责全市法治政府建设的统筹协调,承办行政复议,管理法律援助、人民调解和律师工作。",
     "CF:律师工作科;JC:律师工作科;QT:行政复议科;JL:人民参与和促进法治科", 2, "法律援助申请;人民调解;行政复议受理"),
    (6, "CZ", "财政局", "Finance Bureau",
     "负责全市财政收支管理、政府采购监督管理和会计管理工作。",
     "CF:政府采购监督管理科;JC:财政监督检查局;CJ:政府采购监督管理科;XK:会计科;QT:政府采购监督管理科", 2,
     "政府采购投诉处理;代理记账资格审批"),
    (7, "RS", "人力资源和社会保障局", "Human Resources and Social Security Bureau",
     "负责全市就业创业、社会保险、劳动关系和劳动保障监察工作,承办劳动人事争议仲裁。",
     "JF:社会保险事业中心;QR:工伤保险科;XK:就业促进和失业保险科;CF:劳动保障监察支队;JC:劳动保障监察支队;CJ:劳动人事争议仲裁院;JL:劳动保障监察支队", 8,
     "失业保险金申领;工伤认定;退休审批;拖欠工资投诉处理;社会保障卡补换"),
    (8, "ZR", "自然资源和规划局", "Natural Resources and Planning Bureau",
     "负责全市自然资源统一确权登记、国土空间规划编制和实施、建设用地审批和用途管制、土地执法。",
     "XK:国土空间规划科;QR:不动产登记中心;CF:自然资源执法监察支队;QZ:自然资源执法监察支队;ZS:耕地保护监督科;JC:自然资源执法监察支队;CJ:调查确权科;JL:办公室;QT:自然资源所有者权益科", 7,
     "不动产转移登记;建设工程规划许可;不动产抵押登记;违法占地举报处理"),
    (9, "HJ", "生态环境局", "Ecology and Environment Bureau",
     "负责全市生态环境保护的统一监督管理,组织建设项目环境影响评价审批和排污许可,依法查处环境违法行为。",
     "XK:环境影响评价与排放管理科;CF:生态环境保护综合行政执法支队;QZ:生态环境保护综合行政执法支队;JC:生态环境保护综合行政执法支队;JL:法规与宣传教育科", 5,
     "企业异味排放;餐馆油烟扰民;环评审批进度;夜间施工噪声"),
    (10, "ZJ", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau",
     "负责全市住房保障、房地产市场监管、建筑市场和工程质量安全监管、城镇燃气和建设工程消防设计审查验收。",
     "XK:建筑业管理科;QR:住房保障科;CF:建设工程综合行政执法大队;ZS:人民防空办公室;JC:建设工程质量安全监督站;JF:住房保障科;QT:建筑业管理科", 7,
     "商品房预售许可;住房租赁补贴;小区物业服务;建筑工地夜间施工;燃气经营许可"),
    (11, "JT", "交通运输局", "Transport Bureau",
     "负责全市公路、道路运输和城市客运的行业管理,组织公路路政管理和交通运输综合执法。",
     "XK:运输管理科;QR:运输管理科;CF:交通运输综合行政执法支队;QZ:交通运输综合行政执法支队;JC:交通运输综合行政执法支队;QT:运输管理科", 5,
     "出租汽车拒载;网约车运输证办理;公交线路调整;超限运输许可"),
    (12, "SW", "水务局", "Water Affairs Bureau",
     "负责全市水资源管理、河湖管理、水土保持、城乡供排水管理和防汛抗旱日常工作。",
     "XK:水资源管理科;CF:水政监察支队;QZ:水旱灾害防御科;ZS:水土保持科;JC:水政监察支队;CJ:水政监察支队;JL:水土保持科", 4,
     "小区供水压力不足;排水管网接入许可;取水许可;河道违建"),
    (13, "NY", "农业农村局", "Agriculture and Rural Affairs Bureau",
     "负责全市种植业、畜牧业、渔业和农业机械化管理,组织农资市场监管和农产品质量安全监管,落实强农惠农政策。",
     "XK:农业综合行政执法大队;CF:农业综合行政执法大队;QZ:农业综合行政执法大队;JC:农产品质量安全监管科;JF:计划财务科;JL:科技教育科", 4,
     "耕地地力保护补贴发放;农机购置补贴;假农药投诉;兽药经营许可"),
    (14, "SWJ", "商务局", "Commerce Bureau",
     "负责全市内外贸易和商贸流通管理,监管单用途商业预付卡、报废机动车回收和成品油零售市场。",
     "XK:市场建设与运行科;CF:商务综合行政执法大队;JC:商务综合行政执法大队;QT:对外贸易科;QR:市场建设与运行科", 2,
     "预付卡退费;成品油零售经营许可"),
    (15, "WL", "文化广电旅游局", "Culture, Radio, Television and Tourism Bureau",
     "负责全市文化事业、文化产业和旅游业发展,管理文化和旅游市场,组织文化市场综合执法。",
     "XK:文化市场管理科;CF:文化市场综合行政执法大队;JC:文化市场综合行政执法大队;JL:公共服务科", 3,
     "营业性演出审批;旅行社服务质量;网吧接纳未成年人;景区门票"),
    (16, "WJ", "卫生健康委员会", "Health Commission",
     "负责全市医疗卫生服务体系建设、公共卫生和卫生健康监督管理,组织实施计划生育家庭扶助制度。",
     "XK:医政医管科;CF:卫生健康综合监督执法局;JC:卫生健康综合监督执法局;JF:人口监测与家庭发展科;JL:妇幼健康科", 5,
     "医疗机构执业许可;计划生育家庭扶助金;医师执业注册;医院挂号服务"),
    (17, "YJ", "应急管理局", "Emergency Management Bureau",
     "负责全市应急管理和安全生产综合监督管理,组织危险化学品和烟花爆竹经营许可及生产安全事故调查处理。",
     "XK:危险化学品安全监督管理科;CF:应急管理综合行政执法大队;QZ:应急管理综合行政执法大队;JC:应急管理综合行政执法大队;JL:办公室;QT:调查评估和统计科", 3,
     "烟花爆竹零售许可;危险化学品经营许可;企业安全隐患举报"),
    (18, "SJ", "市场监督管理局", "Administration for Market Regulation",
     "负责全市市场综合监督管理,组织食品、药品、特种设备、产品质量和计量监管,查处市场违法行为,保护消费者权益。",
     "XK:特种设备安全监察科;CF:市场监管综合行政执法支队;QZ:市场监管综合行政执法支队;JC:食品安全监督管理科;JL:食品安全协调科;CJ:知识产权科;QT:信用监督管理科", 8,
     "消费投诉处理;预付卡退费;特种设备使用登记;食品安全举报"),
    (19, "YB", "医疗保障局", "Healthcare Security Bureau",
     "负责全市医疗保险、生育保险和医疗救助的待遇保障,监督管理医疗保障基金使用。",
     "JF:医疗保障事务中心;QR:医疗保障事务中心;CF:医保基金监管科;QZ:医保基金监管科;JC:医保基金监管科;JL:医保基金监管科;QT:医疗保障事务中心", 6,
     "医疗费用报销;门诊慢特病认定;异地就医备案;生育津贴"),
    (20, "CG", "城市管理综合执法局", "Urban Management and Comprehensive Law Enforcement Bureau",
     "负责全市市容环境卫生、城市道路和绿化的管理,集中行使城市管理领域的行政处罚权及相关行政强制措施。",
     "XK:市政公用科;CF:城市管理综合执法支队;QZ:城市管理综合执法支队;ZS:环境卫生管理科;JC:城市管理综合执法支队", 8,
     "占道经营;渣土车抛洒;夜间施工噪声;店招店牌审批;垃圾清运"),
    (21, "SP", "行政审批服务局", "Administrative Approval Service Bureau",
     "集中行使全市市场准入、建设投资、社会事务等领域的行政许可权,负责市政务服务中心的运行管理。",
     "XK:市场准入审批科;QT:政务服务管理科", 10,
     "企业开办;食品经营许可;施工许可;药品零售企业许可;窗口服务"),
    (22, "LC", "林业和草原局", "Forestry and Grassland Bureau",
     "负责全市林业和草原资源保护发展、林地管理和森林防火工作,组织林木采伐审批。",
     "XK:资源管理科;CF:林业综合行政执法大队;ZS:资源管理科;JC:林业综合行政执法大队;CJ:资源管理科;JL:生态修复科", 2,
     "林木采伐许可;使用林地审核;森林防火"),
    (23, "TY", "退役军人事务局", "Veterans Affairs Bureau",
     "负责全市退役军人的移交安置、就业创业和优抚工作,组织落实退役军人褒扬激励政策。",
     "JF:优抚科;QR:优抚科;CF:政策法规科;JL:办公室;QT:移交安置科", 3, "退役士兵安置;优待证办理;抚恤金发放"),
    (24, "TJ", "统计局", "Statistics Bureau",
     "负责全市统计调查和统计数据发布,组织统计执法检查,依法查处统计违法行为。",
     "CF:统计执法监督科;JC:统计执法监督科;QT:综合科;JL:综合科", 1, "统计报表报送;统计执法检查"),
)

# Offices chosen by what an item is about, before the by-type default: (关键词, 承办机构, 类型码).
# Enforcement (CF/QZ) stays with the department's 执法支队 unless listed here.
OFFICE_HINTS = {
    "SJ": (("计量", "计量科", "XK JC"), ("特种设备", "特种设备安全监察科", "XK JC"),
           ("药品", "药品医疗器械监督管理科", "JC"), ("产品质量", "产品质量安全监督管理科", "JC"),
           ("价格", "价格监督检查科", "JC"), ("消费者投诉", "消费者权益保护科", "QT")),
    "GA": (("户口", "户政管理科", "XK"), ("机动车", "交通警察支队车辆管理所", "XK"),
           ("旅馆", "治安管理支队", "CF"), ("烟花爆竹", "治安管理支队", "CF")),
    "ZJ": (("燃气", "城市建设科", "XK CF"), ("消防", "建设工程消防审验科", "XK"),
           ("预售", "房地产市场监管科", "XK")),
    "WJ": (("供水", "公共卫生科", "XK"), ("母婴", "妇幼健康科", "XK")),
    "WL": (("旅行社", "资源开发和市场管理科", "XK"),),
    "NY": (("驾驶证", "农业机械化管理科", "XK"), ("拖拉机", "农业机械化管理科", "XK")),
    "JT": (("公路", "公路管理所", "XK JC"),),
}

# (序号, 简称字母, 地名, 拼音, 类型); the seat road of each town is named after it.
TOWN_TABLE = (
    (1, "SL", "松林", "Songlin", "街道"),
    (2, "DH", "东湖", "Donghu", "街道"),
    (3, "WJ", "望江", "Wangjiang", "街道"),
    (4, "JQ", "锦桥", "Jinqiao", "街道"),
    (5, "QS", "青石", "Qingshi", "镇"),
    (6, "BS", "白沙", "Baisha", "镇"),
    (7, "TY", "桃源", "Taoyuan", "镇"),
    (8, "SM", "石门", "Shimen", "镇"),
    (9, "LH", "柳河", "Liuhe", "乡"),
    (10, "YL", "云岭", "Yunling", "乡"),
)

TOWN_OFFICES = "XK:自然资源所;QR:社会事务办公室;JF:社会事务办公室;CF:综合行政执法队;JC:应急管理办公室;CJ:司法所;QT:便民服务中心"
TOWN_DUTIES = {
    "街道": "负责辖区党的建设、社区治理和公共服务,组织开展社会救助、城市管理、安全生产和矛盾纠纷调解工作。",
    "镇": "负责全镇经济社会发展和乡村振兴,组织实施社会救助、农村宅基地管理、安全生产监督检查和基层治理。",
    "乡": "负责全乡农业农村发展和公共服务,组织实施社会救助、农村宅基地管理、森林防火和矛盾纠纷调解。",
}
TOWN_MATTERS = {
    "街道": "小区垃圾清运;老旧小区改造;社区养老服务;居住证明开具",
    "镇": "宅基地审批;村道路灯维修;低保申请;集镇占道经营",
    "乡": "宅基地审批;灌溉水渠维修;临时救助申请;山林权属纠纷",
}


@dataclass
class Dept:
    """A generated department: its schema row plus what the other generators need."""

    code: str
    name: str
    name_en: str
    category: str
    address: str
    hours: str
    phone: str
    complaint_phone: str
    duties: str
    key: str  # catalogue key: the letters for 市直部门, "街道"/"镇"/"乡" for towns
    offices: dict[str, str]
    complaint_weight: int
    matters: list[str]
    short: str  # how people say it in speech: "市民政局", "松林街道"
    extra: dict = field(default_factory=dict)
    credit_codes: list[str] | None = None  # 统一社会信用代码 of 市直部门 (towns leave it empty)

    def row(self) -> dict:
        """Return the department as a record keyed by the schema's field names."""
        return {f: getattr(self, f) for f in (
            "code", "name", "name_en", "category", "address", "hours",
            "phone", "complaint_phone", "duties", "credit_codes")}

    def office(self, type_code: str, name: str = "") -> str:
        """Return the office inside the department that handles an item of `type_code` called `name`."""
        for word, office, types in OFFICE_HINTS.get(self.key, ()):
            if word in name and type_code in types.split():
                return office
        return self.offices.get(type_code) or next(iter(self.offices.values()))


def _phones(rng: random.Random, prefix: str) -> tuple[str, str]:
    # Two distinct numbers 0999-8xxxxxx; never the city's efficiency hotline.
    numbers = set()
    while len(numbers) < 2:
        number = f"{v.AREA_CODE}-8{prefix}{rng.randrange(1000, 10000)}"
        if number != v.EFFICIENCY_PHONE:
            numbers.add(number)
    consult, complaint = sorted(numbers)
    return consult, complaint


def _offices(spec: str) -> dict[str, str]:
    return dict(item.split(":") for item in spec.split(";"))


def build(rng: random.Random) -> list[Dept]:
    """Return the city's departments in code order (市直部门 first, then 乡镇街道)."""
    depts = []
    for seq, letters, name, name_en, duties, offices, weight, matters in CITY_TABLE:
        consult, complaint = _phones(rng, f"{seq:02d}")
        if rng.random() < 0.55:
            address = f"{v.CIVIC_CENTRE}{rng.randrange(1, 9)}号楼"
        else:
            address = f"{v.CITY}{rng.choice(v.STREETS)}{rng.randrange(2, 300)}号"
        depts.append(Dept(
            code=f"{v.ADMIN_CODE}{seq:02d}{letters}", name=f"{v.CITY}{name}",
            name_en=f"{v.CITY_EN} Municipal {name_en}", category="市直部门",
            address=address, hours=rng.choice(v.OFFICE_HOURS), phone=consult,
            complaint_phone=complaint, duties=duties, key=letters,
            offices=_offices(offices), complaint_weight=weight,
            matters=matters.split(";"), short="市" + name,
            # 11 机关 + 990100 区划 + a 9-character 主体标识码 + check character: not drawn, so
            # adding it reshuffles nothing.
            credit_codes=[f"11{v.ADMIN_CODE}MB{seq:07d}X"],
        ))
    for seq, letters, place, pinyin, kind in TOWN_TABLE:
        consult, complaint = _phones(rng, f"{60 + seq:02d}")
        if kind == "街道":
            name, name_en = f"{place}街道办事处", f"{pinyin} Subdistrict Office, {v.CITY_EN}"
        else:
            name = f"{place}{kind}人民政府"
            name_en = f"{pinyin} {'Town' if kind == '镇' else 'Township'} People's Government, {v.CITY_EN}"
        road = rng.choice(("路", "街", "大道"))
        depts.append(Dept(
            code=f"{v.TOWN_PREFIX}{seq:02d}{letters}", name=f"{v.CITY}{name}",
            name_en=name_en, category="乡镇街道",
            address=f"{v.CITY}{place}{kind}{place}{road}{rng.randrange(1, 120)}号",
            hours=rng.choice(v.OFFICE_HOURS), phone=consult, complaint_phone=complaint,
            duties=TOWN_DUTIES[kind], key=kind, offices=_offices(TOWN_OFFICES),
            complaint_weight=2 if kind == "乡" else 3, matters=TOWN_MATTERS[kind].split(";"),
            short=place + kind, extra={"place": place},
        ))
    return depts
