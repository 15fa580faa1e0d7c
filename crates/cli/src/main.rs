//! `lvzhi`: the command line of 履职台账, for secretaries who script and for tests.
//!
//! Every subcommand opens the ledger (`--db`, else `$LVZHI_DB`, else the desktop app's own
//! file), calls one core function, and prints the result as text or, with `--json`, as JSON.
//! Errors go to stderr with exit code 1; usage errors exit 2. Nothing here panics on input.

mod args;

use chrono::{NaiveDate, Utc};
use clap::Parser;
use serde::Serialize;
use std::process::ExitCode;

use args::{
    ActivityCommand, ActivityFields, Cli, Command, MemberCommand, PackageCommand, PeriodArgs,
    RosterCommand, RosterPackageCommand, StudioCommand,
};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::model::{
    ActivityFilter, ActivityInput, Category, Member, Role, ServiceLine, StudioInput,
};
use lvzhi_core::phrase::MoreWord;
use lvzhi_core::tally::{Period, TallyOptions};
use lvzhi_core::{demo, paths, Error, Ledger, Result};

/// `println!` that never panics: a reader that went away (`lvzhi … | head`) ends the
/// program quietly, and any other failure to write is an error on stderr.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            stdout_failed(e);
        }
    }};
}

fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("错误：无法输出结果：{e}");
    std::process::exit(1);
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err}");
            ExitCode::FAILURE
        }
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    out!("{text}");
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let path = paths::resolve_db_path(cli.db)?;
    let ledger = Ledger::open(&path)?;
    let now = Utc::now();
    match cli.command {
        Command::Init => {
            out!("数据库已就绪：{}", path.display());
        }
        Command::Demo => {
            let summary = demo::load(&ledger, now)?;
            out!(
                "已载入 {} 年演示数据：委员 {} 人，工作室 {} 个，记录 {} 条",
                demo::DEMO_YEAR,
                summary.members,
                summary.studios,
                summary.activities
            );
        }
        Command::Member(MemberCommand::Add(m)) => {
            let member = Member {
                code: m.code,
                name: m.name,
                gender: m.gender.as_deref().map(str::parse).transpose()?,
                sector: m.sector,
                unit_title: m.unit,
                phone: m.phone,
                term: m.term,
                role: m
                    .role
                    .as_deref()
                    .map(str::parse)
                    .transpose()?
                    .unwrap_or(Role::Member),
                active: true,
            };
            ledger.add_member(&member, now)?;
            out!("{}", member.code);
        }
        Command::Member(MemberCommand::List { json }) => {
            let members = ledger.list_members()?;
            if json {
                return print_json(&members);
            }
            for m in &members {
                // The phone number is left out of the text listing on purpose: this output
                // ends up in terminals and logs. `--json` has it for scripts that need it.
                out!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    m.code,
                    m.name,
                    m.role.label_zh(),
                    m.sector.as_deref().unwrap_or("-"),
                    m.unit_title.as_deref().unwrap_or("-"),
                    if m.active { "" } else { "\t（已停用）" }
                );
            }
            eprintln!("共 {} 人", members.len());
        }
        Command::Package(command) => return package(&ledger, command, now),
        Command::RosterPackage(RosterPackageCommand::Export { out }) => {
            let (bytes, manifest) = ledger.export_roster_package(now)?;
            lvzhi_core::export::write_atomically(&out, &bytes)?;
            out!(
                "已写入名单包：{}（{} 项，第 {} 号，办公室指纹 {}）",
                out.display(),
                manifest.record_count,
                manifest.sequence,
                ledger.key_fingerprint()?
            );
        }
        Command::RosterPackage(RosterPackageCommand::Import { file, json }) => {
            let bytes = read_input(&file, InputKind::Package)?;
            let outcome = ledger.import_roster_package(&bytes, now)?;
            if json {
                return print_json(&outcome);
            }
            out!(
                "已导入名单包：委员 {}，工作室 {}，界别 {}，审核结果 {} 条（办公室指纹 {}{}）",
                outcome.members,
                outcome.studios,
                outcome.sectors,
                outcome.reviews_applied,
                outcome.office_fingerprint,
                if outcome.key_recorded {
                    "，首次导入，已登记"
                } else {
                    ""
                }
            );
        }
        Command::Roster(RosterCommand::Template { out }) => {
            lvzhi_core::export::write_atomically(
                &out,
                &lvzhi_core::import::roster::template_bytes()?,
            )?;
            out!("已写入名单模板：{}", out.display());
        }
        Command::Roster(RosterCommand::Import {
            file,
            dry_run,
            problems,
            json,
        }) => {
            let bytes = read_input(&file, InputKind::Spreadsheet)?;
            if let Some(out) = &problems {
                let preview = ledger.preview_roster(&bytes)?;
                lvzhi_core::export::write_atomically(
                    out,
                    &lvzhi_core::import::roster::problems_xlsx(&preview)?,
                )?;
                eprintln!(
                    "问题清单（{} 处）已写入：{}",
                    preview.problems.len(),
                    out.display()
                );
            }
            if dry_run {
                let preview = ledger.preview_roster(&bytes)?;
                if json {
                    return print_json(&preview);
                }
                print_preview(&preview);
                return Ok(());
            }
            let (preview, outcome) = match ledger.import_roster(&bytes, now) {
                Ok(done) => done,
                Err(err) => {
                    // Say what is wrong with the rows before the refusal itself.
                    if let Ok(preview) = ledger.preview_roster(&bytes) {
                        if !json {
                            print_preview(&preview);
                        }
                    }
                    return Err(err);
                }
            };
            if json {
                return print_json(&serde_json::json!({ "preview": preview, "outcome": outcome }));
            }
            print_preview(&preview);
            out!(
                "已导入：新增 {} 人，更新 {} 人，未变 {} 人，停用 {} 人，新增界别 {} 个。备份：{}",
                outcome.created,
                outcome.updated,
                outcome.unchanged,
                outcome.deactivated,
                outcome.sectors_added,
                outcome.backup.as_deref().unwrap_or("无")
            );
        }
        Command::Studio(StudioCommand::Import {
            file,
            dry_run,
            json,
        }) => {
            let bytes = read_input(&file, InputKind::Spreadsheet)?;
            let result = if dry_run {
                ledger.preview_studios(&bytes)
            } else {
                ledger.import_studios(&bytes, now)
            };
            let preview = match result {
                Ok(p) => p,
                Err(err) => {
                    if let (Ok(p), false) = (ledger.preview_studios(&bytes), json) {
                        for problem in &p.problems {
                            out!(
                                "  问题：第 {} 行 {} 列（{}）：{}",
                                problem.row,
                                problem.column,
                                problem.header,
                                problem.reason
                            );
                        }
                    }
                    return Err(err);
                }
            };
            if json {
                return print_json(&preview);
            }
            out!(
                "表头在第 {} 行；读取 {} 行：新增 {}，变更 {}，未变 {}，有问题 {}{}",
                preview.header_row,
                preview.rows_read,
                preview.new,
                preview.changed,
                preview.unchanged,
                preview.rejected,
                if dry_run {
                    "（预览，未写入）"
                } else {
                    "；已导入"
                }
            );
            for problem in &preview.problems {
                out!(
                    "  问题：第 {} 行 {} 列（{}）：{}",
                    problem.row,
                    problem.column,
                    problem.header,
                    problem.reason
                );
            }
        }
        Command::Studio(StudioCommand::Add(s)) => {
            let input = StudioInput {
                name: s.name,
                kind: s.kind.parse()?,
                focus: s.focus,
                lead_code: s.lead,
                member_codes: s.members,
            };
            let studio = ledger.add_studio(&input, now)?;
            out!("{}", studio.id);
        }
        Command::Studio(StudioCommand::List { json }) => {
            let studios = ledger.list_studios()?;
            if json {
                return print_json(&studios);
            }
            for s in &studios {
                out!(
                    "{}\t{}\t{}\t负责人 {}\t成员 {} 人",
                    s.id,
                    s.name,
                    s.kind.label_zh(),
                    s.lead_code.as_deref().unwrap_or("-"),
                    s.member_codes.len()
                );
            }
            eprintln!("共 {} 个工作室", studios.len());
        }
        Command::Activity(ActivityCommand::Add(fields)) => {
            let input = new_input(&ledger, fields)?;
            let activity = ledger.add_activity(input, now)?;
            out!("{}", activity.id);
        }
        Command::Activity(ActivityCommand::Edit { id, fields }) => {
            let id = ledger.resolve_activity_id(&id)?;
            let mut input = ledger.get_activity(&id)?.input;
            apply_fields(&ledger, &mut input, fields)?;
            let activity = ledger.update_activity(&id, input, now)?;
            out!("{}", activity.id);
        }
        Command::Activity(ActivityCommand::Delete { id }) => {
            let id = ledger.resolve_activity_id(&id)?;
            ledger.delete_activity(&id, now)?;
            out!("{id}");
        }
        Command::Activity(ActivityCommand::Restore { id }) => {
            let id = ledger.resolve_activity_id(&id)?;
            ledger.restore_activity(&id, now)?;
            out!("{id}");
        }
        Command::Activity(ActivityCommand::List { year, all, json }) => {
            let filter = ActivityFilter {
                year,
                include_deleted: all,
                ..Default::default()
            };
            let activities = ledger.list_activities(&filter)?;
            if json {
                return print_json(&activities);
            }
            for a in &activities {
                out!(
                    "{}\t{}\t{}\t{}\t{}人次{}",
                    a.id,
                    a.input.date,
                    a.input.category.label_zh(),
                    a.input.title,
                    a.input.people_served,
                    if a.deleted { "\t（已删除）" } else { "" }
                );
            }
            eprintln!("共 {} 条", activities.len());
        }
        Command::Tally { period, by, json } => {
            let (range, options) = period_of(&period)?;
            if let Some(by) = by {
                let lines = ledger.breakdown(&range, &options, by.parse()?)?;
                if json {
                    return print_json(&lines);
                }
                out!("{}（{}）", range.label(), options.basis());
                out!("分组\t活动次数\t服务群众（人次）\t记录条数\t帮扶资金（元）");
                for l in &lines {
                    let c = &l.counts;
                    out!(
                        "{}\t{}\t{}\t{}\t{:.2}",
                        l.label,
                        c.activities,
                        c.people_served,
                        c.records,
                        c.funds_fen as f64 / 100.0
                    );
                }
                return Ok(());
            }
            let tally = ledger.tally(&range, &options)?;
            if json {
                return print_json(&tally);
            }
            out!("{}（{}；括号内为约数）", tally.period_label, tally.basis);
            let rows = [
                ("各类活动", &tally.activities, "次"),
                ("服务群众", &tally.people_served, "人次"),
                ("协商议政", &tally.consultations, "次"),
                ("调研成果", &tally.research_reports, "篇"),
                ("提案", &tally.proposals, "件"),
                ("社情民意信息", &tally.opinion_reports, "篇"),
                ("监测平台收件", &tally.items_received, "条"),
                ("解答落实", &tally.items_resolved, "条"),
            ];
            for (label, figure, unit) in rows {
                out!("  {label}\t{}{unit}（{}）", figure.exact, figure.phrase);
            }
            out!(
                "  帮扶资金\t{:.2}元（{}）",
                tally.funds_yuan.exact,
                tally.funds_yuan.phrase
            );
            if let Some(rate) = &tally.resolution_rate {
                out!("  办结率\t{rate}");
            }
            out!();
            out!("{}", tally.paragraph);
        }
        Command::Export { period, out } => {
            let (range, options) = period_of(&period)?;
            let summary = ledger.export(&range, &options, &out)?;
            out!("已导出 {} 条记录：{}", summary.records, summary.path);
        }
        Command::MemberRecord {
            period,
            member,
            out,
            json,
        } => {
            let (range, options) = period_of(&period)?;
            let record = ledger.member_record(&range, &options, &member)?;
            if let Some(out) = out {
                if !out.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm")
                }) {
                    return Err(Error::invalid(
                        "out",
                        "年度履职档案请保存为 .html 文件（可在浏览器中打印或另存为 PDF）",
                    ));
                }
                lvzhi_core::export::write_atomically(
                    &out,
                    lvzhi_core::member_record::to_html(&record).as_bytes(),
                )?;
                out!(
                    "已写入 {} 的年度履职档案：{}",
                    record.member.name,
                    out.display()
                );
            } else if json {
                return print_json(&record);
            } else {
                return Err(Error::invalid(
                    "out",
                    "请用 --out FILE.html 指定输出文件，或用 --json 输出到屏幕",
                ));
            }
        }
    }
    Ok(())
}

