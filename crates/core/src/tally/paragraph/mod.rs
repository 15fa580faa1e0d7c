//! The year-end paragraph, written from a template the office can edit.
//!
//! A template is minijinja source (`year.jinja` is the default): figures are named
//! placeholders (`{{ 调研成果|exact("篇") }}`), clauses are left out with `{% if %}` when their
//! figure is zero, and two filters say a number the way the report does: `phrase` (the
//! approximate form, "50多次") and `exact` ("8篇"). The engine is sandboxed: no loader, no
//! file or network access, a fuel limit against loops, strict names so a typo is an error.
//!
//! What comes out is tidied the same way for every template: lines are joined, a "，" or
//! "；" before "。" is dropped, empty sentences vanish, and the period's lead ("2024年全年，")
//! is put in front. A template that fails never breaks the report: `render_or_default`
//! falls back to the default and says why.

use std::collections::{BTreeMap, HashSet};

use minijinja::value::ValueKind;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rusqlite::Connection;

use super::Tally;
use crate::db::settings;
use crate::error::{Error, Result};
use crate::model::{Category, ConsultationFormat};
use crate::phrase::{approximate, MoreWord};

/// The office's paragraph as shipped; a reset goes back to it.
pub const DEFAULT_TEMPLATE: &str = include_str!("year.jinja");

/// The paragraph of one member's 年度履职档案: exact figures, said of one person.
pub const MEMBER_TEMPLATE: &str = include_str!("member.jinja");

/// The longest template kept, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

/// The longest paragraph a template may write, in characters.
const MAX_PARAGRAPH_CHARS: usize = 5_000;

/// Steps a template may take before it is stopped (a paragraph takes a few hundred).
const FUEL: u64 = 50_000;

/// Whether events other than studio activities are written into the paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OtherEvents {
    /// Stated apart, after the studios' clause ("另组织视察调研、培训等活动4次").
    #[default]
    Apart,
    /// Left out: the paragraph speaks of the studios' events alone.
    Omit,
}

impl OtherEvents {
    pub fn as_str(self) -> &'static str {
        match self {
            OtherEvents::Apart => "apart",
            OtherEvents::Omit => "omit",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "apart" | "单独列出" => Some(OtherEvents::Apart),
            "omit" | "不写入" => Some(OtherEvents::Omit),
            _ => None,
        }
    }
}

/// How the ledger writes its paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParagraphSettings {
    /// The template; the default's text when the office has not changed it.
    pub template: String,
    pub other_events: OtherEvents,
}

impl Default for ParagraphSettings {
    fn default() -> Self {
        ParagraphSettings {
            template: DEFAULT_TEMPLATE.to_string(),
            other_events: OtherEvents::Apart,
        }
    }
}

impl ParagraphSettings {
    pub fn is_default_template(&self) -> bool {
        self.template == DEFAULT_TEMPLATE
    }
}

/// The ledger's paragraph settings; the default where the office has set none.
pub fn load(conn: &Connection) -> Result<ParagraphSettings> {
    let template = settings::get(conn, settings::PARAGRAPH_TEMPLATE)?;
    let other_events = settings::get(conn, settings::PARAGRAPH_OTHER_EVENTS)?
        .and_then(|s| OtherEvents::parse(&s))
        .unwrap_or_default();
    Ok(ParagraphSettings {
        template: template.unwrap_or_else(|| DEFAULT_TEMPLATE.to_string()),
        other_events,
    })
}

/// Keeps `new` once its template renders `sample` without error; the default template is
/// kept as no template at all, so a later release's default applies.
pub fn save(conn: &Connection, new: &ParagraphSettings, sample: &Tally) -> Result<()> {
    render(&new.template, sample, new.other_events, MoreWord::Duo)
        .map_err(|e| Error::invalid("template", e.to_string()))?;
    if new.is_default_template() {
        settings::remove(conn, settings::PARAGRAPH_TEMPLATE)?;
    } else {
        settings::set(conn, settings::PARAGRAPH_TEMPLATE, &new.template)?;
    }
    settings::set(
        conn,
        settings::PARAGRAPH_OTHER_EVENTS,
        new.other_events.as_str(),
    )
}

