//! Word documents for the office, laid out to GB/T 9704-2012 (the standard for official
//! documents) as DOMAIN.md describes: A4; margins of 37 mm at the top, 35 mm at the bottom,
//! 28 mm left and 26 mm right, so the text area is 156 × 225 mm; a grid of 22 lines (about
//! 28 characters to the line at 16 pt); the title in 方正小标宋简体 size 2 (22 pt), the body in 仿宋_GB2312 size 3
//! (16 pt), headings in 黑体; the page number "— N —" centred in the footer.
//!
//! Fonts are named for the East Asian script (`w:eastAsia`) as WPS and Word on Chinese
//! Windows know them; Latin text and digits are in Times New Roman.
//!
//! - `year_report`: 年度履职统计报告: the paragraph, the main figures, and the tables by
//!   category, studio, studio kind, sector and month.
//! - `member_record`: 年度履职档案 of one member: who they are, their year in one paragraph,
//!   their figures and their records.

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow, WidthType,
};

use crate::error::{Error, Result};
use crate::member_record::MemberRecord;
use crate::tally::{BreakdownLine, Figure, Tally};

/// Twips (1/20 pt) in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 28;

/// 225 mm over 22 lines.
const LINE_PITCH: usize = 580;

/// First-column widths in twips: half or a quarter of the 156 mm text area, or room for a
/// studio's name beside four figures.
const HALF: usize = 4422;
const QUARTER: usize = 2211;
const LABEL: usize = 2600;

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const LATIN_FONT: &str = "Times New Roman";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

/// A document with the page, the grid, the default body font and the footer's page number.
fn document() -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(
                Run::new()
                    .add_text("— ")
                    .size(TABLE_SIZE)
                    .fonts(fonts("宋体")),
            )
            .add_page_num(PageNum::new())
            .add_run(
                Run::new()
                    .add_text(" —")
                    .size(TABLE_SIZE)
                    .fonts(fonts("宋体")),
            ),
    );
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0)),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .footer(footer);
    // 22 lines to the page. The character grid (28 to the line) is left to the fonts: 16 pt
    // characters across 156 mm make 27.6, and LibreOffice spreads characters far apart when
    // a document asks for a character grid.
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_PITCH),
    );
    docx
}

fn exact_lines() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_PITCH as i32)
}

fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().after(LINE_PITCH as u32))
        .add_run(
            Run::new()
                .add_text(text)
                .size(TITLE_SIZE)
                .fonts(fonts(TITLE_FONT)),
        )
}

/// A body paragraph, its first line indented two characters.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .line_spacing(exact_lines())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .add_run(Run::new().add_text(text).size(BODY_SIZE))
}

/// A first-level heading ("一、主要数据"), in 黑体.
fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .line_spacing(exact_lines())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .add_run(
            Run::new()
                .add_text(text)
                .size(BODY_SIZE)
                .fonts(fonts(HEADING_FONT)),
        )
}

/// A table of text, the first row its header (in 黑体), at 四号, across the text area; the
/// first column `first` twips wide and the others sharing the rest.
fn table(header: &[&str], rows: Vec<Vec<String>>, first: usize) -> Table {
    let width = mm(156.0) as usize;
    let others = (width - first) / header.len().saturating_sub(1).max(1);
    let mut grid = vec![first];
    grid.extend(std::iter::repeat_n(others, header.len().saturating_sub(1)));
    let cell = |text: &str, font: &str| {
        TableCell::new().add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text(text)
                    .size(TABLE_SIZE)
                    .fonts(fonts(font)),
            ),
        )
    };
    let mut table_rows = vec![TableRow::new(
        header.iter().map(|h| cell(h, HEADING_FONT)).collect(),
    )];
    table_rows.extend(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|t| cell(t, BODY_FONT)).collect())),
    );
    Table::new(table_rows)
        .set_grid(grid)
        .width(width, WidthType::Dxa)
}

fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(out.into_inner())
}

/// "56次（约50多次）", or "8篇" where the phrase is the exact figure.
fn figure(f: &Figure, unit: &str) -> String {
    let exact = format!("{}{unit}", f.exact);
    if f.phrase == exact {
        exact
    } else {
        format!("{exact}（约{}）", f.phrase)
    }
}

/// The main figures of a tally, one table row each.
fn figure_rows(t: &Tally) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = [
        ("各类活动", &t.activities, "次"),
        ("其中委员工作室活动", &t.report.studio_activities, "次"),
        ("服务群众", &t.people_served, "人次"),
        ("协商议政", &t.consultations, "次"),
        ("调研成果", &t.research_reports, "篇"),
        ("提案", &t.proposals, "件"),
        ("社情民意信息", &t.opinion_reports, "篇"),
        ("监测平台收到信息", &t.items_received, "条"),
        ("解答落实", &t.items_resolved, "条"),
    ]
    .into_iter()
    .filter(|(_, f, _)| f.exact > 0)
    .map(|(label, f, unit)| vec![label.to_string(), figure(f, unit)])
    .collect();
    if t.funds_yuan.fen > 0 {
        rows.push(vec![
            "帮扶资金".into(),
            format!("{:.2}元（约{}）", t.funds_yuan.exact, t.funds_yuan.phrase),
        ]);
    }
    if let Some(rate) = &t.resolution_rate {
        rows.push(vec!["办结率".into(), rate.clone()]);
    }
    rows
}

