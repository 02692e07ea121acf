//! Word lists of the Chinese (and English) news register the extractors rely on: surnames,
//! titles, reporting verbs, organisation suffixes, words that look like names but are not.
//!
//! These describe the language, not one policy, so they live here rather than in site.toml
//! (which holds the site's own vocabularies: domains, known people, documents, publications).

/// Common single-character Chinese surnames.
///
/// Characters that are far more often a word of their own than a surname (国, 党, 公, 和, 于,
/// 全, 时, 明, 应 ...) are left out on purpose: a missed rare surname costs less than a person
/// invented out of 国务院 or 于是.
pub const SURNAMES: &str =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶\
程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃\
武戴莫孔汤温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕\
单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆卓古吉缪简车项连芦麦褚娄窦戚岑景费\
卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝谈匡鞠惠荆冀郁胥\
班储栗燕楚鄢谌奚皮粟冼蔺楼闻厉伊仝郜阚权帅屠练廉禹祖漆卿狄宣晋扈晁芮阙浦戈伏鹿邸雍辜裘亓邰赫杭况逯茹诸\
慕嵇湛戎勾茅揭尉冶昝鄂";

/// Two-character surnames.
#[rustfmt::skip]
pub const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "夏侯", "令狐", "慕容", "尉迟", "长孙",
    "宇文", "公孙", "端木", "澹台", "万俟", "闻人", "呼延", "独孤", "南宫", "西门",
];

/// Words that begin with a surname character but are not names; a name candidate equal to one
/// of these (or starting with one) is refused.
#[rustfmt::skip]
pub const NOT_NAMES: &[&str] = &[
    "文件", "文章", "文化", "文明", "文本", "方案", "方面", "方式", "方向", "方法", "高度", "高校",
    "高层", "高端", "高效", "高速", "马上", "金融", "安全", "万物", "程序", "江苏", "江西", "黄河",
    "林业", "石油", "董事", "韩国", "伊朗", "欧盟", "欧洲", "苏联", "任何", "任务", "关于", "关键",
    "关系", "白皮书", "龙头", "雷达", "钱包", "曾经", "常委", "常务", "宁夏", "吉林", "武汉", "温州",
    "湛江", "卫生", "卫星", "贾汪", "包括", "邓小平理论", "毛泽东思想", "周年", "周期", "周边", "周末",
    "孙子", "华为", "华人", "华夏", "许多", "许可", "于是", "杜绝", "叶片", "陆续", "陆地", "范围",
    "范式", "简称", "简要", "连续", "连接", "宣布", "宣传", "齐全", "严格", "严重", "邢台", "康复",
    "施工", "施行", "戴上", "易于", "管理", "管控", "蒙古", "柴油", "鲍鱼", "毕业", "单位", "单独",
    "季度", "曲线", "路线", "路径", "游戏", "辛苦", "谷歌", "盛会", "翁源", "冉冉", "骆驼", "蓝图",
    "蓝色", "房地产", "屈指", "饶有", "解决", "解读", "解释", "牟利", "艾滋", "尤其", "阳光", "穆斯林",
    "卓越", "古代", "吉祥", "简单", "车辆", "项目", "连线", "景区", "费用", "卜算", "冷静", "席位",
    "卫健委", "米粮", "边境", "边缘", "师生", "师资", "商务", "商业", "沙漠", "荣誉", "桑蚕", "谈判",
    "谈到", "惠及", "楚国", "燕京", "贺信", "贺电", "贺词", "邵阳", "毛利", "余额", "余下", "余年",
    "史上", "孟加拉", "秦岭", "宋代", "唐代", "明代", "汤圆", "钟表", "岳阳", "苗头", "童年", "梅州",
    "凌晨", "阮囊", "黎明", "熊猫", "潘多拉", "庄重", "聂拉木", "甘肃", "柯桥", "纪委", "纪律", "纪念",
    "左右", "祝贺", "符合", "舒适", "申请", "申报", "耿直", "关注", "兰州", "焦点", "柳州", "包容",
    "宁波", "尚未", "杨凌", "刘家", "张家口", "李家", "朱家", "王国", "王者", "张力", "黄金", "白宫",
    "白银", "石家庄", "金砖", "金额", "方舱", "付出", "付款", "高级", "高管", "高新", "吉利", "苏宁", "万科", "商汤", "龙芯", "金山", "姜堰", "魏玛", "吕梁", "丁香", "沈阳",
];