/// What the editor shows beside a template: the paragraph it writes for the period (or what
/// is wrong with it), the names it may use with their values, and the default to reset to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParagraphPreview {
    pub paragraph: Option<String>,
    pub error: Option<TemplateError>,
    pub placeholders: Vec<Placeholder>,
    pub default_template: String,
}

/// The editor's view of `settings` on the tally `t`.
pub fn preview(settings: &ParagraphSettings, t: &Tally, more: MoreWord) -> ParagraphPreview {
    let written = render(&settings.template, t, settings.other_events, more);
    ParagraphPreview {
        error: written.as_ref().err().cloned(),
        paragraph: written.ok(),
        placeholders: placeholders(t, settings.other_events),
        default_template: DEFAULT_TEMPLATE.to_string(),
    }
}

/// What is wrong with a template, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateError {
    /// The template's line, from 1, where the engine found the fault.
    #[ts(type = "number | null")]
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "第{line}行：{}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// One name a template may use, what it means, and its value in a tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Placeholder {
    pub name: String,
    pub meaning: String,
    /// The value in the tally previewed, as text.
    pub value: String,
}

/// The names a template may use, each with its meaning, in the order the editor lists them.
const NAMES: &[(&str, &str)] = &[
    ("全年", "统计期间是否为整年（是/否）"),
    ("活动", "各类活动次数（工作室活动与其他活动之和）"),
    ("服务人次", "服务群众人次（全部记录）"),
    ("工作室活动", "委员工作室活动次数"),
    ("工作室服务人次", "委员工作室活动服务群众人次"),
    ("其他活动", "工作室以外的活动次数（设置为不写入时为0）"),
    ("其他活动名称", "其他活动的类别，如“视察调研、培训等活动”"),
    ("其他服务人次", "工作室活动以外服务群众人次"),
    ("协商", "协商议政次数"),
    ("协商形式", "协商按形式列出，如“‘请你来协商’议政活动6次”"),
    ("调研成果", "调研成果篇数"),
    ("社情民意", "社情民意信息篇数"),
    ("提案", "提案件数"),
    ("即交即办", "即交即办的提案件数"),
    ("已办复", "即交即办提案中已办复的件数"),
    ("即交即办提案", "如“《关于……的建议》等5件提案”"),
    ("其他提案", "即交即办以外的提案件数"),
    ("收到信息", "监测平台收到信息条数"),
    ("解答落实", "解答落实条数"),
    ("办结率", "办结率，如“97.5%”"),
    ("监测平台", "监测平台名称"),
    ("帮扶资金", "帮扶资金（元，取整）"),
    ("帮扶对象", "对口帮扶地区或单位"),
    ("帮扶形式", "帮扶形式，如“物资帮扶、消费帮扶”"),
];

/// The values a template sees for `t`.
fn context(t: &Tally, other_events: OtherEvents) -> BTreeMap<&'static str, Value> {
    let r = &t.report;
    let omit = other_events == OtherEvents::Omit;
    let other_events_count = if omit { 0 } else { r.other_events.exact };
    // Left out, the other events take their people with them; services and other records
    // that are not events still count.
    let other_people = if omit {
        r.other_people_served.exact - r.other_event_people_served
    } else {
        r.other_people_served.exact
    };
    let on_submission = r.proposals_on_submission;
    let mut c: BTreeMap<&'static str, Value> = BTreeMap::new();
    let mut int = |name: &'static str, n: i64| {
        c.insert(name, Value::from(n));
    };
    int("活动", t.activities.exact);
    int("服务人次", t.people_served.exact);
    int("工作室活动", r.studio_activities.exact);
    int("工作室服务人次", r.studio_people_served.exact);
    int("其他活动", other_events_count);
    int("其他服务人次", other_people.max(0));
    int("协商", t.consultations.exact);
    int("调研成果", t.research_reports.exact);
    int("社情民意", t.opinion_reports.exact);
    int("提案", t.proposals.exact);
    int("即交即办", on_submission);
    int("已办复", r.proposals_answered);
    int("其他提案", t.proposals.exact - on_submission);
    int("收到信息", t.items_received.exact);
    int("解答落实", t.items_resolved.exact);
    int("帮扶资金", t.funds_yuan.fen.max(0) / 100);
    let mut text = |name: &'static str, s: String| {
        c.insert(name, Value::from(s));
    };
    text("其他活动名称", other_event_names(&r.other_event_kinds));
    text("协商形式", consultation_formats(t));
    text("即交即办提案", proposals_on_submission(t));
    text("办结率", t.resolution_rate.clone().unwrap_or_default());
    text("监测平台", platform(t));
    text("帮扶对象", r.recipients.join("、"));
    text(
        "帮扶形式",
        r.assistance_forms
            .iter()
            .map(|f| f.label_zh())
            .collect::<Vec<_>>()
            .join("、"),
    );
    c.insert("全年", Value::from(t.period.is_whole_year()));
    c
}