/// A new activity from the command-line fields; `--date`, `--category` and `--title` are
/// required here, optional when editing.
fn new_input(ledger: &Ledger, fields: ActivityFields) -> Result<ActivityInput> {
    let date = fields
        .date
        .clone()
        .ok_or_else(|| Error::invalid("date", "请用 --date 给出日期"))?;
    let category = fields
        .category
        .clone()
        .ok_or_else(|| Error::invalid("category", "请用 --category 给出类别"))?;
    let title = fields
        .title
        .clone()
        .ok_or_else(|| Error::invalid("title", "请用 --title 给出标题"))?;
    let mut input = ActivityInput::new(parse_date(&date)?, category.parse::<Category>()?, title);
    apply_fields(ledger, &mut input, fields)?;
    Ok(input)
}

/// Writes every field that was given on the command line into `input`.
fn apply_fields(ledger: &Ledger, input: &mut ActivityInput, f: ActivityFields) -> Result<()> {
    if let Some(date) = f.date {
        input.date = parse_date(&date)?;
    }
    if let Some(category) = f.category {
        input.category = category.parse()?;
    }
    if let Some(title) = f.title {
        input.title = title;
    }
    if let Some(studio) = f.studio {
        input.studio_id = if studio.trim().is_empty() {
            None
        } else {
            Some(ledger.studio_by_name(&studio)?.id)
        };
    }
    if !f.members.is_empty() {
        input.participants = f.members;
    }
    if let Some(n) = f.served {
        input.people_served = n;
    }
    if !f.services.is_empty() {
        input.services = f
            .services
            .iter()
            .map(|s| parse_service(s))
            .collect::<Result<_>>()?;
    }
    if let Some(n) = f.received {
        input.items_received = n;
    }
    if let Some(n) = f.resolved {
        input.items_resolved = n;
    }
    if let Some(yuan) = f.funds_yuan {
        input.funds_fen = parse_yuan(&yuan)?;
    }
    if let Some(v) = f.location {
        input.location = Some(v);
    }
    if let Some(v) = f.organizer {
        input.organizer = Some(v);
    }
    if let Some(v) = f.notes {
        input.notes = Some(v);
    }
    if let Some(v) = f.doc_number {
        input.doc_number = Some(v);
    }
    if let Some(v) = f.author {
        input.author_code = Some(v);
    }
    if let Some(v) = f.status {
        input.status = v.parse()?;
    }
    Ok(())
}

