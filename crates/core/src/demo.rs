//! The demo year: a realistic 2024 ledger of a city committee, built to reproduce the figures
//! of the 2024 work summary in `shared/domain/`: 50多次 activities serving 1万多人次, 6
//! consultations, 8 research reports, 5 proposals handled on submission, 392 monitoring items
//! all resolved, and 90多万元 of assistance funds.
//!
//! Everything is deterministic: the same call gives the same ledger apart from the random
//! parts of record ids. Names, phones and companies are invented.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::model::{
    ActivityInput, AssistanceForm, Category, ConsultationFormat, Gender, Member, Role, ServiceLine,
    Status, Studio, StudioInput, StudioKind,
};
use crate::Ledger;

/// The year the demo covers.
pub const DEMO_YEAR: i32 = 2024;
/// The committee whose year the demo is: the work summary's.
pub const COMMITTEE: &str = "永康市政协";

/// What `load` wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub year: i32,
    pub members: usize,
    pub studios: usize,
    pub activities: usize,
}

const SECTORS: &[&str] = &[
    "中共",
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "九三学社",
    "无党派人士",
    "工商联",
    "科学技术",
    "经济",
    "农业和农村",
    "教育",
    "医药卫生",
    "文化艺术",
    "社会福利和社会保障",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "胡", "郭", "何",
    "林", "高", "罗", "郑", "梁", "谢", "宋", "应", "楼", "吕", "施", "程", "胡", "章", "俞",
];
const MALE_NAMES: &[&str] = &[
    "建国", "志强", "伟", "晓东", "国平", "文斌", "立新", "俊杰", "明辉", "卫东", "建华", "宏伟",
    "振华", "德明", "国庆", "海涛", "永强", "学军", "一鸣", "浩然",
];
const FEMALE_NAMES: &[&str] = &[
    "海燕", "丽华", "静", "秀英", "红梅", "敏", "雪芳", "慧", "春燕", "晓燕", "玉兰", "雅琴",
    "美玲", "琳", "小红", "婷婷",
];

/// A plausible unit and title for a member of each sector.
fn unit_title(sector: &str, i: usize) -> String {
    let pick = |options: &[&str]| options[i % options.len()].to_string();
    match sector {
        "工商联" => pick(&[
            "恒达五金制品有限公司 董事长",
            "金鼎工贸有限公司 总经理",
            "市五金商会 副会长",
        ]),
        "科学技术" => pick(&["市农业科学研究所 研究员", "浙中智能装备研究院 高级工程师"]),
        "教育" => pick(&[
            "市第一中学 校长",
            "市职业技术学校 副校长",
            "市实验小学 教师",
        ]),
        "医药卫生" => pick(&[
            "市第一人民医院 主任医师",
            "市中医院 副院长",
            "西城街道社区卫生服务中心 主任",
        ]),
        "经济" => pick(&["市农商银行 行长", "市统计局 副局长"]),
        "农业和农村" => pick(&["绿源家庭农场 负责人", "市农业农村局 科长"]),
        "文化艺术" => pick(&["市文化馆 馆长", "市书法家协会 主席"]),
        "社会福利和社会保障" => pick(&["市慈善总会 秘书长", "阳光养老服务中心 主任"]),
        _ => pick(&[
            "正信律师事务所 主任律师",
            "市审计局 副局长",
            "明达会计师事务所 合伙人",
        ]),
    }
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(DEMO_YEAR, month, day).unwrap_or_default()
}

fn roster() -> Vec<Member> {
    let mut members = Vec::new();
    for i in 0..64usize {
        let female = i % 3 == 1;
        let given = if female {
            FEMALE_NAMES[(i * 7) % FEMALE_NAMES.len()]
        } else {
            MALE_NAMES[(i * 11) % MALE_NAMES.len()]
        };
        let sector = SECTORS[i % SECTORS.len()];
        members.push(Member {
            code: format!("15{:03}", i + 1),
            name: format!("{}{}", SURNAMES[(i * 5) % SURNAMES.len()], given),
            gender: Some(if female { Gender::Female } else { Gender::Male }),
            sector: Some(sector.to_string()),
            unit_title: Some(unit_title(sector, i)),
            phone: Some(format!("139{:08}", (i * 7919 + 1357) % 100_000_000)),
            term: Some("十五届".to_string()),
            role: if i < 12 {
                Role::StandingMember
            } else {
                Role::Member
            },
            active: true,
        });
    }
    for i in 0..6usize {
        members.push(Member {
            code: format!("LL{:03}", i + 1),
            name: format!(
                "{}{}",
                SURNAMES[(i * 3 + 2) % SURNAMES.len()],
                MALE_NAMES[(i * 5 + 3) % MALE_NAMES.len()]
            ),
            gender: Some(Gender::Male),
            sector: None,
            unit_title: Some(
                [
                    "东城街道办事处 干部",
                    "石柱镇 村委会主任",
                    "市个体劳动者协会 会员",
                ][i % 3]
                    .to_string(),
            ),
            phone: Some(format!("137{:08}", (i * 104_729 + 2468) % 100_000_000)),
            term: Some("十五届".to_string()),
            role: Role::Liaison,
            active: true,
        });
    }
    members
}

