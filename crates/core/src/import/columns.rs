//! The vocabulary both imports share: how header text is compared and cell text cleaned,
//! which header names (aliases) mean which field, how the header row is found below title
//! rows, and how a column is named to the user (its Excel letter).
//!
//! Each import names its fields in an enum implementing [`Field`]; everything here works for
//! either.

use unicode_normalization::UnicodeNormalization;

use super::preview::Problem;
use super::sheet::Cell;

/// How many rows from the top the header is looked for in.
const HEADER_SEARCH_ROWS: usize = 30;

/// A field of an import, and the header names offices use for it.
pub(crate) trait Field: Copy + Eq + 'static {
    /// Each field with its header names; the first name is the field's standard name.
    const ALIASES: &'static [(Self, &'static [&'static str])];
    /// The field a header row must name (the member's or the studio's name).
    const NAME: Self;

    /// Whether a column of this field counts towards recognising the header row; columns
    /// known only to be left out (序号, 备注) do not.
    fn names_data(self) -> bool {
        true
    }
}

/// Header text as compared: NFKC, no whitespace, no marks like "*" or "（必填）".
pub(crate) fn header_key(text: &str) -> String {
    let t: String = text
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect();
    t.replace("(必填)", "").replace("(选填)", "")
}

/// The field a header names, by its aliases.
pub(crate) fn field_of<F: Field>(header: &str) -> Option<F> {
    let key = header_key(header);
    F::ALIASES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// A field's standard name: the first of its aliases.
pub(crate) fn label<F: Field>(field: F) -> &'static str {
    F::ALIASES
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, names)| names[0])
}

/// Trimmed, NFKC-normalised text: full-width digits and letters become plain, U+3000 spaces
/// become spaces. Full-width punctuation (：（），) is kept as typed: it is how Chinese text
/// is written, and turning 市人民医院（分院） into 市人民医院(分院) would change the record.
pub(crate) fn clean(text: &str) -> String {
    // Text already in NFKC (ASCII and common CJK ideographs, or what the quick check says
    // is NFKC) is only trimmed: each of its characters is its own NFKC.
    let plain = |c: char| c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if text.chars().all(plain)
        || unicode_normalization::is_nfkc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return text.trim().to_string();
    }
    clean_each_character(text)
}

/// `clean` the long way: each character to its NFKC form but CJK punctuation, then trimmed.
fn clean_each_character(text: &str) -> String {
    let is_cjk_punctuation = |c: char| matches!(c as u32, 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_cjk_punctuation(c) {
            out.push(c);
        } else {
            out.extend(std::iter::once(c).nfkc());
        }
    }
    out.trim().to_string()
}

/// A cell's text, cleaned (`clean`), without copying text cells first.
pub(crate) fn clean_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => clean(t),
        Cell::Empty => String::new(),
        other => clean(&other.text()),
    }
}

/// "A", "B", … "Z", "AA" …: the column letters a person sees in Excel.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Finds the header: the first of the top 30 rows naming the name field and at least one
/// more field that names data. Returns its index and the field of each of its cells.
pub(crate) fn find_header<F: Field>(rows: &[Vec<Cell>]) -> Option<(usize, Vec<Option<F>>)> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(i, row)| {
            let fields: Vec<Option<F>> = row.iter().map(|c| field_of(&c.text())).collect();
            let known = fields.iter().flatten().filter(|f| f.names_data()).count();
            (fields.contains(&Some(F::NAME)) && known >= 2).then_some((i, fields))
        })
}

/// The header as understood: where it is, and each column's text and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header<F> {
    /// The header row's index in the grid, from 0.
    pub index: usize,
    /// The first data row's index in the grid (below a second header row, if any).
    pub data_start: usize,
    /// Each column's header text, cleaned.
    pub texts: Vec<String>,
    /// Each column's field; `None` for a column no alias names.
    pub fields: Vec<Option<F>>,
}

impl<F: Field> Header<F> {
    /// The header at row `index` of `rows` with the given fields; data starts right below.
    pub fn at(rows: &[Vec<Cell>], index: usize, fields: Vec<Option<F>>) -> Self {
        Header {
            index,
            data_start: index + 1,
            texts: rows[index].iter().map(|c| clean(&c.text())).collect(),
            fields,
        }
    }

    /// The first column of a field, if the file has one.
    pub fn column_of(&self, field: F) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    pub fn has(&self, field: F) -> bool {
        self.column_of(field).is_some()
    }

