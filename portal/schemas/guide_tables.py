"""The tables of a 办事指南 and their vocabularies: materials, the flow, questions and fees."""

from .fields import Choice, Decimal, Field, Integer, LongText, Table

# 服务对象: the broad 个人/法人 many lists write, and the national elements' values with their
# codes (1 自然人 … 6 行政机关, 9 其他组织); a cell may hold several.
SERVICE_OBJECTS = ("个人", "法人", "自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业",
                   "行政机关", "其他组织")
SERVICE_OBJECT_ALIASES = (
    ("个人和法人", "个人、法人"), ("1", "自然人"), ("2", "企业法人"), ("3", "事业法人"),
    ("4", "社会组织法人"), ("5", "非法人企业"), ("6", "行政机关"), ("9", "其他组织"),
)
# 办件类型 as the national elements have them (联办件: several departments; 上报件: decided above).
CASE_TYPES = ("即办件", "承诺件", "联办件", "上报件")
CASE_TYPE_ALIASES = (("1", "即办件"), ("2", "承诺件"), ("3", "联办件"), ("4", "上报件"))
STEP_KINDS = ("开始", "办理", "判断", "结束")
# 网办深度: 一级 information online … 四级 全程网办.
ONLINE_DEPTHS = ("一级", "二级", "三级", "四级")
ONLINE_DEPTH_ALIASES = tuple((str(n), depth) for n, depth in enumerate(ONLINE_DEPTHS, start=1))

# 材料形式 (纸质/电子) and, as older lists wrote in the same column, 原件/复印件.
MATERIAL_FORMS = ("纸质", "电子", "纸质和电子", "原件", "复印件", "原件和复印件")
MATERIAL_FORM_ALIASES = (
    ("纸质、电子", "纸质和电子"), ("纸质,电子", "纸质和电子"), ("电子和纸质", "纸质和电子"),
    ("纸质版", "纸质"), ("电子版", "电子"), ("电子证照", "电子"), ("1", "纸质"), ("2", "电子"),
)

MATERIALS = Table(
    "materials", "申请材料", required=True, min_rows=1, max_rows=60,
    help="每行一项材料",
    columns=(
        Field("name", "材料名称", required=True, max_length=200, example="项目申请报告"),
        Choice("necessity", "必要性", required=True, choices=("必要", "非必要", "容缺"),
               aliases=(("必须", "必要"), ("必需", "必要"), ("非必须", "非必要"), ("非必需", "非必要"),
                        ("容缺受理", "容缺"), ("1", "必要"), ("2", "非必要"), ("3", "容缺")),
               help="必要、非必要或容缺(可先受理、限期补齐)", example="必要"),
        Choice("form", "材料形式", required=True, choices=MATERIAL_FORMS, aliases=MATERIAL_FORM_ALIASES,
               help="纸质、电子或纸质和电子;原件、复印件写在“材料类型”(旧清单写在本列的照常接受)",
               example="纸质"),
        Integer("copies", "份数", minimum=0, maximum=99, help="不分原件、复印件时填写", example="1"),
        Field("source", "来源渠道", max_length=100, help="申请人自备、政府部门核发等", example="申请人自备"),
        Field("blank_form", "空白表格", max_length=200, help="表格名称或下载地址",
              example="《项目申请报告》通用文本(可在政务服务网下载)"),
        Field("sample", "示例样表", max_length=200, example="填写示例见办事窗口和网上办事大厅"),
        Field("notes", "备注", max_length=300, example="可在线提交电子版"),
        Choice("paper", "材料类型", choices=("原件", "复印件", "原件和复印件"),
               aliases=(("原件、复印件", "原件和复印件"), ("原件及复印件", "原件和复印件")),
               example="原件和复印件"),
        Integer("originals", "原件份数", minimum=0, maximum=99, example="1"),
        Integer("photocopies", "复印件份数", minimum=0, maximum=99, example="1"),
    ),
)