/// A roster preview as text: counts that add up, then every problem with row and column.
fn print_preview(p: &lvzhi_core::import::roster::RosterPreview) {
    out!(
        "表头在第 {} 行；读取 {} 行：新增 {}，变更 {}，未变 {}，有问题 {}",
        p.header_row,
        p.rows_read,
        p.new,
        p.changed,
        p.unchanged,
        p.rejected
    );
    for row in p.rows.iter().filter(|r| !r.changes.is_empty()) {
        out!(
            "  第 {} 行 {}（{}）变更：{}",
            row.row,
            row.name,
            row.code,
            row.changes.join("、")
        );
    }
    for skipped in &p.skipped {
        out!("  第 {} 行已跳过：{}", skipped.row, skipped.reason);
    }
    if !p.unknown_columns.is_empty() {
        out!("  未识别的列（不导入）：{}", p.unknown_columns.join("、"));
    }
    if !p.new_sectors.is_empty() {
        out!(
            "  新界别（导入时将添加，请确认）：{}",
            p.new_sectors.join("、")
        );
    }
    if !p.unknown_studios.is_empty() {
        out!(
            "  名单中的工作室尚未登记（不关联）：{}",
            p.unknown_studios.join("、")
        );
    }
    if !p.to_deactivate.is_empty() {
        out!("  不在新名单中、将标为停用：{}", p.to_deactivate.join("、"));
    }
    for problem in &p.problems {
        out!(
            "  问题：第 {} 行 {} 列（{}）：{}",
            problem.row,
            problem.column,
            problem.header,
            problem.reason
        );
    }
}

