//! What the previews of both imports share: a problem at a row and column, a row's fate
//! (new / changed / unchanged / rejected), skipped rows, the counting part of a preview
//! ([`PreviewHead`]), and the walk over a file's data rows that skips blank and 合计 rows and
//! screens control characters.

use std::ops::Deref;

use serde::Serialize;
use ts_rs::TS;

use super::columns::column_letter;
use super::sheet::Cell;

/// One problem: where, and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    /// Spreadsheet row, counting from 1 as Excel does.
    #[ts(type = "number")]
    pub row: usize,
    /// Column letter, or empty for a problem with the whole row.
    pub column: String,
    /// The column's header as written in the file.
    pub header: String,
    pub reason: String,
}

/// What will happen to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowStatus {
    New,
    Changed,
    Unchanged,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub row: usize,
    pub code: String,
    pub name: String,
    pub status: RowStatus,
    /// For a changed row: which fields change, by their Chinese names.
    pub changes: Vec<String>,
}

/// A row that was passed over, and why (blank, 合计).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SkippedRow {
    #[ts(type = "number")]
    pub row: usize,
    pub reason: String,
}

/// The part of a preview both imports have: unknown columns, the counts (which add up:
/// new + changed + unchanged + rejected = rows read), every row's fate, skipped rows and
/// problems, then what only one import says (`more`).
///
/// Each preview embeds it flattened after its own leading fields, so the JSON and the
/// TypeScript types read as one flat object, exactly as before it was shared; its fields
/// read through the preview (`preview.rows_read`), and `more`'s through it in turn.
// The fields carry no doc comments on purpose: ts-rs would write them into the bindings
// of both previews, which must stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PreviewHead<M> {
    pub unknown_columns: Vec<String>,
    #[ts(type = "number")]
    pub rows_read: usize,
    #[ts(type = "number")]
    pub new: usize,
    #[ts(type = "number")]
    pub changed: usize,
    #[ts(type = "number")]
    pub unchanged: usize,
    #[ts(type = "number")]
    pub rejected: usize,
    pub rows: Vec<PreviewRow>,
    pub skipped: Vec<SkippedRow>,
    pub problems: Vec<Problem>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub more: M,
}

impl<M> PreviewHead<M> {
    /// An empty head: nothing read yet.
    pub(crate) fn new(unknown_columns: Vec<String>, skipped: Vec<SkippedRow>, more: M) -> Self {
        PreviewHead {
            unknown_columns,
            rows_read: 0,
            new: 0,
            changed: 0,
            unchanged: 0,
            rejected: 0,
            rows: Vec::new(),
            skipped,
            problems: Vec::new(),
            more,
        }
    }

    /// Counts a data row with its fate and problems.
    pub(crate) fn push(&mut self, row: PreviewRow, problems: Vec<Problem>) {
        self.rows_read += 1;
        match row.status {
            RowStatus::New => self.new += 1,
            RowStatus::Changed => self.changed += 1,
            RowStatus::Unchanged => self.unchanged += 1,
            RowStatus::Rejected => self.rejected += 1,
        }
        self.rows.push(row);
        self.problems.extend(problems);
    }
}

impl<M> Deref for PreviewHead<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.more
    }
}

/// A row's fate once compared with the ledger: rejected if it has any problem, new if the
/// ledger has no such record, else unchanged or changed.
pub(crate) fn status_of(problems: &[Problem], on_ledger: bool, same: bool) -> RowStatus {
    match (problems.is_empty(), on_ledger, same) {
        (false, _, _) => RowStatus::Rejected,
        (true, false, _) => RowStatus::New,
        (true, true, true) => RowStatus::Unchanged,
        (true, true, false) => RowStatus::Changed,
    }
}

/// The labels of the fields that changed, in the order given.
pub(crate) fn changed_labels<const N: usize>(fields: [(&str, bool); N]) -> Vec<String> {
    fields
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(label, _)| label.to_string())
        .collect()
}

/// Nothing more: the studio preview says nothing beyond the shared head. It adds no field
/// to the JSON or to the TypeScript type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NothingMore {}

// By hand, because a derived empty type would leave a double space in the generated
// binding; this one flattens to nothing at all.
impl TS for NothingMore {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn name(_: &ts_rs::Config) -> String {
        "NothingMore".to_owned()
    }

    fn inline(_: &ts_rs::Config) -> String {
        "{ }".to_owned()
    }

    fn inline_flattened(_: &ts_rs::Config) -> String {
        "{ }".to_owned()
    }
}

/// One line of a file below its header: a data row (control characters screened), or a
/// row passed over.
pub(crate) enum Line<'a> {
    Data(DataRow<'a>),
    Skipped(SkippedRow),
}

/// A data row as the checks see it.
pub(crate) struct DataRow<'a> {
    /// Spreadsheet row, from 1.
    pub row: usize,
    /// The cells, each control character replaced by U+FFFD (copied only then).
    pub cells: std::borrow::Cow<'a, [Cell]>,
    /// The columns where there were control characters: each one is a problem.
    pub control_columns: Vec<usize>,
}