/// Titles that stand next to a name (before it: 院士鄂维南; after it: 习近平总书记).
///
/// Longer titles come first where one contains another, but matching is leftmost-longest anyway.
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "总书记", "国家主席", "主席", "总理", "国务委员", "委员长", "委员", "院士", "主任", "理事长", "院长",
    "讲席教授", "首席教授", "特聘教授", "教授", "研究员", "部长", "局长", "司长", "厅长", "处长", "省长",
    "市长", "区长", "县长", "镇长", "书记", "董事长", "总经理", "经理", "总裁", "副总裁", "高级副总裁", "董事", "常务董事", "执行董事", "独立董事", "监事", "首席技术官", "首席运营官", "首席财务官", "首席信息官", "总统", "首相", "国务卿", "首席执行官",
    "首席科学家", "首席经济学家", "经济学家", "科学家", "创始人", "联合创始人", "会长", "秘书长", "所长",
    "校长", "总工程师", "高级工程师", "工程师", "总编辑", "主编", "发言人", "新闻发言人", "总监",
    "合伙人", "分析师", "大使", "博士", "博士生导师", "主任委员", "党组书记", "常委", "署长", "行长",
    "总干事", "秘书", "总师", "首席专家", "专家", "学者", "负责人", "特约研究员", "执行院长",
    "常务副院长", "副总经理", "代表", "企业家", "律师", "医生", "老师", "主持人", "副教授", "讲师", "副研究员",
    "助理研究员", "首席分析师", "总经济师", "架构师", "设计师", "理事", "总编", "社长", "台长", "馆长", "组长",
    "队长", "议员", "外长", "参赞",
];

/// Titles that may also follow a name (习近平总书记, 钟南山院士). Organisational roles (董事长,
/// 主任) are left out: before them stands an organisation far more often than a person.
#[rustfmt::skip]
pub const TITLES_AFTER_NAME: &[&str] = &[
    "总书记", "主席", "国家主席", "总理", "副总理", "院士", "教授", "研究员", "博士", "同志", "先生", "女士",
    "委员长", "大使", "总统", "首相", "书记", "部长", "省长", "市长",
];

/// Verbs that report what someone said or thinks.
#[rustfmt::skip]
pub const REPORTING_VERBS: &[&str] = &[
    "表示", "指出", "强调", "认为", "说", "提出", "介绍", "称", "建议", "解读", "要求", "坦言", "透露",
    "谈到", "提到", "分析", "呼吁", "直言", "告诉", "回应", "评价", "比喻", "举例", "解释", "补充",
    "总结", "判断", "说道", "谈及", "表态", "主张", "倡议", "寄语", "感慨", "希望", "提醒", "警告",
    "预测", "相信", "坦承", "阐述", "阐释", "道",
];

/// Third-person pronouns: "他指出" reports the words of the person last named.
pub const PRONOUNS: &[&str] = &["他", "她"];

/// Characters that can follow a name directly (a verb, a preposition opening an adverbial, a
/// conjunction to the next name, punctuation), besides the titles and reporting verbs.
#[rustfmt::skip]
pub const AFTER_NAME: &[&str] = &[
    "在", "从", "对", "就", "向", "于", "也", "还", "更", "则", "亦", "曾", "又", "等", "和", "与", "及",
    "、", "，", ",", "。", "：", ":", "“", "作", "所", "一再", "多次", "再次", "进一步", "同志", "先生",
    "女士", "主持", "出席", "会见", "考察", "来到", "讲话", "发言", "的", "（", "(", "是", "为", "以",
    "当", "同", "将", "已", "率", "带领", "近日", "日前", "此前", "随后", "最后", "首先", "同时", "特别",
    "明确", "深刻", "着重", "接受", "参加", "出任", "担任", "获", "领衔", "牵头", "报道", "摄", "看来", "；", ";",
    "”", "！", "？",
];

/// Words pointing back at what was just quoted (李锋这样说, 如是说): they may follow a name.
pub const POINTING_BACK: &[&str] = &["这样", "如是", "如此", "这么"];

/// Characters a Chinese given name practically never contains (function words); a candidate
/// holding one is not a name.
pub const NOT_IN_GIVEN_NAME: &str =
    "的了是在和与及们这那个不也就都而被把对从以其或所将已会要能该此各每些么吗呢吧啊\
着过得让等于并且但即则因由到给比地说称";

/// Endings of organisation names (an affiliation before a title ends with one of these).
#[rustfmt::skip]
pub const ORG_SUFFIXES: &[&str] = &[
    "院", "中心", "实验室", "大学", "学院", "委", "委员会", "部", "局", "厅", "办", "办公室", "会", "所",
    "司", "公司", "集团", "银行", "社", "政府", "署", "组织", "联盟", "协会", "学会", "研究会", "电视台",
    "台", "网", "馆", "校", "处", "中央", "省", "市", "县", "区", "州", "团", "基金", "平台", "企业",
    "组", "站", "机构", "党委", "联合会", "总会", "基地", "园区", "科技", "智能", "工作室",
];

/// English verbs that report speech ("E Weinan stated, ...").
#[rustfmt::skip]
pub const EN_REPORTING_VERBS: &[&str] = &[
    "said", "says", "stated", "states", "noted", "notes", "emphasized", "emphasised", "emphasizes",
    "stressed", "explained", "pointed out", "highlighted", "interpreted", "analyzed", "analysed",
    "suggested", "proposed", "analogized", "added", "argued", "believes", "believed", "remarked",
    "observed", "told", "urged", "warned", "commented", "cited", "recalled", "wrote", "concluded",
    "insisted", "acknowledged", "predicted", "announced", "mentioned", "indicated", "affirmed",
    "elaborated", "summarized", "called for", "expressed",
];
