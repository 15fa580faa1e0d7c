//! Writing files whole, and who may read them.
//!
//! Every file the project writes for people (exports, packages, printable pages, templates,
//! problem lists) goes to a temporary file beside the target and is renamed over it, so a
//! crash or a full disk never leaves half a file under the final name. Such files are made
//! for colleagues: on Unix they follow the umask like any program's (0644 typically), rather
//! than keeping the temporary file's 0600.
//!
//! The ledger and its backups hold phone and ID numbers and the laptop's signing key: they are
//! made readable by their owner alone (0600), before SQLite writes a byte into them
//! (`create_private`), and an older ledger made wider is narrowed when it is opened
//! (`make_private`). SQLite gives its `-wal` and `-shm` files the ledger's mode. Windows has
//! no such modes: files there take their folder's permissions (a user's own folders are
//! private to them).

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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".lvzhi-export-");
    // Created as 0666, which the umask narrows, as `File::create` would.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
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

/// Creates `path` as an empty file that only its owner may read or write (0600 on Unix).
/// Fails if something is already there.
pub fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    Ok(())
}

/// Narrows `path` to its owner alone (0600) if group or others may read or write it. Does
/// nothing on Windows.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the folder `dir` (and its parents) if missing; a folder made here is its owner's
/// alone (0700 on Unix), for the ledger's backups.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

/// Copies `source` to `target`, which must not exist yet, as a private file (0600), and syncs
/// it to the disk.
pub fn copy_private(source: &Path, target: &Path) -> Result<()> {
    create_private(target)?;
    let copied = (|| -> Result<()> {
        let mut from = std::fs::File::open(source)?;
        let mut to = std::fs::OpenOptions::new().write(true).open(target)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()?;
        Ok(())
    })();
    if copied.is_err() {
        let _ = std::fs::remove_file(target);
    }
    copied
}

/// Copies `source` into a private temporary file (0600) in `target`'s folder and syncs it:
/// the first half of replacing `target` whole (`replace` is the second). The temporary
/// file's path; on failure nothing is left behind.
pub fn copy_beside(source: &Path, target: &Path) -> Result<std::path::PathBuf> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".lvzhi-restore-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut file = builder.tempfile_in(dir)?;
    std::io::copy(&mut std::fs::File::open(source)?, &mut file)?;
    file.as_file().sync_all()?;
    let temp = file
        .into_temp_path()
        .keep()
        .map_err(|e| Error::Io(e.error))?;
    Ok(temp)
}

/// Syncs the folder `path` is in, so a rename in it survives a power cut (Unix; elsewhere
/// the rename itself is what the file system keeps).
pub fn sync_folder_of(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Renames `from` over `to`, waiting up to about a second while another program holds `to`.
pub fn replace(from: &Path, to: &Path) -> Result<()> {
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

    /// The mode `File::create` gives a new file here: 0666 narrowed by the umask.
    #[cfg(unix)]
    fn umask_mode(dir: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join("probe");
        std::fs::write(&probe, b"").unwrap();
        let mode = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        std::fs::remove_file(probe).unwrap();
        mode
    }

    #[cfg(unix)]
    #[test]
    fn files_for_people_follow_the_umask_and_private_ones_are_the_owners() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let export = dir.path().join("2024.xlsx");
        write_atomically(&export, b"x").unwrap();
        assert_eq!(mode(&export), umask_mode(dir.path()));
        assert_ne!(mode(&export), 0o600, "not the temporary file's mode");
        let private = dir.path().join("ledger.db");
        create_private(&private).unwrap();
        assert_eq!(mode(&private), 0o600);
        assert!(
            create_private(&private).is_err(),
            "never over an existing file"
        );
        let wide = dir.path().join("old.db");
        std::fs::write(&wide, b"").unwrap();
        std::fs::set_permissions(&wide, std::fs::Permissions::from_mode(0o664)).unwrap();
        make_private(&wide).unwrap();
        assert_eq!(mode(&wide), 0o600);
    }
}