/// The lines of `rows` from index `start` on, in order.
pub(crate) fn lines(rows: &[Vec<Cell>], start: usize) -> impl Iterator<Item = Line<'_>> + '_ {
    rows.iter()
        .enumerate()
        .skip(start)
        .map(|(r, cells)| match skip_reason(cells) {
            Some(reason) => Line::Skipped(SkippedRow {
                row: r + 1,
                reason: reason.into(),
            }),
            None => {
                let (cells, control_columns) = screen_row(cells);
                Line::Data(DataRow {
                    row: r + 1,
                    cells,
                    control_columns,
                })
            }
        })
}

/// Why a data row of an office spreadsheet is passed over, if it is: a blank row, or a
/// 合计 / 总计 / 小计 / 共计 row (its first cells start with one of those words).
pub(crate) fn skip_reason(row: &[Cell]) -> Option<&'static str> {
    if row.iter().all(Cell::is_empty) {
        return Some("空行");
    }
    // The first two characters of the first three cells' cleaned text, spaces left out.
    let mut leading = ['\0'; 2];
    let mut found = 0;
    'cells: for cell in row.iter().take(3) {
        for c in super::columns::clean_cell(cell)
            .chars()
            .filter(|c| *c != ' ')
        {
            leading[found] = c;
            found += 1;
            if found == leading.len() {
                break 'cells;
            }
        }
    }
    matches!(leading, ['合' | '总' | '小' | '共', '计']).then_some("合计行")
}

/// A data row with every control character (NUL, ESC …) in its text replaced by U+FFFD, and
/// the columns where there were any. Such text is never stored: the row becomes a problem
/// at those columns, and messages that quote the row quote the screened text.
pub(crate) fn screen_row(row: &[Cell]) -> (std::borrow::Cow<'_, [Cell]>, Vec<usize>) {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    let clean = |cell: &Cell| !matches!(cell, Cell::Text(t) if t.chars().any(is_bad));
    if row.iter().all(clean) {
        return (std::borrow::Cow::Borrowed(row), Vec::new());
    }
    let mut bad = Vec::new();
    let screened = row
        .iter()
        .enumerate()
        .map(|(i, cell)| match cell {
            Cell::Text(t) if t.chars().any(is_bad) => {
                bad.push(i);
                Cell::Text(
                    t.chars()
                        .map(|c| if is_bad(c) { '\u{FFFD}' } else { c })
                        .collect(),
                )
            }
            other => other.clone(),
        })
        .collect();
    (std::borrow::Cow::Owned(screened), bad)
}

/// A problem for each column of a row where `screen_row` found control characters.
pub(crate) fn control_problems(row: usize, columns: &[usize], headers: &[String]) -> Vec<Problem> {
    columns
        .iter()
        .map(|&c| Problem {
            row,
            column: column_letter(c),
            header: headers.get(c).cloned().unwrap_or_default(),
            reason: "含有不可见的控制字符（如 NUL、ESC），请删除后重新导入".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_total_rows_are_skipped_and_control_characters_screened() {
        let text = |t: &str| Cell::Text(t.into());
        let rows = vec![
            vec![text("姓名")],
            vec![Cell::Empty, text("  ")],
            vec![text("合 计"), Cell::Number(3.0)],
            vec![text("王\u{1b}强"), text("男"), text("\u{0}")],
        ];
        let got: Vec<String> = lines(&rows, 1)
            .map(|line| match line {
                Line::Skipped(s) => format!("{} {}", s.row, s.reason),
                Line::Data(d) => format!("{} {:?} {:?}", d.row, d.cells[0], d.control_columns),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                "2 空行".to_string(),
                "3 合计行".to_string(),
                "4 Text(\"王\u{FFFD}强\") [0, 2]".to_string(),
            ]
        );
        let p = control_problems(4, &[0, 2], &["姓名".into()]);
        assert_eq!(
            p.iter()
                .map(|p| (p.column.as_str(), p.header.as_str()))
                .collect::<Vec<_>>(),
            vec![("A", "姓名"), ("C", "")]
        );
    }

    #[test]
    fn counts_add_up_and_a_row_with_problems_is_rejected() {
        let mut head = PreviewHead::new(Vec::new(), Vec::new(), NothingMore {});
        for (problems, on_ledger, same) in [
            (0, false, false),
            (0, true, true),
            (0, true, false),
            (1, true, true),
            (2, false, false),
        ] {
            let problems: Vec<Problem> = (0..problems)
                .map(|_| Problem {
                    row: 2,
                    column: "A".into(),
                    header: "姓名".into(),
                    reason: "错".into(),
                })
                .collect();
            let status = status_of(&problems, on_ledger, same);
            let row = PreviewRow {
                row: 2,
                code: String::new(),
                name: String::new(),
                status,
                changes: Vec::new(),
            };
            head.push(row, problems);
        }
        assert_eq!(
            (
                head.rows_read,
                head.new,
                head.unchanged,
                head.changed,
                head.rejected
            ),
            (5, 1, 1, 1, 2)
        );
        assert_eq!(head.problems.len(), 3);
    }

    #[test]
    fn nothing_more_adds_nothing_to_the_json() {
        let head = PreviewHead::new(vec!["爱好".into()], Vec::new(), NothingMore {});
        let json = serde_json::to_value(&head).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 9, "{keys:?}");
        assert!(!keys.contains(&"more"));
    }
}
