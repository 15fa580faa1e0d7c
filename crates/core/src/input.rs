//! The one way a file from outside is read: every import (roster, studio list, member
//! package, roster package) in the CLI and the desktop goes through `read_input`.
//!
//! A file someone picked may be anything: a directory, a device that never ends
//! (`/dev/zero`), a FIFO that never answers, a symlink to either, or simply far larger than any
//! roster or package. Only a regular file is read, and never more than its kind's limit, so
//! what `metadata` says about the size cannot be trusted alone: the read itself stops one
//! byte past the limit.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// What a file is expected to be, which decides how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A roster or studio list: xlsx, xls, CSV or an HTML table.
    Spreadsheet,
    /// A member's package of records, or the office's roster package.
    Package,
}

impl InputKind {
    /// The largest file of this kind that is read at all. A roster of 10,000 members is
    /// about 1 MB as xlsx and 3 MB as CSV; a package of 100,000 records about 60 MB.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Spreadsheet => 32 << 20,
            InputKind::Package => 256 << 20,
        }
    }

    fn what(self) -> &'static str {
        match self {
            InputKind::Spreadsheet => "表格文件",
            InputKind::Package => "数据包",
        }
    }
}

fn refused(path: &Path, why: &str) -> Error {
    Error::invalid("file", format!("无法读取“{}”：{why}", path.display()))
}

