//! Writes the hostile corpus of issue 10 (tests/hostile/README.md says what each file is for):
//!
//! ```sh
//! cargo run -p lvzhi-core --example make_hostile_corpus -- tests/hostile/corpus
//! ```
//!
//! Every file is made from fixed seeds, ids and times, so running it again gives the same
//! bytes. Files too large to commit (a 5 MB name, a 20 MB roster, a 30 MB package body, a
//! 2 GiB sparse file, devices and FIFOs) are made by the test itself
//! (`crates/cli/tests/hostile.rs`) in a temporary folder.
//!
//! Packages are signed with fixed keys, so they pass the signature check and reach the merge:
//! laptop A (`LAPTOP_A_SEED`, member 15001 of the demo roster), laptop B (another key for the
//! same member) and the office (`OFFICE_SEED`, roster packages). The records are written as
//! JSON, not through the model's types, so values no valid record may hold can be written.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use lvzhi_core::exchange::{seal, signing_key, PackageHeader, PackageKind};
use rusqlite::Connection;
use serde_json::{json, Value};

/// The seeds of the three signing keys; `crates/cli/tests/hostile.rs` uses the same ones.
const LAPTOP_A_SEED: u8 = 0xA1;
const LAPTOP_B_SEED: u8 = 0xB2;
const OFFICE_SEED: u8 = 0x0F;
/// The member of the demo roster (`lvzhi demo`) whose packages these are.
const MEMBER: &str = "15001";

fn main() {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/hostile/corpus"));
    std::fs::create_dir_all(&out).expect("create the corpus folder");
    let mut corpus = Corpus { dir: out, total: 0 };
    spreadsheets(&mut corpus);
    member_packages(&mut corpus);
    roster_packages(&mut corpus);
    println!(
        "hostile corpus: {} bytes in {}",
        corpus.total,
        corpus.dir.display()
    );
}

struct Corpus {
    dir: PathBuf,
    total: u64,
}

impl Corpus {
    fn put(&mut self, name: &str, bytes: &[u8]) {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.total += bytes.len() as u64;
        println!("{:>10}  {name}", bytes.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Zips, written by hand so a zip bomb can be assembled from one compressed chunk.

struct ZipEntry {
    name: String,
    crc: u32,
    size: u32,
    deflated: Vec<u8>,
}

/// Deflates `input` (or continues a stream) with `flush`, returning what was written.
fn deflate_step(c: &mut Compress, mut input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let (in0, out0) = (c.total_in(), c.total_out());
        let status = c.compress(input, &mut buf, flush).expect("deflate");
        let used = (c.total_in() - in0) as usize;
        let made = (c.total_out() - out0) as usize;
        out.extend_from_slice(&buf[..made]);
        input = &input[used..];
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => input.is_empty() && made < buf.len(),
        };
        if done {
            return out;
        }
    }
}

fn entry(name: &str, data: &[u8]) -> ZipEntry {
    let mut c = Compress::new(Compression::best(), false);
    let deflated = deflate_step(&mut c, data, FlushCompress::Finish);
    let mut crc = Crc::new();
    crc.update(data);
    ZipEntry {
        name: name.into(),
        crc: crc.sum(),
        size: u32::try_from(data.len()).expect("under 4 GiB"),
        deflated,
    }
}

/// `prefix`, then `unit` repeated until `total` bytes, then `suffix`, deflated without ever
/// holding more than one chunk: the chunk is compressed once after a full flush (which
/// forgets all history) and its compressed bytes are repeated.
fn bomb_entry(name: &str, prefix: &[u8], unit: &[u8], total: u64, suffix: &[u8]) -> ZipEntry {
    let per_chunk = (4 << 20) / unit.len();
    let chunk: Vec<u8> = unit.repeat(per_chunk);
    let chunks = total / chunk.len() as u64;
    let mut c = Compress::new(Compression::best(), false);
    let mut deflated = deflate_step(&mut c, prefix, FlushCompress::Full);
    let compressed_chunk = deflate_step(&mut c, &chunk, FlushCompress::Full);
    for _ in 0..chunks {
        deflated.extend_from_slice(&compressed_chunk);
    }
    deflated.extend(deflate_step(&mut c, suffix, FlushCompress::Full));
    deflated.extend(deflate_step(&mut c, &[], FlushCompress::Finish));

    let mut crc = Crc::new();
    crc.update(prefix);
    let mut chunk_crc = Crc::new();
    chunk_crc.update(&chunk);
    for _ in 0..chunks {
        crc.combine(&chunk_crc);
    }
    let mut tail = Crc::new();
    tail.update(suffix);
    crc.combine(&tail);
    let size = prefix.len() as u64 + chunks * chunk.len() as u64 + suffix.len() as u64;
    ZipEntry {
        name: name.into(),
        crc: crc.sum(),
        size: u32::try_from(size).expect("under 4 GiB"),
        deflated,
    }
}

fn zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: usize| (v as u16).to_le_bytes();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_dir {
                h.extend(u16le(20)); // made by
            }
            h.extend(u16le(20)); // needed
            h.extend(u16le(0)); // flags
            h.extend(u16le(8)); // deflate
            h.extend(u16le(0)); // time
            h.extend(u16le(0x5821)); // date: 2024-01-01
            h.extend(e.crc.to_le_bytes());
            h.extend((e.deflated.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend(u16le(e.name.len()));
            h.extend(u16le(0)); // extra
            if central_dir {
                h.extend(u16le(0)); // comment
                h.extend(u16le(0)); // disk
                h.extend(u16le(0)); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&e.deflated);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u16le(entries.len()));
    out.extend(u16le(entries.len()));
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(u16le(0));
    out
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// The parts of an xlsx besides its one sheet.
fn xlsx_parts() -> Vec<ZipEntry> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="委员名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    vec![
        entry("[Content_Types].xml", content_types.as_bytes()),
        entry("_rels/.rels", rels.as_bytes()),
        entry("xl/workbook.xml", workbook.as_bytes()),
        entry("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
    ]
}

fn xlsx_with(sheet: ZipEntry) -> Vec<u8> {
    let mut parts = xlsx_parts();
    parts.push(sheet);
    zip(&parts)
}

/// An xlsx whose sheet is `sheet_data` (the inside of `<sheetData>`), with `before` (a
/// `<dimension>`) and `after` (`<mergeCells>`) around it.
fn xlsx(before: &str, sheet_data: &str, after: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}">{before}<sheetData>{sheet_data}</sheetData>{after}</worksheet>"#
    );
    xlsx_with(entry("xl/worksheets/sheet1.xml", sheet.as_bytes()))
}

