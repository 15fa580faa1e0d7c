//! Flag text into core values: dates, periods, service lines and amounts in 元.

use chrono::NaiveDate;
use lvzhi_core::model::ServiceLine;
use lvzhi_core::phrase::MoreWord;
use lvzhi_core::tally::{Period, TallyOptions};
use lvzhi_core::{Error, Result};

use crate::args::PeriodArgs;

/// The period and counting options the flags describe.
pub fn period_of(args: &PeriodArgs) -> Result<(Period, TallyOptions)> {
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

/// `2024-03-01` → a date.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("date", format!("日期“{text}”无法识别，请写成 YYYY-MM-DD")))
}

/// `义诊=120` → a service line.
pub fn parse_service(text: &str) -> Result<ServiceLine> {
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
pub fn parse_yuan(text: &str) -> Result<i64> {
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