/// A studio and the studio activities it held: (title, services, location).
struct StudioPlan {
    name: &'static str,
    kind: StudioKind,
    focus: Option<&'static str>,
    /// Which sector's members it draws on, or None for members across sectors.
    sector: Option<&'static str>,
    events: &'static [(&'static str, &'static [&'static str], &'static str)],
}

const STUDIOS: &[StudioPlan] = &[
    StudioPlan {
        name: "医药卫生界别委员工作室",
        kind: StudioKind::Sector,
        focus: None,
        sector: Some("医药卫生"),
        events: &[
            (
                "义诊进社区",
                &["义诊", "健康咨询"],
                "西城街道社区卫生服务中心",
            ),
            (
                "健康讲座进农村文化礼堂",
                &["健康讲座", "义诊"],
                "石柱镇文化礼堂",
            ),
            ("慢病随访与用药指导", &["健康咨询"], "东城街道"),
        ],
    },
    StudioPlan {
        name: "工商联界别委员工作室",
        kind: StudioKind::Sector,
        focus: None,
        sector: Some("工商联"),
        events: &[
            ("助企纾困政策宣讲会", &["政策宣讲"], "市民营经济发展中心"),
            (
                "民营企业融资对接会",
                &["融资对接", "政策宣讲"],
                "市五金商会",
            ),
            ("新生代企业家座谈会", &["政策宣讲"], "委员会客厅"),
        ],
    },
    StudioPlan {
        name: "科学技术界别委员工作室",
        kind: StudioKind::Sector,
        focus: None,
        sector: Some("科学技术"),
        events: &[
            ("科技特派员下乡技术指导", &["技术指导"], "芝英镇"),
            ("科普进校园", &["科普讲座"], "市实验小学"),
            (
                "农业新技术田间课堂",
                &["技术指导", "科普讲座"],
                "绿源家庭农场",
            ),
        ],
    },
    StudioPlan {
        name: "五金产业委员工作室",
        kind: StudioKind::Featured,
        focus: Some("行业特色：五金产业"),
        sector: None,
        events: &[
            ("五金企业质量提升诊断", &["技术指导"], "五金科技工业园"),
            ("跨境电商政策解读", &["政策宣讲"], "委员会客厅"),
            ("产业工人技能比武观摩", &["技能培训"], "市职业技术学校"),
        ],
    },
    StudioPlan {
        name: "西城街道委员工作室",
        kind: StudioKind::Featured,
        focus: Some("区域特色：西城街道"),
        sector: None,
        events: &[
            (
                "民生实事意见征集",
                &["政策宣讲", "意见征集"],
                "西城街道童宅村",
            ),
            ("老旧小区改造现场会", &["意见征集"], "西城街道"),
            ("应急供水工程回访", &["意见征集"], "西城街道童宅村"),
        ],
    },
    StudioPlan {
        name: "法律服务委员工作室",
        kind: StudioKind::Featured,
        focus: Some("服务特色：法律服务"),
        sector: None,
        events: &[
            ("法律咨询进企业", &["法律咨询"], "五金科技工业园"),
            ("普法宣传进社区", &["法律咨询", "政策宣讲"], "东城街道"),
            ("劳动争议调解咨询日", &["法律咨询"], "市总工会"),
        ],
    },
    StudioPlan {
        name: "教育界委员联合工作室",
        kind: StudioKind::Collective,
        focus: None,
        sector: None,
        events: &[
            ("结对助学走访", &["助学"], "石柱镇"),
            ("家庭教育公益讲座", &["家庭教育指导"], "市图书馆"),
            ("职业教育开放日", &["政策宣讲"], "市职业技术学校"),
        ],
    },
    StudioPlan {
        name: "民生议事堂委员工作室",
        kind: StudioKind::Collective,
        focus: None,
        sector: None,
        events: &[
            ("社区养老食堂议事会", &["意见征集"], "江南街道民生议事堂"),
            ("城区停车难议事会", &["意见征集"], "东城街道民生议事堂"),
            (
                "农村垃圾分类议事会",
                &["意见征集", "政策宣讲"],
                "龙山镇民生议事堂",
            ),
        ],
    },
];