/// Reads the file at `path` whole, if it is a regular file no larger than `kind` allows.
/// A directory, device, FIFO or socket (also behind a symlink) is refused before it is
/// opened, so nothing blocks or reads forever.
pub fn read_input(path: &Path, kind: InputKind) -> Result<Vec<u8>> {
    let limit = kind.limit();
    let too_large = || {
        refused(
            path,
            &format!("文件过大（超过 {} MB），不像是{}", limit >> 20, kind.what()),
        )
    };
    // Windows: a device name (`CON`, `NUL`, `COM1.csv`, in any folder) or a `\\.\` path
    // opens a device or a pipe, which `metadata` may call a file; refused by name first.
    if cfg!(windows) && names_a_windows_device(path) {
        return Err(refused(path, "这不是普通文件（可能是设备或管道）"));
    }
    // `metadata` follows symlinks: what is checked is what would be opened.
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refused(path, "文件不存在"),
        _ => Error::Io(e),
    })?;
    if meta.is_dir() {
        return Err(refused(path, "这是一个文件夹，不是文件"));
    }
    if !meta.is_file() {
        return Err(refused(path, "这不是普通文件（可能是设备、管道或套接字）"));
    }
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path)?;
    // Checked again on the open file: the path may have been swapped since.
    if !file.metadata()?.is_file() {
        return Err(refused(path, "这不是普通文件"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Whether Windows would open `path` as a device or a pipe rather than a file: the device
/// namespace (`\\.\…`, `\\?\` not followed by a drive or `UNC`), or a reserved DOS device
/// name as the last component, with or without an extension (`NUL`, `con.xlsx`, `COM1.csv`).
fn names_a_windows_device(path: &Path) -> bool {
    let text = path.to_string_lossy();
    let text = text.replace('/', "\\");
    if let Some(rest) = text.strip_prefix("\\\\.\\") {
        return !rest.is_empty();
    }
    if let Some(rest) = text.strip_prefix("\\\\?\\") {
        let drive = rest.len() >= 2 && rest.as_bytes()[1] == b':';
        return !drive && !rest.to_ascii_uppercase().starts_with("UNC\\");
    }
    let Some(name) = text.rsplit('\\').next() else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (upper.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper.as_bytes()[3].is_ascii_digit())
}

/// A file name made from people's words (a member's name, a title), safe to join to a
/// folder: no path separators, no `..`, no control characters, none of the characters
/// Windows refuses, no trailing dots or spaces, and not empty.
pub fn safe_file_name(words: &str) -> String {
    let mut name: String = words
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim().trim_end_matches(['.', ' ']).to_string();
    while name.starts_with('.') {
        name.remove(0);
    }
    if name.chars().count() > 80 {
        name = name.chars().take(80).collect();
    }
    // Names Windows reserves for devices, with or without an extension.
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if name.is_empty() || reserved {
        name = format!("_{name}");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("名单.csv");
        std::fs::write(&path, "姓名,性别\n王强,男\n").unwrap();
        assert_eq!(
            read_input(&path, InputKind::Spreadsheet).unwrap(),
            "姓名,性别\n王强,男\n".as_bytes()
        );
    }

    #[test]
    fn a_directory_a_missing_file_and_an_oversize_file_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_input(dir.path(), InputKind::Spreadsheet).unwrap_err();
        assert!(err.to_string().contains("文件夹"), "{err}");
        let err = read_input(&dir.path().join("nope.xlsx"), InputKind::Package).unwrap_err();
        assert!(err.to_string().contains("不存在"), "{err}");
        let big = dir.path().join("big.csv");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(InputKind::Spreadsheet.limit() + 1).unwrap();
        let err = read_input(&big, InputKind::Spreadsheet).unwrap_err();
        assert!(err.to_string().contains("过大"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_symlinks_to_them_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.xlsx");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_input(&link, InputKind::Spreadsheet).unwrap_err();
        assert!(err.to_string().contains("不是普通文件"), "{err}");
        let fifo = dir.path().join("pipe.lvzhi");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO would block until a writer comes; it must be refused first.
        let err = read_input(&fifo, InputKind::Package).unwrap_err();
        assert!(err.to_string().contains("不是普通文件"), "{err}");
    }

    /// Windows: the devices a path can name (`NUL`, `CON`, a COM port, also inside any folder
    /// and with an extension on older Windows) and named pipes are refused before anything is
    /// opened: reading `CON` or a pipe would wait forever.
    #[cfg(windows)]
    #[test]
    fn windows_devices_and_pipes_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            std::path::PathBuf::from("NUL"),
            std::path::PathBuf::from(r"\\.\NUL"),
            std::path::PathBuf::from(r"\\.\pipe\lvzhi-no-such-pipe"),
            dir.path().join("CON"),
            dir.path().join("con.xlsx"),
            dir.path().join("COM1.csv"),
        ] {
            let err = read_input(&path, InputKind::Spreadsheet).unwrap_err();
            assert!(err.to_string().contains("不是普通文件"), "{path:?}: {err}");
        }
    }

    #[test]
    fn windows_device_names_are_recognised() {
        for device in [
            "NUL",
            "con.xlsx",
            r"C:\名单\COM1.csv",
            "a/b/lpt9",
            r"\\.\pipe\x",
            r"\\?\pipe\x",
            "CONIN$",
        ] {
            assert!(names_a_windows_device(Path::new(device)), "{device}");
        }
        for file in [
            r"C:\名单\名单.xlsx",
            "console.csv",
            "COM10.csv",
            "nul_list.csv",
            r"\\?\C:\a\名单.xlsx",
            r"\\?\UNC\server\share\a.csv",
            r"\\server\share\a.csv",
        ] {
            assert!(!names_a_windows_device(Path::new(file)), "{file}");
        }
    }

    #[test]
    fn file_names_from_peoples_words_stay_in_their_folder() {
        assert_eq!(safe_file_name("王强-2024"), "王强-2024");
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("a\\b:c*d?e\"f<g>h|i"), "a_b_c_d_e_f_g_h_i");
        assert_eq!(safe_file_name("..."), "_");
        assert_eq!(safe_file_name(""), "_");
        assert_eq!(safe_file_name("CON"), "_CON");
        assert_eq!(safe_file_name("com1.lvzhi"), "_com1.lvzhi");
        assert_eq!(safe_file_name("名单\u{0}\n"), "名单__");
        assert_eq!(safe_file_name(&"长".repeat(300)).chars().count(), 80);
    }
}