/// An inline text cell.
fn c(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A roster row at row `r` with cells in A, B, C, D.
fn row(r: u32, cells: [&str; 4]) -> String {
    let cols = ["A", "B", "C", "D"];
    let inner: String = cells
        .iter()
        .zip(cols)
        .map(|(t, col)| c(&format!("{col}{r}"), t))
        .collect();
    format!(r#"<row r="{r}">{inner}</row>"#)
}

const HEADER: [&str; 4] = ["委员编号", "姓名", "性别", "界别"];
const WANG: [&str; 4] = ["15001", "王强", "男", "医药卫生"];
const LI: [&str; 4] = ["15002", "李梅", "女", "教育"];

fn roster_rows() -> String {
    format!("{}{}{}", row(1, HEADER), row(2, WANG), row(3, LI))
}

// ---------------------------------------------------------------------------------------------

fn html_table(rows: &[Vec<String>]) -> String {
    let mut t = String::from("<table border=\"1\">\n");
    for r in rows {
        t.push_str("<tr>");
        for cell in r {
            t.push_str(&format!("<td>{cell}</td>"));
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</table>");
    t
}

/// A page saved from office software as .xls: `before` in the title and in the text above
/// the table.
fn html_page(before: &str, rows: &[Vec<String>]) -> String {
    format!(
        "<html><head><meta charset=\"utf-8\"><title>{before}</title></head><body>\n<p>{before}</p>\n<p>{before}委员名单（{before}）</p>{}\n</body></html>\n",
        html_table(rows)
    )
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn spreadsheets(corpus: &mut Corpus) {
    let roster = strings(&[&HEADER, &WANG, &LI]);
    let studios = strings(&[
        &["工作室名称", "类型", "特色", "负责人", "成员"],
        &[
            "医药卫生界别委员工作室（二）",
            "界别型",
            "",
            "15001",
            "15001、15002",
        ],
        &[
            "法律服务委员工作室（二）",
            "特色型",
            "服务特色：法律服务",
            "15003",
            "15003",
        ],
    ]);
    // Lowercasing İ (2 bytes) gives "i̇" (3 bytes) and the Kelvin sign K (3 bytes) gives "k"
    // (1 byte): offsets found in a lowercased copy land elsewhere, often inside a character.
    let dotted = "İSTANBUL İzmir 名单İ汇总İ表";
    let kelvin = "\u{212A}ELVIN 名单\u{212A}汇总\u{212A}表\u{212A}";
    corpus.put(
        "roster-html-dotted-capital-i.xls",
        html_page(dotted, &roster).as_bytes(),
    );
    corpus.put(
        "roster-html-kelvin-sign.xls",
        html_page(kelvin, &roster).as_bytes(),
    );
    corpus.put(
        "studio-html-dotted-capital-i.xls",
        html_page(dotted, &studios).as_bytes(),
    );
    corpus.put(
        "studio-html-kelvin-sign.xls",
        html_page(kelvin, &studios).as_bytes(),
    );

    // A control: the same hand-made xlsx as the hostile ones below, but well-formed.
    corpus.put("roster-xlsx-baseline.xlsx", &xlsx("", &roster_rows(), ""));
    corpus.put(
        "roster-xlsx-one-cell-at-XFD1048576.xlsx",
        &xlsx(
            "",
            &format!(r#"<row r="1048576">{}</row>"#, c("XFD1048576", "x")),
            "",
        ),
    );
    corpus.put(
        "roster-xlsx-A1-and-XFD1048576.xlsx",
        &xlsx(
            "",
            &format!(
                r#"{}<row r="1048576">{}</row>"#,
                roster_rows(),
                c("XFD1048576", "x")
            ),
            "",
        ),
    );
    corpus.put(
        "roster-xlsx-huge-dimension.xlsx",
        &xlsx(r#"<dimension ref="A1:XFD1048576"/>"#, &roster_rows(), ""),
    );
    corpus.put(
        "roster-xlsx-merge-whole-sheet.xlsx",
        &xlsx(
            "",
            &roster_rows(),
            r#"<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
        ),
    );

    // Zip bombs: about 1 GiB of sheet XML each.
    const GIB: u64 = 1 << 30;
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}"><sheetData>{}<row r="2">{}{}"#,
        row(1, HEADER),
        c("A2", "15001"),
        r#"<c r="B2" t="inlineStr"><is><t>"#
    );
    corpus.put(
        "roster-xlsx-zip-bomb-one-1gib-cell.xlsx",
        &xlsx_with(bomb_entry(
            "xl/worksheets/sheet1.xml",
            head.as_bytes(),
            b"A",
            GIB,
            b"</t></is></c></row></sheetData></worksheet>",
        )),
    );
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}"><sheetData>{}<row>"#,
        row(1, HEADER),
    );
    corpus.put(
        "roster-xlsx-zip-bomb-70m-cells.xlsx",
        &xlsx_with(bomb_entry(
            "xl/worksheets/sheet1.xml",
            head.as_bytes(),
            b"<c><v>1</v></c>",
            GIB,
            b"</row></sheetData></worksheet>",
        )),
    );

    let good = xlsx("", &roster_rows(), "");
    corpus.put("roster-xlsx-truncated.xlsx", &good[..good.len() / 2]);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/roster/roster.xls");
    let xls = std::fs::read(&fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    corpus.put("roster-xls-truncated.xls", &xls[..xls.len() / 2]);
    let mut junk = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    corpus.put("roster-xls-ole-magic-then-junk.xls", &junk);

    // 100 cells spanning 1000 × 1000 each: 10⁸ cells if spread.
    let spans: String = (0..100)
        .map(|i| format!(r#"<td colspan="1000" rowspan="1000">{i}</td>"#))
        .collect();
    corpus.put(
        "roster-html-spans-100x1000.xls",
        format!("<html><body><table><tr>{spans}</tr></table></body></html>\n").as_bytes(),
    );
    // One row of 100,000 columns, about 1 MB.
    let mut wide = String::from(
        "<html><body><table>\n<tr><td>委员编号</td><td>姓名</td><td>性别</td></tr>\n<tr>",
    );
    for _ in 0..100_000 {
        wide.push_str("<td>1</td>");
    }
    wide.push_str("</tr>\n</table></body></html>\n");
    corpus.put("roster-html-100k-columns.xls", wide.as_bytes());

    // The reader sniffs the first 4096 characters for control characters: the hostile rows of
    // the next files come after that many characters of valid rows, so only the checks of
    // each field can refuse them.
    let padded = |header: &str, row: &dyn Fn(usize) -> String, tail: &str| {
        let mut csv = format!("{header}\n");
        let mut n = 0;
        while csv.chars().count() < 5000 {
            n += 1;
            csv.push_str(&row(n));
        }
        csv.push_str(tail);
        csv
    };
    let member_row = |n: usize| format!("{},委员{n},男,教育,市第{n}中学\n", 16000 + n);
    corpus.put(
        "roster-csv-nul-after-4k.csv",
        padded(
            "委员编号,姓名,性别,界别,工作单位及职务",
            &member_row,
            "16999,王\u{0}强\u{0},男,教育,市医院\n",
        )
        .as_bytes(),
    );

    corpus.put(
        "roster-csv-long-name-40000.csv",
        format!("委员编号,姓名,性别\n15001,{},男\n", "名".repeat(40_000)).as_bytes(),
    );
    corpus.put(
        "roster-csv-control-characters.csv",
        padded(
            "委员编号,姓名,性别,界别,工作单位及职务",
            &member_row,
            "15001,\u{1b}[31m王强\u{1b}[0m,男,教育,市医院\n15002,李梅\u{7},女,教育,市一中\u{1b}]0;title\u{7}\n15003,张\u{7f}伟,男,教育,\u{9b}2J律师事务所\n",
        )
        .as_bytes(),
    );
    let (gbk, _, _) = encoding_rs::GBK
        .encode("委员编号,姓名,性别,界别\n15001,王强,男,医药卫生\n15002,李梅,女,教育\n");
    let mut gbk = gbk.into_owned();
    let at = gbk.len() - 8;
    gbk.splice(at..at, [0xFF, 0xFF, 0x80]);
    gbk.push(0xB0); // a lead byte with nothing after it
    corpus.put("roster-csv-gbk-invalid-bytes.csv", &gbk);
    corpus.put("roster-empty.csv", b"");
    corpus.put("roster-whitespace-only.csv", b" \r\n\t\n  \n");

    corpus.put(
        "studio-csv-control-characters-and-long-text.csv",
        padded(
            "工作室名称,类型,特色,负责人,成员",
            &|n| format!("第{n}委员工作室,特色型,服务特色：法律服务,15001,15001、15002\n"),
            &format!(
                "\u{1b}[31m红色工作室,特色型,服务特色：法律服务,15001,15001\n长文本工作室,特色型,{},15002,15002\n",
                "特".repeat(40_000)
            ),
        )
        .as_bytes(),
    );
}

// ---------------------------------------------------------------------------------------------

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 12, 1, 8, 0, 0).unwrap()
}

/// A ledger in memory whose signing key is made from `seed`.
fn signer(seed: u8) -> Connection {
    let conn = lvzhi_core::db::open_in_memory().expect("ledger in memory");
    let hex: String = std::iter::repeat_n(format!("{seed:02x}"), 32).collect();
    lvzhi_core::db::settings::set(&conn, "signing_key", &hex).expect("store the key");
    conn
}

fn uuid(n: u32) -> String {
    format!("0190a000-0000-7000-8000-{n:012}")
}

/// A valid record of member 15001: an inspection in 2024.
fn record(id: &str, title: &str) -> Value {
    json!({
        "id": id,
        "device_id": "laptop-a",
        "version": 1,
        "created_at": "2024-06-01T08:00:00Z",
        "updated_at": "2024-06-01T08:00:00Z",
        "deleted": false,
        "review_comment": null,
        "studio_name": null,
        "date": "2024-06-01",
        "category": "inspection",
        "title": title,
        "studio_id": null,
        "organizer": null,
        "location": null,
        "doc_number": null,
        "participants": [MEMBER],
        "people_served": 30,
        "items_received": 0,
        "items_resolved": 0,
        "services": [],
        "funds_fen": 0,
        "notes": null,
        "author_code": MEMBER,
        "status": "submitted"
    })
}

/// `record` with some fields replaced.
fn with(id: &str, title: &str, fields: Value) -> Value {
    let mut r = record(id, title);
    for (k, v) in fields.as_object().expect("an object") {
        r[k] = v.clone();
    }
    r
}

fn member_package(conn: &Connection, device: &str, member: &str, records: &[Value]) -> Vec<u8> {
    let body = serde_json::to_vec(records).expect("body");
    let header = PackageHeader {
        kind: PackageKind::MemberRecords,
        member_code: Some(member.into()),
        member_name: Some("王强".into()),
        from: None,
        to: None,
        record_count: records.len() as u64,
        roster_taken: None,
    };
    seal(conn, &key(conn), device, header, &body, now())
        .expect("seal")
        .0
}

fn member_packages(corpus: &mut Corpus) {
    let a = signer(LAPTOP_A_SEED);
    let put = |corpus: &mut Corpus, name: &str, records: Vec<Value>| {
        corpus.put(name, &member_package(&a, "laptop-a", MEMBER, &records));
    };
    let valid = |n: u32| record(&uuid(n), &format!("调研乡村学校（{n}）"));
    let max = i64::MAX;

    put(corpus, "pkg-valid.lvzhi", vec![valid(1)]);
    put(
        corpus,
        "pkg-at-the-limits.lvzhi",
        vec![
            with(
                &uuid(11),
                "服务人次上限",
                json!({"people_served": 10_000_000}),
            ),
            with(
                &uuid(12),
                "帮扶资金上限",
                json!({"category": "assistance", "funds_fen": 1_000_000_000_000i64}),
            ),
            with(
                &uuid(13),
                "收件上限",
                json!({"category": "monitoring_intake", "people_served": 0,
                       "items_received": 10_000_000, "items_resolved": 10_000_000}),
            ),
            with(
                &uuid(14),
                "服务次数上限",
                json!({"services": [{"service": "义诊", "count": 10_000_000}]}),
            ),
            with(&uuid(15), "最早的日期", json!({"date": "1949-10-01"})),
            with(&uuid(16), "最晚的日期", json!({"date": "2100-12-31"})),
            with(
                &uuid(17),
                "版本上限",
                json!({"version": lvzhi_core::model::limits::VERSION}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-served-i64-max.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "服务人次溢出", json!({"people_served": max})),
        ],
    );
    put(
        corpus,
        "pkg-served-sum-overflows.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "其他活动一",
                json!({"category": "other", "people_served": 5_000_000_000_000_000_000i64}),
            ),
            with(
                &uuid(3),
                "其他活动二",
                json!({"category": "other", "people_served": 5_000_000_000_000_000_000i64}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-funds-i64-max.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "帮扶资金溢出",
                json!({"category": "assistance", "people_served": 0, "funds_fen": max}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-items-1e16.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "监测平台收件",
                json!({"category": "monitoring_intake", "people_served": 0,
                       "items_received": 10_000_000_000_000_000i64,
                       "items_resolved": 10_000_000_000_000_000i64}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-items-i64-max.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "监测平台收件",
                json!({"category": "monitoring_intake", "people_served": 0,
                       "items_received": max, "items_resolved": max}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-service-count-i64-max.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "义诊",
                json!({"services": [{"service": "义诊", "count": max}]}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-version-i64-max.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "版本溢出", json!({"version": max})),
        ],
    );
    put(
        corpus,
        "pkg-version-2pow53.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "版本过大", json!({"version": 1i64 << 53})),
        ],
    );
    put(
        corpus,
        "pkg-duplicate-id-v2-then-v1.lvzhi",
        vec![
            with(&uuid(5), "第二版", json!({"version": 2})),
            with(&uuid(5), "第一版", json!({"version": 1})),
        ],
    );
    put(
        corpus,
        "pkg-dates-out-of-range.lvzhi",
        vec![
            valid(1),
            with(
                &uuid(2),
                "九万九千九百九十九年",
                json!({"date": "+99999-06-01"}),
            ),
            valid(3),
            with(&uuid(4), "建国以前", json!({"date": "1949-09-30"})),
            with(&uuid(6), "二一零一年", json!({"date": "2101-01-01"})),
        ],
    );
    put(
        corpus,
        "pkg-notes-40000.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "长备注", json!({"notes": "备".repeat(40_000)})),
        ],
    );
    // ASCII, so five of them stay small; the limits count characters.
    let long = "long-text-".repeat(4_000);
    put(
        corpus,
        "pkg-long-text-fields.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "长地点", json!({"location": long})),
            with(&uuid(3), "长主办", json!({"organizer": long})),
            with(&uuid(4), "长文号", json!({"doc_number": long})),
            with(
                &uuid(6),
                "长服务项目",
                json!({"services": [{"service": long, "count": 1}]}),
            ),
            with(&uuid(7), "长设备", json!({"device_id": long})),
        ],
    );
    put(
        corpus,
        "pkg-control-characters.lvzhi",
        vec![
            valid(1),
            with(&uuid(2), "标题\u{0}含空字符", json!({})),
            with(&uuid(3), "\u{1b}[31m红色标题\u{1b}[0m", json!({})),
            with(
                &uuid(4),
                "响铃备注",
                json!({"notes": "备注\u{7}\u{8}\u{8}"}),
            ),
            with(
                &uuid(6),
                "地点",
                json!({"location": "\u{1b}]0;窗口标题\u{7}会议室"}),
            ),
        ],
    );
    put(
        corpus,
        "pkg-non-uuid-ids.lvzhi",
        vec![
            valid(1),
            record("../../../../etc/passwd", "路径"),
            record("x", "太短"),
            record("'; DROP TABLE activities; --", "注入"),
            record("", "空编号"),
            record(&"a".repeat(64), "六十四个字母"),
            record("0190a000-0000-7000-8000-00000000000g", "非十六进制"),
        ],
    );

    // Refused whole: a member the office's roster does not have, and another key for 15001.
    corpus.put(
        "pkg-member-not-on-roster.lvzhi",
        &member_package(
            &a,
            "laptop-a",
            "99999",
            &[with(
                &uuid(1),
                "查无此人",
                json!({"author_code": "99999", "participants": ["99999"]}),
            )],
        ),
    );
    let b = signer(LAPTOP_B_SEED);
    corpus.put(
        "pkg-other-key-same-member.lvzhi",
        &member_package(&b, "laptop-b", MEMBER, &[valid(2)]),
    );
}

// ---------------------------------------------------------------------------------------------

fn member_json(code: &str, name: &str) -> Value {
    json!({
        "code": code,
        "name": name,
        "gender": null,
        "sector": "教育",
        "unit_title": "市第一中学 校长",
        "phone": null,
        "term": "十五届",
        "role": "member",
        "active": true
    })
}

fn roster_package(conn: &Connection, members: Vec<Value>, studios: Vec<Value>) -> Vec<u8> {
    let count = (members.len() + studios.len()) as u64;
    let body = json!({
        "members": members,
        "studios": studios,
        "sectors": ["教育"],
        "reviews": []
    });
    let header = PackageHeader {
        kind: PackageKind::Roster,
        member_code: None,
        member_name: None,
        from: None,
        to: None,
        record_count: count,
        roster_taken: None,
    };
    let body = serde_json::to_vec(&body).expect("body");
    seal(conn, &key(conn), "office", header, &body, now())
        .expect("seal")
        .0
}

fn roster_packages(corpus: &mut Corpus) {
    let office = signer(OFFICE_SEED);
    // Sequence 1, then 2 (15001 renamed), then 3: sealed in this order on one ledger.
    corpus.put(
        "roster-pkg-seq1.lvzhi",
        &roster_package(
            &office,
            vec![member_json("15001", "王强"), member_json("15002", "李梅")],
            vec![],
        ),
    );
    corpus.put(
        "roster-pkg-seq2-renamed.lvzhi",
        &roster_package(
            &office,
            vec![member_json("15001", "王强强"), member_json("15002", "李梅")],
            vec![],
        ),
    );
    let mut escape = member_json("15003", "\u{1b}[31m张伟\u{1b}[0m");
    escape["term"] = json!("十五届\u{0}");
    let mut long = member_json("15004", "赵敏");
    long["unit_title"] = json!("unit-title".repeat(4_000));
    let studio = json!({
        "id": "../../etc/passwd",
        "name": "\u{1b}[2J工作室",
        "kind": "featured",
        "focus": "focus-text".repeat(4_000),
        "lead_code": "15003",
        "member_codes": ["15003"]
    });
    corpus.put(
        "roster-pkg-seq3-hostile-fields.lvzhi",
        &roster_package(&office, vec![escape, long], vec![studio]),
    );
}

/// The corpus key stored in `conn` (made from the OS's randomness if none is).
fn key(conn: &rusqlite::Connection) -> ed25519_dalek::SigningKey {
    signing_key(conn, lvzhi_core::ids::os_random).expect("key")
}