/// How many studio activities the demo year holds, and the people they served in all.
const STUDIO_EVENTS: usize = 52;
const PEOPLE_SERVED: i64 = 10_482;

/// Monitoring-platform intake per month; 392 in the year, all resolved.
const MONITORING: [i64; 12] = [28, 31, 35, 30, 33, 36, 29, 34, 32, 37, 30, 37];

/// Writes the demo year into an empty ledger.
pub fn load(ledger: &Ledger, now: DateTime<Utc>) -> Result<DemoSummary> {
    if !ledger.is_empty()? {
        return Err(Error::invalid(
            "db",
            "数据库里已经有数据；演示数据只能载入一个空的数据库",
        ));
    }
    crate::db::atomically(ledger.connection(), |conn| {
        // The demo is the committee office's view of its year.
        crate::db::settings::set(conn, crate::db::settings::DEVICE_ROLE, "office")?;
        crate::device::set_committee(conn, COMMITTEE)?;
        let summary = write_demo(ledger, now)?;
        crate::proposals::demo(conn, DEMO_YEAR, now)?;
        Ok(summary)
    })
}

fn write_demo(ledger: &Ledger, now: DateTime<Utc>) -> Result<DemoSummary> {
    let members = roster();
    for m in &members {
        ledger.add_member(m, now)?;
    }
    let studios = add_studios(ledger, &members, now)?;
    let people = People::of(&members);
    let records = [
        studio_activities(&studios),
        office_events(&people),
        consultations(&people),
        research_reports(&people),
        proposals(&people),
        opinion_reports(&people),
        monitoring_intake(),
        assistance(&members),
    ]
    .concat();
    let activities = records.len();
    for input in records {
        ledger.add_activity(input, now.date_naive(), now)?;
    }
    // The year's 履职积分 under the suggested rules.
    crate::score::set_rules(
        ledger.connection(),
        DEMO_YEAR,
        &crate::score::suggested_rules(),
        now,
    )?;
    crate::meetings::demo(ledger.connection(), DEMO_YEAR, now)?;
    Ok(DemoSummary {
        year: DEMO_YEAR,
        members: members.len(),
        studios: STUDIOS.len(),
        activities,
    })
}

/// The roster's groups the office's records draw on.
struct People {
    standing: Vec<String>,
    everyone: Vec<String>,
    liaisons: Vec<String>,
}

impl People {
    fn of(members: &[Member]) -> Self {
        let codes = |keep: &dyn Fn(&Member) -> bool| -> Vec<String> {
            members
                .iter()
                .filter(|m| keep(m))
                .map(|m| m.code.clone())
                .collect()
        };
        People {
            standing: codes(&|m| m.role == Role::StandingMember),
            everyone: codes(&|m| m.role != Role::Liaison),
            liaisons: codes(&|m| m.role == Role::Liaison),
        }
    }
}

/// The studios, each with the members it draws on.
fn add_studios<'m>(
    ledger: &Ledger,
    members: &'m [Member],
    now: DateTime<Utc>,
) -> Result<Vec<(Studio, Vec<&'m Member>)>> {
    let mut studio_ids = Vec::new();
    for (s, plan) in STUDIOS.iter().enumerate() {
        let pool: Vec<&Member> = match plan.sector {
            Some(sector) => members
                .iter()
                .filter(|m| m.sector.as_deref() == Some(sector))
                .collect(),
            None => members
                .iter()
                .filter(|m| m.role != Role::Liaison)
                .skip(s * 5)
                .step_by(3)
                .take(6)
                .collect(),
        };
        let input = StudioInput {
            name: plan.name.to_string(),
            kind: plan.kind,
            focus: plan.focus.map(String::from),
            lead_code: pool.first().map(|m| m.code.clone()),
            member_codes: pool.iter().map(|m| m.code.clone()).collect(),
        };
        let studio = ledger.add_studio(&input, now)?;
        studio_ids.push((studio, pool));
    }
    Ok(studio_ids)
}