/// "视察调研、培训等活动", "培训", or "其他活动".
fn other_event_names(kinds: &[Category]) -> String {
    let kinds: Vec<&str> = kinds
        .iter()
        .filter(|c| **c != Category::Other)
        .map(|c| c.label_zh())
        .collect();
    match kinds.as_slice() {
        [] => "其他活动".to_string(),
        [one] => one.to_string(),
        many => format!("{}等活动", many.join("、")),
    }
}

/// "“请你来协商”议政活动2次、界别协商1次、其他协商议政活动1次".
fn consultation_formats(t: &Tally) -> String {
    let formats = &t.report.consultation_formats;
    formats
        .iter()
        .map(|f| match f.format {
            Some(ConsultationFormat::PleaseCome) => format!("“请你来协商”议政活动{}次", f.count),
            Some(format) => format!("{}{}次", format.label_zh(), f.count),
            None if formats.len() == 1 => format!("协商议政活动{}次", f.count),
            None => format!("其他协商议政活动{}次", f.count),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// "《关于…的建议》等5件提案", "《关于…的建议》", or "5件提案".
fn proposals_on_submission(t: &Tally) -> String {
    let r = &t.report;
    match (&r.first_proposal_on_submission, r.proposals_on_submission) {
        (Some(title), 1) => format!("《{title}》"),
        (Some(title), n) => format!("《{title}》等{n}件提案"),
        (None, n) => format!("{n}件提案"),
    }
}

/// The platform's name, or "各监测平台" when records name several or some name none.
fn platform(t: &Tally) -> String {
    match (t.report.platforms.as_slice(), t.report.platform_unnamed) {
        ([], _) => "监测平台".to_string(),
        ([one], false) => one.clone(),
        _ => "各监测平台".to_string(),
    }
}

/// The engine, sandboxed, with the two number filters phrased with `more`.
fn environment(more: MoreWord) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("phrase", move |n: i64, word: Option<String>| -> String {
        format!(
            "{}{}",
            approximate(n.max(0) as u64, more),
            word.unwrap_or_default()
        )
    });
    env.add_filter("exact", |n: i64, word: Option<String>| -> String {
        format!("{n}{}", word.unwrap_or_default())
    });
    env
}

/// The paragraph `template` writes for `t`, or what is wrong with the template.
pub fn render(
    template: &str,
    t: &Tally,
    other_events: OtherEvents,
    more: MoreWord,
) -> std::result::Result<String, TemplateError> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(TemplateError {
            line: None,
            message: format!("模板过长：不能超过{MAX_TEMPLATE_CHARS}字"),
        });
    }
    let env = environment(more);
    let compiled = env.template_from_str(template).map_err(translate)?;
    let ctx = context(t, other_events);
    check_names(template, &compiled.undeclared_variables(true), &ctx)?;
    let body = compiled.render(&ctx).map_err(translate)?;
    let body = tidy(&body);
    if body.chars().count() > MAX_PARAGRAPH_CHARS {
        return Err(TemplateError {
            line: None,
            message: format!("模板写出的段落过长：超过{MAX_PARAGRAPH_CHARS}字"),
        });
    }
    Ok(if body.is_empty() {
        format!("{}暂无已统计的履职记录。", t.period_label)
    } else {
        let when = if t.period.is_whole_year() {
            "全年"
        } else {
            "期间"
        };
        format!("{}{when}，{body}", t.period_label)
    })
}

