//! A structured xlsx target: the input is the XML of the parts that matter, split at NUL
//! bytes, and a valid zip (stored entries) is built around them, so the fuzzer works on the
//! sheet XML instead of on zip headers and CRCs:
//!
//!   part 0: xl/worksheets/sheet1.xml            (always present)
//!   part 1: xl/sharedStrings.xml                (left out when there is no part 1)
//!   part 2: xl/styles.xml                       (left out when there is no part 2)
//!   part 3: xl/workbook.xml                     (a one-sheet workbook when there is none)
//!
//! The zip is then read by `lvzhi_core::import::sheet::read`, like any file an office sends.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="委员名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

fn xlsx(parts: &[&[u8]]) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut put = |name: &str, bytes: &[u8]| -> zip::result::ZipResult<()> {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    put("[Content_Types].xml", CONTENT_TYPES.as_bytes())?;
    put("_rels/.rels", ROOT_RELS.as_bytes())?;
    put("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes())?;
    put(
        "xl/workbook.xml",
        parts.get(3).copied().unwrap_or(WORKBOOK.as_bytes()),
    )?;
    put("xl/worksheets/sheet1.xml", parts[0])?;
    if let Some(strings) = parts.get(1) {
        put("xl/sharedStrings.xml", strings)?;
    }
    if let Some(styles) = parts.get(2) {
        put("xl/styles.xml", styles)?;
    }
    Ok(zip.finish()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&[u8]> = data.splitn(4, |&b| b == 0).collect();
    let Ok(file) = xlsx(&parts) else { return };
    if let Err(_) = lvzhi_core::import::sheet::read(&file) {}
});