/// One studio activity a week, the year's people served spread over them.
fn studio_activities(studios: &[(Studio, Vec<&Member>)]) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let weights: Vec<i64> = (0..STUDIO_EVENTS)
        .map(|j| 60 + (j as i64 * 73) % 260)
        .collect();
    let total_weight: i64 = weights.iter().sum();
    let mut served: Vec<i64> = weights
        .iter()
        .map(|w| w * PEOPLE_SERVED / total_weight)
        .collect();
    let shortfall = PEOPLE_SERVED - served.iter().sum::<i64>();
    for k in 0..shortfall as usize {
        served[k % STUDIO_EVENTS] += 1;
    }
    for (j, people) in served.iter().copied().enumerate() {
        let s = j % STUDIOS.len();
        let plan = &STUDIOS[s];
        let (studio, pool) = &studios[s];
        let (title, services, location) = plan.events[(j / STUDIOS.len()) % plan.events.len()];
        // One studio activity a week, from early January to late December.
        let day = NaiveDate::from_yo_opt(DEMO_YEAR, 5 + 7 * j as u32).unwrap_or_default();
        let mut input = ActivityInput::new(day, Category::StudioActivity, title);
        input.studio_id = Some(studio.id.clone());
        input.location = Some(location.to_string());
        input.organizer = Some(plan.name.to_string());
        let n = 2 + j % 3;
        input.participants = pool
            .iter()
            .cycle()
            .skip(j)
            .take(n.min(pool.len()))
            .map(|m| m.code.clone())
            .collect();
        input.author_code = pool.first().map(|m| m.code.clone());
        input.people_served = people;
        let first = people * 2 / 3;
        input.services = services
            .iter()
            .enumerate()
            .map(|(k, name)| ServiceLine {
                service: name.to_string(),
                count: if k == 0 {
                    first.max(1)
                } else {
                    (people - first).max(1)
                },
            })
            .collect();
        input.status = if j % 9 == 4 {
            Status::Submitted
        } else {
            Status::Accepted
        };
        out.push(input);
    }
    out
}

/// Office-run events: inspections, a training, a study visit.
fn office_events(people: &People) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let (standing, everyone) = (&people.standing, &people.everyone);
    let office_events: [(NaiveDate, Category, &str, &str, Vec<String>); 4] = [
        (
            date(4, 18),
            Category::Inspection,
            "供水保障能力主席视察",
            "杨溪水库",
            standing[..8].to_vec(),
        ),
        (
            date(9, 10),
            Category::Inspection,
            "“污水零直排区”建设实地视察",
            "城西污水处理厂",
            standing[4..].to_vec(),
        ),
        (
            date(3, 21),
            Category::Training,
            "委员和社情民意联络员综合能力提升培训",
            "市委党校",
            everyone.clone(),
        ),
        (
            date(10, 15),
            Category::StudyVisit,
            "分界别外出学习考察",
            "省外",
            everyone[..20].to_vec(),
        ),
    ];
    for (day, category, title, location, participants) in office_events {
        let mut input = ActivityInput::new(day, category, title);
        input.location = Some(location.to_string());
        input.organizer = Some("市政协办公室".to_string());
        input.participants = participants;
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}

/// “请你来协商” sessions.
fn consultations(people: &People) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let consultations = [
        (2, "教育高质量发展"),
        (4, "乡村产业发展"),
        (5, "政务服务增值化"),
        (7, "“7N”片区改造"),
        (9, "城市社区养老服务"),
        (11, "2025年政府投资计划"),
    ];
    for (k, (month, topic)) in consultations.iter().enumerate() {
        let mut input = ActivityInput::new(
            date(*month, 20 + k as u32),
            Category::Consultation,
            format!("“请你来协商”：{topic}"),
        );
        input.organizer = Some("市政协办公室".to_string());
        input.location = Some("市政协会议室".to_string());
        input.consultation_format = Some(ConsultationFormat::PleaseCome);
        input.participants = people.standing.iter().skip(k).step_by(2).cloned().collect();
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}

/// Research reports.
fn research_reports(people: &People) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let reports = [
        "社区养老食堂建设",
        "城区环卫市场化绩效评估",
        "教育优质均衡发展",
        "擦亮重商安商营商品牌",
        "扶持培育农村创业主体",
        "产业工人队伍建设",
        "供水保障能力提升",
        "五金产业科技创新",
    ];
    for (k, topic) in reports.iter().enumerate() {
        let mut input = ActivityInput::new(
            date(3 + k as u32, 26),
            Category::ResearchReport,
            format!("关于{topic}的调研报告"),
        );
        input.doc_number = Some(format!("调研〔2024〕{}号", k + 1));
        input.organizer = Some("市政协办公室".to_string());
        input.participants = people
            .everyone
            .iter()
            .skip(k * 3)
            .take(4)
            .cloned()
            .collect();
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}