/// The paragraph of `settings`; a template that fails gives the default's paragraph and the
/// reason, so a broken template never breaks the report.
pub fn render_or_default(
    settings: &ParagraphSettings,
    t: &Tally,
    more: MoreWord,
) -> (String, Option<TemplateError>) {
    match render(&settings.template, t, settings.other_events, more) {
        Ok(text) => (text, None),
        Err(e) => {
            let fallback = render(DEFAULT_TEMPLATE, t, settings.other_events, more)
                .unwrap_or_else(|_| format!("{}的段落无法生成。", t.period_label));
            (fallback, Some(e))
        }
    }
}

/// The names a template may use, with their values in `t`.
pub fn placeholders(t: &Tally, other_events: OtherEvents) -> Vec<Placeholder> {
    let ctx = context(t, other_events);
    NAMES
        .iter()
        .map(|(name, meaning)| Placeholder {
            name: name.to_string(),
            meaning: meaning.to_string(),
            value: match ctx.get(name) {
                Some(v) if v.kind() == ValueKind::Bool => {
                    if v.is_true() { "是" } else { "否" }.to_string()
                }
                Some(v) => v.to_string(),
                None => String::new(),
            },
        })
        .collect()
}

/// Names the template reads that the context does not have: a typo is an error with its
/// line, before the engine's own "undefined value".
fn check_names(
    template: &str,
    used: &HashSet<String>,
    ctx: &BTreeMap<&'static str, Value>,
) -> std::result::Result<(), TemplateError> {
    let mut unknown: Vec<&String> = used
        .iter()
        .filter(|name| !ctx.contains_key(name.as_str()) && !is_builtin(name))
        .collect();
    unknown.sort_by_key(|name| template.find(name.as_str()));
    match unknown.first() {
        None => Ok(()),
        Some(name) => Err(TemplateError {
            line: template
                .find(name.as_str())
                .map(|at| template[..at].matches('\n').count() + 1),
            message: format!("没有名为“{name}”的数字或文字，可用的名称见右侧列表"),
        }),
    }
}

/// Globals minijinja itself provides (`range`, `loop`, …), which a template may use.
fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "range" | "dict" | "namespace" | "loop" | "debug" | "true" | "false" | "none"
    )
}

/// The engine's error in the office's words, with the line it names.
fn translate(e: minijinja::Error) -> TemplateError {
    let what = match e.kind() {
        ErrorKind::SyntaxError => "模板语法错误",
        ErrorKind::UndefinedError => "用到了未定义的名称",
        ErrorKind::UnknownFilter => "没有这个过滤器（可用 phrase、exact 等）",
        ErrorKind::UnknownFunction => "没有这个函数",
        ErrorKind::UnknownTest => "没有这个判断",
        ErrorKind::UnknownMethod => "没有这个方法",
        ErrorKind::TooManyArguments | ErrorKind::MissingArgument => "参数个数不对",
        ErrorKind::OutOfFuel => "模板运行步骤过多，可能有死循环",
        ErrorKind::InvalidOperation => "无法进行的运算",
        ErrorKind::CannotUnpack | ErrorKind::BadSerialization => "数值类型不对",
        _ => "模板错误",
    };
    let message = match e.detail() {
        Some(detail) => format!("{what}（{detail}）"),
        None => what.to_string(),
    };
    TemplateError {
        line: e.line(),
        message,
    }
}

/// Joins the template's lines and tidies the punctuation: within each sentence, a run of
/// "，" "；" "、" becomes its strongest mark and none is left at either end; sentences with
/// nothing in them are dropped.
pub fn tidy(rendered: &str) -> String {
    let joined: String = rendered.lines().map(str::trim).collect();
    let mut out = String::new();
    for sentence in joined.split_inclusive('。') {
        let (text, end) = match sentence.strip_suffix('。') {
            Some(text) => (text, "。"),
            None => (sentence, ""),
        };
        let text = collapse_marks(text);
        if !text.is_empty() {
            out.push_str(&text);
            out.push_str(if end.is_empty() { "" } else { end });
        }
    }
    out
}