/// The period and counting options the flags describe.
fn period_of(args: &PeriodArgs) -> Result<(Period, TallyOptions)> {
    let period = match (args.year, &args.from, &args.to) {
        (Some(year), _, _) => Period::year(year)?,
        (None, Some(from), Some(to)) => Period::new(parse_date(from)?, parse_date(to)?)?,
        _ => {
            return Err(Error::invalid(
                "year",
                "请用 --year 或 --from/--to 指定统计期间",
            ))
        }
    };
    let options = TallyOptions {
        more: if args.yu { MoreWord::Yu } else { MoreWord::Duo },
        include_unreviewed: !args.reviewed_only,
    };
    Ok((period, options))
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("date", format!("日期“{text}”无法识别，请写成 YYYY-MM-DD")))
}

/// `义诊=120` → a service line.
fn parse_service(text: &str) -> Result<ServiceLine> {
    let bad = || {
        Error::invalid(
            "services",
            format!("服务项目“{text}”请写成 名称=次数，如 义诊=120"),
        )
    };
    let (name, count) = text.rsplit_once('=').ok_or_else(bad)?;
    let count = count.trim().parse::<i64>().map_err(|_| bad())?;
    Ok(ServiceLine {
        service: name.trim().to_string(),
        count,
    })
}

/// An amount in 元 with at most two decimals ("905432.5", "1,200") → integer 分, without
/// passing through floating point.
fn parse_yuan(text: &str) -> Result<i64> {
    let bad = || {
        Error::invalid(
            "funds_fen",
            format!("金额“{text}”无法识别，请写成元，最多两位小数"),
        )
    };
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|v| v.checked_add(frac))
        .ok_or_else(bad)
}