/// Proposals handled on submission (即交即办) during the plenary.
fn proposals(people: &People) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let proposals = [
        "关于实施西城街道童宅村应急供水工程的建议",
        "关于加快城区公共停车设施建设的建议",
        "关于完善农村生活垃圾分类长效机制的建议",
        "关于支持五金企业数字化转型的建议",
        "关于优化中小学校周边交通秩序的建议",
    ];
    for (k, title) in proposals.iter().enumerate() {
        let mut input = ActivityInput::new(date(1, 15 + k as u32), Category::Proposal, *title);
        input.doc_number = Some(format!("第{}号", 101 + k * 17));
        input.author_code = Some(people.everyone[(k * 9) % people.everyone.len()].clone());
        input.participants = vec![people.everyone[(k * 9) % people.everyone.len()].clone()];
        input.notes = Some("十五届三次会议期间即交即办，已办复".to_string());
        input.handled_on_submission = true;
        input.answered_on = Some(date(2, 20 + k as u32));
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}

/// Opinion reports from liaisons and members.
fn opinion_reports(people: &People) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let opinion_topics = [
        "农村电商物流“最后一公里”",
        "老年人使用智能手机难",
        "学校课后服务收费",
        "城区夜间施工噪音",
        "电动自行车充电安全",
        "农贸市场改造进度",
        "小微企业招工难",
        "村级河道保洁",
        "社区医院药品短缺",
        "公交线路调整",
        "外卖骑手交通安全",
        "古村落保护",
        "职业教育招生",
        "防汛排涝薄弱点",
        "快递包装回收",
    ];
    let (everyone, liaisons) = (&people.everyone, &people.liaisons);
    for (k, topic) in opinion_topics.iter().enumerate() {
        let author = if k % 3 == 0 {
            everyone[k * 2].clone()
        } else {
            liaisons[k % liaisons.len()].clone()
        };
        let mut input = ActivityInput::new(
            date(1 + (k % 12) as u32, 8),
            Category::OpinionReport,
            format!("关于{topic}问题的社情民意信息"),
        );
        input.author_code = Some(author.clone());
        input.participants = vec![author];
        input.status = if k % 5 == 2 {
            Status::Submitted
        } else {
            Status::Accepted
        };
        out.push(input);
    }
    out
}

/// The business-environment monitoring platform's intake, month by month.
fn monitoring_intake() -> Vec<ActivityInput> {
    let mut out = Vec::new();
    for (k, received) in MONITORING.iter().enumerate() {
        let month = k as u32 + 1;
        let mut input = ActivityInput::new(
            NaiveDate::from_ymd_opt(DEMO_YEAR, month, 1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt())
                .unwrap_or_default(),
            Category::MonitoringIntake,
            format!("营商环境监测平台{month}月收件"),
        );
        input.items_received = *received;
        input.items_resolved = *received;
        input.organizer = Some("营商环境监测平台".to_string());
        input.platform = Some("营商环境监测平台".to_string());
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}

/// East–west cooperation (东西部协作): assistance delivered to the paired county.
fn assistance(members: &[Member]) -> Vec<ActivityInput> {
    let mut out = Vec::new();
    let funds: [(u32, &str, &str, i64, AssistanceForm); 3] = [
        (
            5,
            "物资帮扶平昌县",
            "工商联界别组",
            31_200_000,
            AssistanceForm::Goods,
        ),
        (
            8,
            "消费帮扶平昌县农特产品",
            "工商联界别组",
            43_860_000,
            AssistanceForm::Consumption,
        ),
        (
            11,
            "结对助学帮扶平昌县",
            "科学技术界别组",
            15_483_200,
            AssistanceForm::Funds,
        ),
    ];
    for (month, title, organizer, fen, form) in funds {
        let mut input = ActivityInput::new(date(month, 12), Category::Assistance, title);
        input.organizer = Some(organizer.to_string());
        input.location = Some("四川省平昌县".to_string());
        input.recipient = Some("平昌县".to_string());
        input.assistance_forms = vec![form];
        input.funds_fen = fen;
        input.participants = members
            .iter()
            .filter(|m| {
                m.sector.as_deref()
                    == Some(if organizer.starts_with("工商联") {
                        "工商联"
                    } else {
                        "科学技术"
                    })
            })
            .map(|m| m.code.clone())
            .collect();
        input.status = Status::Accepted;
        out.push(input);
    }
    out
}