/// One sentence with each run of clause marks reduced to its strongest, and none at the ends.
fn collapse_marks(text: &str) -> String {
    fn strength(c: char) -> Option<u8> {
        match c {
            '、' => Some(1),
            '，' => Some(2),
            '；' => Some(3),
            _ => None,
        }
    }
    let mut out = String::new();
    let mut pending: Option<char> = None;
    for c in text.chars() {
        match strength(c) {
            Some(s) => {
                if pending.is_none_or(|p| strength(p).unwrap_or(0) < s) {
                    pending = Some(c);
                }
            }
            None => {
                if let Some(mark) = pending.take() {
                    if !out.is_empty() {
                        out.push(mark);
                    }
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{activities, open_in_memory};
    use crate::model::{ActivityInput, Status};
    use crate::tally::{tally_year, TallyOptions};
    use chrono::{NaiveDate, Utc};

    /// A ledger with one studio activity (120 people), one training (30 people), one service
    /// consultation (15 people, not an event) and one research report, all accepted, in 2024.
    fn ledger() -> Connection {
        let conn = open_in_memory().unwrap();
        let add = |id: &str, category, people| {
            let mut i =
                ActivityInput::new(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(), category, id);
            i.status = Status::Accepted;
            i.people_served = people;
            activities::insert(&conn, id, "dev", i, Utc::now()).unwrap();
        };
        add("s", Category::StudioActivity, 120);
        add("t", Category::Training, 30);
        add("v", Category::Consultation, 15);
        add("r", Category::ResearchReport, 0);
        conn
    }

    fn tally(conn: &Connection) -> Tally {
        tally_year(conn, 2024, &TallyOptions::default()).unwrap()
    }

    #[test]
    fn tidy_drops_marks_before_a_full_stop_and_empty_sentences() {
        assert_eq!(
            tidy("甲，\n乙；\n。\n。\n，丙、、，丁，；。"),
            "甲，乙。丙，丁。"
        );
        assert_eq!(tidy("  。\n ；。"), "");
        assert_eq!(tidy("无句号，"), "无句号");
    }

    #[test]
    fn the_default_template_writes_the_paragraph() {
        let t = tally(&ledger());
        assert_eq!(
            t.paragraph,
            "2024年全年，委员工作室开展各类活动1次，服务群众120人次；\
             另组织培训1次，服务群众40多人次。开展协商议政活动1次，形成调研成果1篇。"
        );
        assert_eq!(t.paragraph_problem, None);
    }

    #[test]
    fn a_changed_template_and_setting_write_the_tallys_paragraph() {
        let conn = ledger();
        let sample = tally(&conn);
        let mine = ParagraphSettings {
            template: "{% if 工作室活动 %}各工作室共开展活动{{ 工作室活动|exact(\"场\") }}，\
                       服务{{ 工作室服务人次|phrase(\"人次\") }}；{% endif %}\n\
                       {% if 其他活动 %}其他{{ 其他活动 }}次；{% endif %}\n\
                       {% if 其他服务人次 %}另服务{{ 其他服务人次 }}人次{% endif %}。"
                .into(),
            other_events: OtherEvents::Omit,
        };
        save(&conn, &mine, &sample).unwrap();
        assert_eq!(load(&conn).unwrap(), mine);
        // Left out, the training and its 30 people go; the consultation's 15 people stay.
        assert_eq!(
            tally(&conn).paragraph,
            "2024年全年，各工作室共开展活动1场，服务120人次；另服务15人次。"
        );
        // Back to the default: nothing is kept but the setting.
        save(&conn, &ParagraphSettings::default(), &sample).unwrap();
        assert_eq!(
            settings::get(&conn, settings::PARAGRAPH_TEMPLATE).unwrap(),
            None
        );
        assert!(tally(&conn).paragraph.contains("另组织培训1次"));
    }

    #[test]
    fn the_template_travels_with_a_backup_of_the_ledger() {
        let conn = ledger();
        let mine = ParagraphSettings {
            template: "工作室活动{{ 工作室活动 }}次。".into(),
            other_events: OtherEvents::Omit,
        };
        save(&conn, &mine, &tally(&conn)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("backup.db");
        crate::db::backup_to(&conn, &copy).unwrap();
        let restored = Connection::open(&copy).unwrap();
        assert_eq!(load(&restored).unwrap(), mine);
    }

    #[test]
    fn a_broken_template_is_refused_with_its_line_and_never_breaks_the_report() {
        let conn = ledger();
        let sample = tally(&conn);
        let broken = ParagraphSettings {
            template: "第一行{{ 活动 }}\n第二行{% if 活动 %}没有结束".into(),
            other_events: OtherEvents::Apart,
        };
        let err = save(&conn, &broken, &sample).unwrap_err().to_string();
        assert!(err.contains("第2行"), "{err}");
        assert_eq!(
            settings::get(&conn, settings::PARAGRAPH_TEMPLATE).unwrap(),
            None
        );
        // One that got into the ledger anyway (an older release, a hand edit) falls back.
        settings::set(&conn, settings::PARAGRAPH_TEMPLATE, &broken.template).unwrap();
        let t = tally(&conn);
        assert_eq!(t.paragraph, sample.paragraph);
        assert_eq!(t.paragraph_problem.as_ref().and_then(|p| p.line), Some(2));
    }

    #[test]
    fn errors_name_the_line_and_say_what_went_wrong() {
        let t = tally(&ledger());
        let err = |src: &str| render(src, &t, OtherEvents::Apart, MoreWord::Duo).unwrap_err();
        let typo = err("开展活动{{ 活动 }}次。\n服务{{ 服务人數 }}人次。");
        assert_eq!(typo.line, Some(2));
        assert!(typo.message.contains("服务人數"), "{}", typo.message);
        assert_eq!(err("{{ 活动|round2 }}").line, Some(1));
        assert!(err("\n\n{{ 活动|phrase(1, 2, 3) }}")
            .message
            .contains("参数"));
        // A loop runs out of fuel; includes and imports find no loader.
        let endless =
            err("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}");
        assert!(endless.message.contains("步骤过多"), "{}", endless.message);
        assert!(err("{% include \"/etc/passwd\" %}")
            .message
            .contains("模板"));
        // A paragraph the size of a book is refused.
        let long = err("{% for i in range(3000) %}很长的分句，{% endfor %}。");
        assert!(long.message.contains("过长"), "{}", long.message);
        let huge = "甲".repeat(MAX_TEMPLATE_CHARS + 1);
        assert!(err(&huge).message.contains("模板过长"));
    }

    #[test]
    fn the_filters_say_numbers_as_the_report_does() {
        let t = tally(&ledger());
        let say = |src: &str, more| render(src, &t, OtherEvents::Apart, more).unwrap();
        assert_eq!(
            say("{{ 12345|phrase(\"人次\") }}", MoreWord::Duo),
            "2024年全年，1万多人次"
        );
        assert_eq!(say("{{ 12345|phrase }}", MoreWord::Yu), "2024年全年，1万余");
        assert_eq!(
            say("{{ 15|exact(\"篇\") }}", MoreWord::Duo),
            "2024年全年，15篇"
        );
        // User text is text: markup and formula signs pass through unchanged.
        assert_eq!(say("<b>=1+1</b>", MoreWord::Duo), "2024年全年，<b>=1+1</b>");
    }

    #[test]
    fn every_placeholder_the_editor_lists_is_in_the_context_and_back() {
        let t = tally(&ledger());
        let ctx = context(&t, OtherEvents::Apart);
        let listed: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
        let mut names: Vec<&str> = ctx.keys().copied().collect();
        names.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let shown = placeholders(&t, OtherEvents::Apart);
        let value = |n: &str| shown.iter().find(|p| p.name == n).unwrap().value.clone();
        assert_eq!(value("全年"), "是");
        assert_eq!(value("工作室服务人次"), "120");
        assert_eq!(value("其他活动名称"), "培训");
    }

    #[test]
    fn the_member_template_says_exact_figures() {
        let t = tally(&ledger());
        let text = render(MEMBER_TEMPLATE, &t, OtherEvents::Apart, MoreWord::Duo).unwrap();
        assert_eq!(
            text,
            "2024年全年，参加和开展各类活动2次，其中委员工作室活动1次，服务群众165人次。\
             参加协商议政活动1次，形成调研成果1篇。"
        );
    }
}
