//! The aggregate queries behind the tally. Counting rules live here in SQL: tombstoned and
//! draft records never count; an activity counts once however many members took part.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::model::Category;

/// Sums over one category's records in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategorySums {
    pub records: i64,
    pub people_served: i64,
    pub items_received: i64,
    pub items_resolved: i64,
    pub funds_fen: i64,
}

/// Per-category sums for records dated `from..=to`.
pub fn sums_by_category(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Category, CategorySums)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT category, count(*), sum(people_served), sum(items_received),
                sum(items_resolved), sum(funds_fen)
           FROM activities
          WHERE deleted = 0 AND status <> 'draft' AND date >= ?1 AND date <= ?2
          GROUP BY category",
    )?;
    let rows = stmt.query_map(
        params![
            from.format("%Y-%m-%d").to_string(),
            to.format("%Y-%m-%d").to_string()
        ],
        |r| {
            let category: String = r.get(0)?;
            let sums = CategorySums {
                records: r.get(1)?,
                people_served: r.get(2)?,
                items_received: r.get(3)?,
                items_resolved: r.get(4)?,
                funds_fen: r.get(5)?,
            };
            Ok((category, sums))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (category, sums) = row?;
        if let Ok(category) = category.parse::<Category>() {
            out.push((category, sums));
        }
    }
    out.sort_by_key(|(c, _)| *c);
    Ok(out)
}
