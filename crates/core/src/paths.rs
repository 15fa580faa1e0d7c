//! Where the ledger file lives. The CLI and the desktop app resolve it the same way, so
//! both open the same file unless told otherwise.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// The app's identifier; it must equal `identifier` in `src-tauri/tauri.conf.json`.
pub const APP_IDENTIFIER: &str = "cn.lvzhi.ledger";

/// The environment variable that names a ledger file.
pub const DB_ENV: &str = "LVZHI_DB";

/// The real ledger: `<OS data dir>/cn.lvzhi.ledger/lvzhi.db`.
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join("lvzhi.db"))
}

/// The demo ledger, kept apart from the real one: `<OS data dir>/cn.lvzhi.ledger/demo.db`.
pub fn demo_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join("demo.db"))
}

/// The file `$LVZHI_DB` names, if it is set and not empty.
pub fn db_from_env() -> Option<PathBuf> {
    std::env::var_os(DB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `explicit` if given, else `$LVZHI_DB` if set and not empty, else the default file.
pub fn resolve_db_path(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = explicit.or_else(db_from_env) {
        return Ok(path);
    }
    default_db_path().ok_or_else(|| {
        Error::invalid(
            "db",
            format!("找不到系统数据目录，请用 --db 或环境变量 {DB_ENV} 指定数据库文件"),
        )
    })
}