/// 年度履职统计报告: the paragraph, the figures and the tables by each grouping.
pub fn year_report(
    committee: &str,
    t: &Tally,
    breakdowns: &[(&str, Vec<BreakdownLine>)],
) -> Result<Vec<u8>> {
    let mut docx = document()
        .add_paragraph(title(&format!("{committee}{}年度履职统计报告", t.year)))
        .add_paragraph(body(&t.paragraph))
        .add_paragraph(heading("一、主要数据"))
        .add_table(table(&["项目", "数量"], figure_rows(t), HALF));
    let numerals = ["二", "三", "四", "五", "六", "七"];
    for (n, (name, lines)) in breakdowns.iter().enumerate() {
        let rows = lines
            .iter()
            .map(|l| {
                vec![
                    l.label.clone(),
                    l.counts.activities.to_string(),
                    l.counts.people_served.to_string(),
                    l.counts.records.to_string(),
                    format!("{:.2}", l.counts.funds_fen as f64 / 100.0),
                ]
            })
            .collect();
        docx = docx
            .add_paragraph(heading(&format!("{}、{name}", numerals[n.min(5)])))
            .add_table(table(
                &["名称", "活动次数", "服务人次", "记录条数", "帮扶资金（元）"],
                rows,
                LABEL,
            ));
    }
    docx = docx.add_paragraph(body(&format!("统计口径：{}。", t.basis)));
    pack(docx)
}

/// 年度履职档案 of one member.
pub fn member_record(committee: &str, record: &MemberRecord) -> Result<Vec<u8>> {
    let m = &record.member;
    let t = &record.tally;
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let who = vec![
        vec![
            "姓名".into(),
            m.name.clone(),
            "委员编号".into(),
            m.code.clone(),
        ],
        vec![
            "界别".into(),
            or_dash(&m.sector),
            "届次".into(),
            or_dash(&m.term),
        ],
        vec![
            "单位职务".into(),
            or_dash(&m.unit_title),
            "出席记录".into(),
            format!("{}次", record.attended),
        ],
    ];
    let activities = record
        .activities
        .iter()
        .map(|a| {
            vec![
                a.input.date.format("%Y-%m-%d").to_string(),
                a.input.category.label_zh().to_string(),
                a.input.title.clone(),
            ]
        })
        .collect();
    let meetings: Vec<Vec<String>> = crate::member_record::attendance_rows(record)
        .into_iter()
        .map(Vec::from)
        .collect();
    let mut docx = document()
        .add_paragraph(title(&format!("{committee}委员{}年度履职档案", t.year)))
        .add_table(table(&["项目", "内容", "项目", "内容"], who, QUARTER))
        .add_paragraph(heading("一、年度履职情况"))
        .add_paragraph(body(&t.paragraph))
        .add_paragraph(heading("二、主要数据"))
        .add_table(table(&["项目", "数量"], figure_rows(t), HALF))
        .add_paragraph(heading("三、履职记录"))
        .add_table(table(&["日期", "类别", "标题"], activities, QUARTER));
    // Sections after the first three are numbered as they are added: a member without
    // meetings, proposals or opinion reports has none of those sections.
    const NUMBERS: [&str; 4] = ["四", "五", "六", "七"];
    let mut next = NUMBERS.iter();
    let mut numbered = |title: &str| heading(&format!("{}、{title}", next.next().unwrap_or(&"")));
    if !meetings.is_empty() {
        let rate = record.attendance.as_ref().and_then(|a| a.rate);
        docx = docx
            .add_paragraph(numbered("会议出席情况"))
            .add_table(table(
                &["会议类别", "应出席", "出席", "请假", "缺席"],
                meetings,
                QUARTER,
            ))
            .add_paragraph(body(&format!(
                "出席率{}（出席÷已点名的应出席次数，请假不计为缺席）。",
                crate::member_record::rate_text(rate)
            )));
    }
    if !record.proposals.is_empty() {
        let rows = record
            .proposals
            .iter()
            .map(|p| {
                let first = p.activity.input.author_code.as_deref() == Some(m.code.as_str());
                vec![
                    p.activity.input.title.clone(),
                    if first { "第一提案人" } else { "联名" }.to_string(),
                    p.stage_text(),
                ]
            })
            .collect();
        docx = docx
            .add_paragraph(numbered("提案及办理情况"))
            .add_table(table(&["标题", "提案人", "办理情况"], rows, HALF));
    }
    if !record.opinions.is_empty() {
        let rows = record
            .opinions
            .iter()
            .map(|o| {
                let adopted: Vec<String> = o.adoptions.iter().map(|a| a.text()).collect();
                vec![o.activity.input.title.clone(), adopted.join("、")]
            })
            .collect();
        docx = docx
            .add_paragraph(numbered("社情民意信息及采用情况"))
            .add_table(table(&["标题", "采用情况"], rows, HALF));
    }
    if let Some(score) = &record.score {
        use crate::model::score::points_text;
        let rows = score
            .items
            .iter()
            .map(|i| vec![i.item.clone(), i.count.to_string(), points_text(i.points)])
            .chain(std::iter::once(vec![
                "合计".into(),
                String::new(),
                points_text(score.total),
            ]))
            .collect();
        docx = docx.add_paragraph(numbered("履职积分")).add_table(table(
            &["积分项目", "项数", "得分"],
            rows,
            HALF,
        ));
    }
    docx = docx.add_paragraph(body(&format!("统计口径：{}。", t.basis)));
    pack(docx)
}