fn package(
    ledger: &Ledger,
    command: PackageCommand,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    match command {
        PackageCommand::Export { member, year, out } => {
            let (bytes, manifest) = ledger.export_member_package(&member, year, now)?;
            lvzhi_core::export::write_atomically(&out, &bytes)?;
            out!(
                "已写入数据包：{}（委员 {}，{} 条记录，第 {} 号，本机指纹 {}）",
                out.display(),
                member,
                manifest.record_count,
                manifest.sequence,
                ledger.key_fingerprint()?
            );
        }
        PackageCommand::Import {
            file,
            dry_run,
            json,
        } => {
            let bytes = read_input(&file, InputKind::Package)?;
            let report = if dry_run {
                ledger.preview_package(&bytes)?
            } else {
                ledger.import_package(&bytes, now)?
            };
            // A package refused whole is an error for scripts too: printed, then exit 1.
            let refused = report
                .refused
                .as_ref()
                .map(|reason| Error::Rejected(format!("整包隔离，未合并：{reason}")));
            if json {
                print_json(&report)?;
                return refused.map_or(Ok(()), Err);
            }
            let m = &report.manifest;
            out!(
                "委员 {}（{}），设备 {}，第 {} 号包，{} 条记录",
                m.member_code.as_deref().unwrap_or("?"),
                m.member_name.as_deref().unwrap_or(""),
                m.device_id,
                m.sequence,
                m.record_count
            );
            let key = match report.key {
                lvzhi_core::exchange::merge::KeyStatus::New => "首次收到，合并后登记，请与委员核对",
                lvzhi_core::exchange::merge::KeyStatus::Known => "已登记，尚未核对",
                lvzhi_core::exchange::merge::KeyStatus::Trusted => "已核对",
                lvzhi_core::exchange::merge::KeyStatus::Mismatch => "与登记的密钥不同",
            };
            out!("密钥指纹 {}（{key}）", report.fingerprint);
            if let Some(err) = refused {
                return Err(err);
            }
            if report.already_imported {
                out!("此数据包已导入过，未做任何更改。");
                return Ok(());
            }
            out!(
                "{}新增 {}，更新 {}，未变 {}，冲突 {}，隔离 {}",
                if dry_run { "预览：" } else { "已合并：" },
                report.new,
                report.updated,
                report.unchanged,
                report.conflicts,
                report.rejected
            );
            for item in &report.items {
                use lvzhi_core::exchange::merge::Outcome;
                let word = match item.outcome {
                    Outcome::Conflict => "冲突",
                    Outcome::Rejected => "隔离",
                    _ => continue,
                };
                out!(
                    "  {word} {} {}：{}",
                    item.id,
                    item.title,
                    item.reason.as_deref().unwrap_or("")
                );
            }
        }
        PackageCommand::Fingerprint => out!("{}", ledger.key_fingerprint()?),
        PackageCommand::Keys { json } => {
            let keys = ledger.member_keys()?;
            if json {
                return print_json(&keys);
            }
            for k in keys {
                let state = if k.trusted_at.is_some() {
                    "已核对"
                } else {
                    "未核对"
                };
                out!("{}\t{}\t{state}", k.member_code, k.fingerprint);
            }
        }
        PackageCommand::Trust { member } => {
            ledger.trust_member_key(&member, now)?;
            out!("已将委员 {member} 的密钥标为已核对");
        }
        PackageCommand::ForgetKey { member } => {
            ledger.forget_member_key(&member)?;
            out!("已删除委员 {member} 的密钥登记：下一个数据包的密钥将重新登记，请再次核对指纹");
        }
        PackageCommand::Conflicts { json } => {
            let conflicts = ledger.conflicts(true)?;
            let quarantined = ledger.quarantined()?;
            if json {
                return print_json(&serde_json::json!({
                    "conflicts": conflicts,
                    "quarantined": quarantined,
                }));
            }
            for c in conflicts {
                out!("冲突 {}\t{}\t{}", c.id, c.activity_id, c.reason);
            }
            for q in quarantined {
                out!(
                    "隔离\t{}\t{}\t{}",
                    q.member_code.as_deref().unwrap_or(""),
                    q.record_id.as_deref().unwrap_or("（整包）"),
                    q.reason
                );
            }
        }
        PackageCommand::Resolve { id, keep } => {
            let a = ledger.resolve_conflict(id, keep == "member", now)?;
            out!("已处理冲突 {id}：记录 {} 现为第 {} 版", a.id, a.version);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_to_fen() {
        let ok = [
            ("905432.5", 90_543_250),
            ("1,200", 120_000),
            ("0.07", 7),
            ("12.", 1200),
            ("3", 300),
        ];
        for (text, fen) in ok {
            assert_eq!(parse_yuan(text).unwrap(), fen, "{text}");
        }
        for text in [
            "-5",
            "1.234",
            "abc",
            "",
            ".5",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(parse_yuan(text).is_err(), "{text}");
        }
    }

    #[test]
    fn services() {
        assert_eq!(
            parse_service(" 义诊 = 120").unwrap(),
            ServiceLine {
                service: "义诊".into(),
                count: 120
            }
        );
        assert!(parse_service("义诊").is_err());
        assert!(parse_service("义诊=many").is_err());
    }
}
