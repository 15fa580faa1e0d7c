//! `lvzhi score`: 履职积分. The year's rules are read and changed a line at a time (or started
//! from the suggested set or another year's); scores are shown ranked within each sector, or
//! for one member with every record behind each item, and exported as a workbook.

use chrono::{DateTime, Utc};
use lvzhi_core::model::score::{points_text, ScorePer, ScoreRule};
use lvzhi_core::tally::TallyOptions;
use lvzhi_core::{files::write_atomically, Error, Ledger, Result};

use crate::args::ScoreCommand;
use crate::cmd::export::has_extension;
use crate::output::{out, print_json};

pub fn run(ledger: &Ledger, command: ScoreCommand, now: DateTime<Utc>) -> Result<()> {
    match command {
        ScoreCommand::Rules { year, json } => rules(ledger, year, json),
        ScoreCommand::Bases { json } => bases(json),
        ScoreCommand::Add {
            year,
            item,
            basis,
            points,
            cap,
            co_share,
        } => {
            let mut rules = ledger.score_rules(year)?.rules;
            rules.push(ScoreRule {
                item,
                basis,
                points: parse_points("points", &points)?,
                cap: cap.map(|c| parse_points("cap", &c)).transpose()?,
                co_share,
            });
            let kept = ledger.set_score_rules(year, &rules, now)?;
            out!("{year}年度积分规则：{} 条", kept.rules.len());
            Ok(())
        }
        ScoreCommand::Remove { year, item } => {
            let mut rules = ledger.score_rules(year)?.rules;
            let before = rules.len();
            rules.retain(|r| r.item != item.trim());
            if rules.len() == before {
                return Err(Error::NotFound {
                    what: "积分项目",
                    key: item,
                });
            }
            let kept = ledger.set_score_rules(year, &rules, now)?;
            out!("{year}年度积分规则：{} 条", kept.rules.len());
            Ok(())
        }
        ScoreCommand::Start {
            year,
            from,
            replace,
        } => {
            if !replace && !ledger.score_rules(year)?.rules.is_empty() {
                return Err(Error::invalid(
                    "year",
                    format!("{year}年度已有积分规则；要替换请加 --replace"),
                ));
            }
            let rules = match from {
                Some(from) => {
                    let rules = ledger.score_rules(from)?.rules;
                    if rules.is_empty() {
                        return Err(Error::invalid("from", format!("{from}年度没有积分规则")));
                    }
                    rules
                }
                None => Ledger::suggested_score_rules(),
            };
            let kept = ledger.set_score_rules(year, &rules, now)?;
            out!("{year}年度积分规则：{} 条", kept.rules.len());
            Ok(())
        }
        ScoreCommand::Show {
            year,
            member,
            sector,
            reviewed_only,
            json,
        } => show(ledger, year, member, sector, options(reviewed_only), json),
        ScoreCommand::Export {
            year,
            reviewed_only,
            out,
        } => {
            if !has_extension(&out, "xlsx") {
                return Err(Error::invalid("out", "积分表请保存为 .xlsx 文件"));
            }
            let (bytes, _) = ledger.scores_xlsx(year, &options(reviewed_only))?;
            write_atomically(&out, &bytes)?;
            out!("已导出{year}年度履职积分：{}", out.display());
            Ok(())
        }
    }
}

fn options(reviewed_only: bool) -> TallyOptions {
    TallyOptions {
        include_unreviewed: !reviewed_only,
        ..TallyOptions::default()
    }
}

/// "5", "-5", "2.5", "1.25" → hundredths of a point.
fn parse_points(field: &str, text: &str) -> Result<i64> {
    let bad = || Error::invalid(field, format!("分值“{text}”无法识别，请写成 5、-5 或 2.5"));
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, part) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || whole.len() > 7
        || part.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let hundredths = whole.parse::<i64>().map_err(|_| bad())? * 100
        + format!("{part:0<2}").parse::<i64>().map_err(|_| bad())?;
    Ok(if negative { -hundredths } else { hundredths })
}

fn rules(ledger: &Ledger, year: i32, json: bool) -> Result<()> {
    let rules = ledger.score_rules(year)?;
    if json {
        return print_json(&rules);
    }
    if rules.rules.is_empty() {
        out!("{year}年度还没有积分规则。用 lvzhi score start --year {year} 采用建议规则。");
        return Ok(());
    }
    let labels: std::collections::HashMap<String, String> = Ledger::score_bases()
        .into_iter()
        .map(|b| (b.code, b.label))
        .collect();
    for r in &rules.rules {
        let cap = r
            .cap
            .map(|c| format!("，年度上限 {}", points_text(c)))
            .unwrap_or_default();
        let share = if r.co_share != 100 {
            format!("，联名 {}%", r.co_share)
        } else {
            String::new()
        };
        out!(
            "{}\t{} 分\t{}{cap}{share}",
            r.item,
            points_text(r.points),
            labels.get(&r.basis).unwrap_or(&r.basis)
        );
    }
    Ok(())
}

fn bases(json: bool) -> Result<()> {
    let bases = Ledger::score_bases();
    if json {
        return print_json(&bases);
    }
    for b in bases {
        let per = match b.per {
            ScorePer::Attendance => "每次",
            ScorePer::Record => "每条",
        };
        out!("{}\t{}\t{}（{per}）", b.code, b.group, b.label);
    }
    Ok(())
}

fn show(
    ledger: &Ledger,
    year: i32,
    member: Option<String>,
    sector: Option<String>,
    options: TallyOptions,
    json: bool,
) -> Result<()> {
    if let Some(code) = member {
        let score = ledger.member_score(year, code.trim(), &options)?;
        if json {
            return print_json(&score);
        }
        out!(
            "{} {}（{}）{year}年度履职积分：{} 分",
            score.member_code,
            score.name,
            score.sector.as_deref().unwrap_or("未填界别"),
            points_text(score.total)
        );
        for item in &score.items {
            let capped = if item.capped {
                format!("（合计 {}，按上限计）", points_text(item.raw))
            } else {
                String::new()
            };
            out!(
                "  {}：{} 项，{} 分{capped}",
                item.item,
                item.count,
                points_text(item.points)
            );
            for f in &item.facts {
                out!(
                    "    {}  {}  {}  {}",
                    f.date,
                    f.title,
                    f.role,
                    points_text(f.points)
                );
            }
        }
        return Ok(());
    }
    let mut scores = ledger.year_scores(year, &options)?;
    if let Some(sector) = sector {
        scores
            .members
            .retain(|m| m.sector.as_deref() == Some(sector.trim()));
    }
    if json {
        return print_json(&scores);
    }
    for m in &scores.members {
        out!(
            "{}\t{}\t{}\t{}\t{}",
            m.sector.as_deref().unwrap_or("未填界别"),
            m.rank_in_sector,
            m.member_code,
            m.name,
            points_text(m.total)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_points;

    #[test]
    fn points_are_read_as_people_write_them() {
        for (text, hundredths) in [
            ("5", 500),
            ("-5", -500),
            ("−5", -500),
            ("+2.5", 250),
            ("1.25", 125),
            ("0.05", 5),
        ] {
            assert_eq!(parse_points("points", text).unwrap(), hundredths, "{text}");
        }
        for bad in [
            "", "-", "1.234", "abc", "1e3", "5分", "99999999", ".5", "--5",
        ] {
            assert!(parse_points("points", bad).is_err(), "{bad}");
        }
    }
}
