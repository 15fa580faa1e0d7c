//! `lvzhi proposal` and `lvzhi opinion`: proposals with the office's stages (立案, 承办单位,
//! 办复, satisfaction, 重点) and opinion reports with their adoptions and instructions.

use chrono::{DateTime, Datelike, Utc};
use lvzhi_core::model::proposals::{
    AdoptionKind, OpinionAdoption, OpinionReport, Proposal, ProposalUnit, UnitRole,
};
use lvzhi_core::{Error, Ledger, Result};

use crate::args::{OpinionCommand, ProposalCommand};
use crate::output::{out, print_json};
use crate::parse::parse_date;

/// The person's own date; a 办复 or an adoption may not be after it.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn year_or_this(year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| today().year())
}

/// Runs one `lvzhi proposal` subcommand.
pub fn run(ledger: &Ledger, command: ProposalCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        ProposalCommand::List { year, stage, json } => {
            let stage = stage.map(|s| s.parse()).transpose()?;
            let list = ledger.list_proposals(year_or_this(year), stage)?;
            if json {
                return print_json(&list);
            }
            for p in &list {
                print_proposal(p);
            }
            Ok(())
        }
        ProposalCommand::Show { id, json } => {
            let p = ledger.proposal(&ledger.resolve_activity_id(&id)?)?;
            if json {
                return print_json(&p);
            }
            print_proposal(&p);
            Ok(())
        }
        ProposalCommand::Stage {
            id,
            filing,
            serial,
            merged_into,
            units,
            answered,
            satisfaction,
            key,
            not_key,
            json,
        } => {
            let id = ledger.resolve_activity_id(&id)?;
            let mut stage = ledger.proposal(&id)?.stage;
            if let Some(f) = filing {
                stage.filing = f.parse()?;
            }
            if let Some(s) = serial {
                stage.serial = Some(s);
            }
            if let Some(m) = merged_into {
                stage.merged_into = Some(m);
            }
            if !units.is_empty() {
                stage.units = units.iter().map(|u| unit(u)).collect::<Result<_>>()?;
            }
            if let Some(day) = answered {
                stage.answered_on = Some(parse_date(&day)?);
            }
            if let Some(s) = satisfaction {
                stage.satisfaction = Some(s.parse()?);
            }
            if key || not_key {
                stage.key_proposal = key;
            }
            let p = ledger.set_proposal_stage(&id, stage, today(), now)?;
            if json {
                return print_json(&p);
            }
            print_proposal(&p);
            Ok(())
        }
    }
}

/// "主办:市教育局" (or host:市教育局, with a full-width colon too) as a unit and its part.
fn unit(text: &str) -> Result<ProposalUnit> {
    let (role, name) = text.split_once([':', '：']).ok_or_else(|| {
        Error::invalid(
            "units",
            format!("承办单位请写成 主办:单位名 或 会办:单位名：{text}"),
        )
    })?;
    Ok(ProposalUnit {
        role: role.parse::<UnitRole>()?,
        unit: name.trim().to_string(),
    })
}

fn print_proposal(p: &Proposal) {
    let i = &p.activity.input;
    let short: String = p.activity.id.chars().take(8).collect();
    out!(
        "{short}  {}  {}  {}",
        i.date.format("%Y-%m-%d"),
        i.title,
        p.stage_text()
    );
}

fn print_opinion(o: &OpinionReport) {
    let i = &o.activity.input;
    let short: String = o.activity.id.chars().take(8).collect();
    let adopted: Vec<String> = o.adoptions.iter().map(|a| a.text()).collect();
    out!(
        "{short}  {}  {}  {}",
        i.date.format("%Y-%m-%d"),
        i.title,
        adopted.join("、")
    );
}

/// Runs one `lvzhi opinion` subcommand.
pub fn opinion(ledger: &Ledger, command: OpinionCommand) -> Result<()> {
    let adopt = |id: &str, kind, level: &str, leader, date: Option<String>, note, json| {
        let id = ledger.resolve_activity_id(id)?;
        let adoption = OpinionAdoption {
            kind,
            level: level.parse()?,
            leader,
            date: date.map(|d| parse_date(&d)).transpose()?,
            note,
        };
        let o = ledger.adopt_opinion(&id, adoption, today())?;
        if json {
            return print_json(&o);
        }
        print_opinion(&o);
        Ok(())
    };
    match command {
        OpinionCommand::List { year, json } => {
            let list = ledger.list_opinions(year_or_this(year))?;
            if json {
                return print_json(&list);
            }
            for o in &list {
                print_opinion(o);
            }
            Ok(())
        }
        OpinionCommand::Adopt {
            id,
            level,
            leader,
            date,
            note,
            json,
        } => adopt(&id, AdoptionKind::Adopted, &level, leader, date, note, json),
        OpinionCommand::Instruction {
            id,
            level,
            leader,
            date,
            note,
            json,
        } => adopt(
            &id,
            AdoptionKind::Instruction,
            &level,
            Some(leader),
            date,
            note,
            json,
        ),
        OpinionCommand::Remove { id, kind, level } => {
            let id = ledger.resolve_activity_id(&id)?;
            let o = ledger.unadopt_opinion(&id, kind.parse()?, level.parse()?)?;
            print_opinion(&o);
            Ok(())
        }
        OpinionCommand::Counts { year, json } => {
            let c = ledger.opinion_counts(year_or_this(year))?;
            if json {
                return print_json(&c);
            }
            out!(
                "{}年社情民意信息 {} 篇，被采用或获批示 {} 篇",
                c.year,
                c.reports,
                c.reports_adopted
            );
            for (label, n) in [
                ("全国政协采用", c.adopted.national),
                ("省级采用", c.adopted.provincial),
                ("地市级采用", c.adopted.city),
                ("本级采用", c.adopted.local),
                ("全国政协领导批示", c.instructions.national),
                ("省级领导批示", c.instructions.provincial),
                ("地市级领导批示", c.instructions.city),
                ("本级领导批示", c.instructions.local),
            ] {
                out!("{label}：{n} 篇");
            }
            Ok(())
        }
    }
}
