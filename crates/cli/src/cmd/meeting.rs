//! `lvzhi meeting`: meetings and attendance (会议考勤): add, list, show, invite, take the
//! roll, import a sign-in sheet, attendance rates, delete.

use chrono::{DateTime, Utc};
use lvzhi_core::input::{read_input, InputKind};
use lvzhi_core::member_record::rate_text;
use lvzhi_core::model::meeting::{
    Attendance, InviteScope, Meeting, MeetingDetail, MeetingInput, RollEntry,
};
use lvzhi_core::{Error, Ledger, Result};
use serde_json::json;

use crate::args::MeetingCommand;
use crate::output::{out, print_json, print_problem};
use crate::parse::parse_date;

/// Runs one `lvzhi meeting` subcommand.
pub fn run(ledger: &Ledger, command: MeetingCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        MeetingCommand::Add {
            kind,
            date,
            title,
            location,
            notes,
            json,
        } => {
            let input = MeetingInput {
                kind: kind.parse()?,
                date: parse_date(&date)?,
                title,
                location,
                notes,
            };
            let m = ledger.create_meeting(input, now)?;
            if json {
                return print_json(&m);
            }
            out!("已添加会议 {}", m.id);
            print_line(&m);
            Ok(())
        }
        MeetingCommand::List { year, json } => {
            let list = ledger.list_meetings(year)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("没有会议");
            }
            list.iter().for_each(print_line);
            Ok(())
        }
        MeetingCommand::Show { id, json } => {
            let d = ledger.meeting(&ledger.resolve_meeting_id(&id)?)?;
            if json {
                return print_json(&d);
            }
            print_detail(&d);
            Ok(())
        }
        MeetingCommand::Invite {
            id,
            all,
            standing,
            sector,
            studio,
            codes,
            json,
        } => {
            let id = ledger.resolve_meeting_id(&id)?;
            let mut scopes = Vec::new();
            if all {
                scopes.push(InviteScope::AllMembers);
            }
            if standing {
                scopes.push(InviteScope::Standing);
            }
            scopes.extend(sector.map(InviteScope::Sector));
            scopes.extend(studio.map(InviteScope::Studio));
            if !codes.is_empty() {
                scopes.push(InviteScope::Codes(codes));
            }
            if scopes.is_empty() {
                return Err(Error::invalid(
                    "scope",
                    "请指定邀请谁：--all、--standing、--sector、--studio 或 --codes",
                ));
            }
            let mut added = 0;
            for scope in &scopes {
                added += ledger.invite_to_meeting(&id, scope, now)?;
            }
            let d = ledger.meeting(&id)?;
            if json {
                return print_json(&json!({ "added": added, "meeting": d }));
            }
            out!("新邀请 {added} 人，共 {} 人受邀", d.invitees.len());
            Ok(())
        }
        MeetingCommand::Roll {
            id,
            present,
            leave,
            reason,
            absent,
            all_present,
            json,
        } => {
            let id = ledger.resolve_meeting_id(&id)?;
            if leave.len() != reason.len() {
                return Err(Error::invalid(
                    "leave_reason",
                    "每个 --leave 都要跟一个 --reason（请假事由）",
                ));
            }
            let entry = |code: &str, a: Attendance, r: Option<String>| RollEntry {
                code: code.to_string(),
                attendance: Some(a),
                leave_reason: r,
            };
            let mut entries: Vec<RollEntry> = present
                .iter()
                .map(|c| entry(c, Attendance::Present, None))
                .collect();
            entries.extend(
                leave
                    .iter()
                    .zip(reason)
                    .map(|(c, r)| entry(c, Attendance::Leave, Some(r))),
            );
            entries.extend(absent.iter().map(|c| entry(c, Attendance::Absent, None)));
            let d = ledger.take_roll(&id, &entries, all_present, now)?;
            if json {
                return print_json(&d);
            }
            print_detail(&d);
            Ok(())
        }
        MeetingCommand::ImportSignin {
            file,
            meeting,
            yes,
            json,
        } => {
            let id = ledger.resolve_meeting_id(&meeting)?;
            let bytes = read_input(&file, InputKind::Spreadsheet)?;
            let preview = ledger.preview_signin(&id, &bytes)?;
            let applied = if yes && preview.rejected == 0 {
                Some(ledger.import_signin(&id, &bytes, now)?)
            } else {
                None
            };
            let p = applied.as_ref().unwrap_or(&preview);
            if json {
                print_json(&json!({ "applied": applied.is_some(), "preview": p }))?;
            } else {
                out!(
                    "读取 {} 行：新邀请 {}，变化 {}，不变 {}，有问题 {}（出席 {}，请假 {}，缺席 {}）",
                    p.rows_read,
                    p.new,
                    p.changed,
                    p.unchanged,
                    p.rejected,
                    p.present,
                    p.leave,
                    p.absent
                );
                if !p.not_on_sheet.is_empty() {
                    out!(
                        "签到表未列出的受邀委员（考勤不变）：{}",
                        p.not_on_sheet.join("、")
                    );
                }
                p.problems.iter().for_each(print_problem);
                if applied.is_some() {
                    out!("已导入签到表");
                }
            }
            if preview.rejected > 0 {
                return Err(Error::invalid(
                    "file",
                    format!("签到表中有 {} 行存在问题，没有导入", preview.rejected),
                ));
            }
            if applied.is_none() {
                return Err(Error::invalid(
                    "yes",
                    "以上为预览，考勤没有改动；确认无误后加 --yes 导入",
                ));
            }
            Ok(())
        }
        MeetingCommand::Attendance { year, member, json } => {
            if let Some(code) = member {
                let a = ledger.member_attendance(&code, year)?;
                if json {
                    return print_json(&a);
                }
                for k in &a.by_kind {
                    out!(
                        "{}：应出席 {}，出席 {}，请假 {}，缺席 {}",
                        k.kind.label_zh(),
                        k.invited,
                        k.present,
                        k.leave,
                        k.absent
                    );
                }
                out!("出席率 {}", rate_text(a.rate));
                return Ok(());
            }
            let r = ledger.attendance_rates(year)?;
            if json {
                return print_json(&r);
            }
            out!("{year}年 按委员：");
            for m in &r.members {
                out!(
                    "  {} {}（{}）：应出席 {}，出席 {}，请假 {}，缺席 {}，出席率 {}",
                    m.key,
                    m.name,
                    m.sector.as_deref().unwrap_or("—"),
                    m.invited,
                    m.present,
                    m.leave,
                    m.absent,
                    rate_text(m.rate)
                );
            }
            out!("{year}年 按界别：");
            for s in &r.sectors {
                out!(
                    "  {}：应出席 {}，出席 {}，请假 {}，缺席 {}，出席率 {}",
                    s.name,
                    s.invited,
                    s.present,
                    s.leave,
                    s.absent,
                    rate_text(s.rate)
                );
            }
            Ok(())
        }
        MeetingCommand::Delete { id } => {
            let id = ledger.resolve_meeting_id(&id)?;
            ledger.delete_meeting(&id, now)?;
            out!("已删除会议 {id}");
            Ok(())
        }
    }
}

fn print_line(m: &Meeting) {
    let c = m.counts;
    out!(
        "{}  {}  {}  {}  受邀 {}：出席 {}，请假 {}，缺席 {}，未点名 {}",
        &m.id[..m.id.len().min(13)],
        m.input.date,
        m.input.kind.label_zh(),
        m.input.title,
        c.invited,
        c.present,
        c.leave,
        c.absent,
        c.pending
    );
}

fn print_detail(d: &MeetingDetail) {
    print_line(&d.meeting);
    for i in &d.invitees {
        let a = i.attendance.map_or("未点名", Attendance::label_zh);
        match &i.leave_reason {
            Some(r) => out!("  {} {}  {a}（{r}）", i.code, i.name),
            None => out!("  {} {}  {a}", i.code, i.name),
        }
    }
}