# 特别程序 as the national elements list them: steps whose time is not counted in the
# statutory limit (行政许可法第四十五条), each with its own time.
SPECIAL_PROCEDURES = ("专家评审", "听证", "公示", "现场勘验", "检验检测检疫", "鉴定", "招标拍卖", "其他特别程序")
SPECIAL_ALIASES = (
    ("专家论证", "专家评审"), ("技术审查", "专家评审"), ("现场勘查", "现场勘验"), ("现场核查", "现场勘验"),
    ("检验", "检验检测检疫"), ("检测", "检验检测检疫"), ("检疫", "检验检测检疫"), ("招标", "招标拍卖"),
    ("拍卖", "招标拍卖"), ("其他", "其他特别程序"),
)

FLOW = Table(
    "flow", "办理流程", required=True, min_rows=2, max_rows=40,
    help="每行一个环节;判断环节的“下一环节”写成“符合:S4;不符合:E2”,第一个分支为主路径",
    columns=(
        Field("id", "环节编号", required=True, max_length=10, pattern=r"[A-Za-z][A-Za-z0-9_]{0,9}",
              example="S1"),
        Choice("kind", "环节类型", required=True, choices=STEP_KINDS, example="开始"),
        Field("name", "环节名称", required=True, max_length=200, example="申请人提交申请"),
        Field("post", "承办岗位", max_length=100, example="申请人"),
        Decimal("days", "办理时限", minimum=0, maximum=365, places=1, help="工作日"),
        Field("risk", "廉政风险点", max_length=300),
        Field("next", "下一环节", max_length=200, example="S2"),
        LongText("description", "办理内容", max_length=2000, help="本环节做什么",
                 example="申请人通过政务服务网或窗口提交申请材料"),
        LongText("standard", "审查标准", max_length=2000, help="本环节审查什么、依据什么标准",
                 example="申请材料齐全、符合法定形式"),
        Field("result", "环节结果", max_length=300, help="本环节产生的结果,如受理通知书", example="受理通知书"),
        Choice("special", "特别程序", choices=SPECIAL_PROCEDURES, aliases=SPECIAL_ALIASES,
               help="专家评审、听证、公示、现场勘验等:其时限不计入法定办结时限,单独列明"),
    ),
    example_rows=(
        ("S2", "办理", "窗口受理", "综合受理窗口", "1", "", "S3",
         "核对申请材料是否齐全、是否符合法定形式", "材料齐全、符合法定形式", "受理通知书", ""),
        ("S3", "判断", "审查决定", "投资科", "3", "违规审批、超时办理", "准予:E1;不予:E2",
         "审查项目是否符合核准条件,作出决定", "符合《企业投资项目核准和备案管理条例》第九条规定的条件",
         "核准决定", ""),
        ("E1", "结束", "办结并送达核准文件", "", "", "", "", "", "", "核准文件", ""),
        ("E2", "结束", "不予核准并书面告知理由", "", "", "", "", "", "", "不予核准决定书", ""),
    ),
)


FAQ = Table(
    "faq", "常见问题", max_rows=50, help="每行一问一答",
    columns=(
        Field("question", "问题", required=True, max_length=500, example="可以委托他人办理吗?"),
        LongText("answer", "解答", required=True, max_length=5000,
                 example="可以。受托人须携带授权委托书和本人身份证件。"),
    ),
)

FEE_ITEMS = Table(
    "fee_items", "收费项目", max_rows=30, help="每行一个收费项目;有幅度的写明幅度,按下限收取",
    columns=(
        Field("name", "收费项目名称", required=True, max_length=200, example="不动产登记费"),
        Field("amount", "收费标准", required=True, max_length=200, help="金额或幅度,如“80元/件”“50—100元”",
              example="80元/件"),
        Field("basis", "收费依据", max_length=500,
              example="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号)"),
    ),
)