    /// A row's cell in a field's column; empty when the file has no such column.
    pub fn cell_ref<'r>(&self, row: &'r [Cell], field: F) -> &'r Cell {
        self.column_of(field)
            .and_then(|c| row.get(c))
            .unwrap_or(&Cell::Empty)
    }

    /// A row's cleaned text in a field's column; empty when the file has no such column.
    pub fn text(&self, row: &[Cell], field: F) -> String {
        clean_cell(self.cell_ref(row, field))
    }

    /// A problem with a field of spreadsheet row `row` (from 1): at its column, under the
    /// header as written, or under the field's standard name when the file has no column
    /// for it.
    pub fn problem(&self, row: usize, field: F, reason: impl Into<String>) -> Problem {
        let c = self.column_of(field);
        Problem {
            row,
            column: c.map(column_letter).unwrap_or_default(),
            header: c
                .and_then(|c| self.texts.get(c).cloned())
                .unwrap_or_else(|| label(field).to_string()),
            reason: reason.into(),
        }
    }

    /// Headers no alias names, as written, in column order.
    pub fn unknown_columns(&self) -> Vec<String> {
        self.texts
            .iter()
            .enumerate()
            .filter(|(c, h)| !h.is_empty() && self.fields.get(*c).copied().flatten().is_none())
            .map(|(_, h)| h.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Toy {
        Name,
        Phone,
        Note,
    }

    impl Field for Toy {
        const ALIASES: &'static [(Self, &'static [&'static str])] = &[
            (Toy::Name, &["姓名", "名字"]),
            (Toy::Phone, &["电话", "手机"]),
            (Toy::Note, &["备注"]),
        ];
        const NAME: Self = Toy::Name;
        fn names_data(self) -> bool {
            self != Toy::Note
        }
    }

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(t.to_string())
                }
            })
            .collect()
    }

    #[test]
    fn header_keys_ignore_spacing_width_and_required_marks() {
        assert_eq!(header_key(" 手 机 "), "手机");
        assert_eq!(header_key("*姓名（必填）"), "姓名");
        assert_eq!(header_key("电话(选填)"), "电话");
        assert_eq!(field_of::<Toy>("名　字"), Some(Toy::Name));
        assert_eq!(field_of::<Toy>("爱好"), None);
        assert_eq!(label(Toy::Phone), "电话");
    }

    #[test]
    fn cleaning_text_already_in_nfkc_gives_what_the_long_way_gives() {
        let samples = [
            "王　强",
            " 市人民医院（分院）：主任 ",
            "１３９",
            "e\u{301}",
            "\u{301}e",
        ];
        for text in samples {
            assert_eq!(clean(text), clean_each_character(text), "{text:?}");
        }
        for c in (0..0x3_0000u32).filter_map(char::from_u32) {
            for text in [format!("甲{c}乙"), format!("{c}"), format!("{c}\u{301}")] {
                assert_eq!(clean(&text), clean_each_character(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn column_letters_run_on_past_z() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            got,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"].map(String::from)
        );
    }

    #[test]
    fn the_header_is_the_first_row_naming_the_name_and_another_data_field() {
        let rows = vec![
            row(&["某某区政协委员名单"]),
            row(&["姓名", "备注"]),
            row(&["序", "名字", "手机", "爱好"]),
            row(&["1", "王强", "13900000000", "钓鱼"]),
        ];
        let (index, fields) = find_header::<Toy>(&rows).unwrap();
        assert_eq!(index, 2, "备注 does not name data");
        assert_eq!(fields, vec![None, Some(Toy::Name), Some(Toy::Phone), None]);
        let header = Header::at(&rows, index, fields);
        assert_eq!(header.data_start, 3);
        assert_eq!(header.unknown_columns(), vec!["序", "爱好"]);
        assert_eq!(header.text(&rows[3], Toy::Phone), "13900000000");
        assert_eq!(header.cell_ref(&rows[3], Toy::Note), &Cell::Empty);
        let p = header.problem(4, Toy::Phone, "错");
        assert_eq!(
            (p.row, p.column.as_str(), p.header.as_str()),
            (4, "C", "手机")
        );
        let p = header.problem(4, Toy::Note, "错");
        assert_eq!((p.column.as_str(), p.header.as_str()), ("", "备注"));
    }

    #[test]
    fn no_header_within_thirty_rows_is_none() {
        let mut rows: Vec<Vec<Cell>> = (0..30).map(|_| row(&["说明文字"])).collect();
        rows.push(row(&["姓名", "电话"]));
        assert_eq!(find_header::<Toy>(&rows), None);
        assert_eq!(find_header::<Toy>(&rows[1..]).map(|(i, _)| i), Some(29));
    }
}
