//! Writing files whole: every file the project writes (exports, packages, printable pages,
//! templates, problem lists) goes to a temporary file beside the target and is renamed over
//! it, so a crash or a full disk never leaves half a file under the final name.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to a temporary file in `path`'s folder, syncs it, and renames it to `path`.
///
/// The rename is `std::fs::rename`: on Windows it replaces a file that others hold open with
/// delete sharing (most programs, and every `std::fs::File`), which `MoveFileExW` (what
/// `tempfile`'s `persist` calls) refuses. A file held open without it (Excel and WPS keep an
/// open workbook so) cannot be replaced on Windows: the rename is retried for about a second,
/// for the virus scanner or the search indexer to let go, and then refused with a message that
/// says what to do. Either way the old file is untouched and the temporary file removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".lvzhi-export-")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    // Closed before the rename (Windows cannot rename a file this process still has open
    // without delete sharing). `keep` also clears the temporary-file attribute tempfile sets
    // on Windows; from here on a failed rename removes the file itself.
    let temp = file
        .into_temp_path()
        .keep()
        .map_err(|e| Error::Io(e.error))?;
    let replaced = replace(&temp, path);
    if replaced.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    replaced
}

/// Renames `from` over `to`, waiting up to about a second while another program holds `to`.
fn replace(from: &Path, to: &Path) -> Result<()> {
    let mut retries = 0;
    loop {
        match std::fs::rename(from, to) {
            Ok(()) => return Ok(()),
            Err(e) if held_open(&e) && retries < 10 => {
                retries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) if held_open(&e) => {
                return Err(Error::Io(std::io::Error::new(
                    e.kind(),
                    format!(
                        "无法替换 {}：文件正被其他程序（如 Excel、WPS）打开，或没有写入权限。\
                         请关闭该文件后重试，或另存为其他文件名",
                        to.display()
                    ),
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether a failed replace means another program holds the target open (Windows only:
/// `ERROR_ACCESS_DENIED`, `ERROR_SHARING_VIOLATION`, `ERROR_LOCK_VIOLATION`). On Unix a rename
/// never fails for that reason.
fn held_open(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, b"old").unwrap();
        write_atomically(&path, b"new content").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new content");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".lvzhi-export-")
            })
            .collect();
        assert!(leftovers.is_empty());
        // A folder that does not exist: an error, and nothing written.
        assert!(write_atomically(&dir.path().join("missing/out.csv"), b"x").is_err());
    }
}
