//! The one error type of the core, and the short `kind` every caller switches on.
//!
//! Messages are written in Chinese for the people who read them (members, secretaries); the
//! `kind` is a stable machine word for the UI and scripts, which never match on message text.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for code to act on. Add a kind only when a caller acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// Input failed validation; `field` says where.
    Invalid,
    /// A record that was named does not exist.
    NotFound,
    /// The write would break a uniqueness rule (e.g. a roster code already taken).
    Duplicate,
    /// The database file was written by a newer version of the app.
    NewerSchema,
    /// Another program holds the database.
    Locked,
    /// The disk is full.
    DiskFull,
    /// The file is not a database, or is damaged.
    Corrupt,
    /// Reading or writing a file failed.
    Io,
    /// The ledger file can be read but not written (a CD, a read-only share, no write
    /// permission): listing, tallying and export work; every change is refused.
    ReadOnly,
    /// Anything else from SQLite.
    Database,
    /// An exchange package was refused whole: tampered, truncated, of a newer format, or
    /// signed by a key the office does not hold for that member.
    Rejected,
}

/// Every failure the core reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Invalid { field: String, message: String },

    #[error("未找到{what}：{key}")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    Duplicate(String),

    #[error(
        "此数据库由更新版本的履职台账创建（结构版本 {found}，本程序只认识到 {supported}）。\
         为免损坏数据，本程序不会打开它，请升级后再试。"
    )]
    NewerSchema { found: i64, supported: i64 },

    #[error("数据包被拒绝：{0}")]
    Rejected(String),

    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),

    #[error("文件读写失败：{0}")]
    Io(#[from] std::io::Error),
}

/// What an SQLite failure means to the person reading it, in their words; SQLite's own
/// English text is kept only for the failures nobody can act on.
fn sqlite_message(err: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match err.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "台账文件正被其他程序或另一项操作（例如正在进行的导入）占用，请稍后再试".into()
        }
        Some(ErrorCode::DiskFull) => "磁盘已满，未能保存；请清理磁盘空间后重试".into(),
        Some(ErrorCode::ReadOnly) => {
            "台账文件是只读的（可能在光盘、只读共享或没有写入权限的文件夹中）：可以查看、统计和导出，不能修改".into()
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            format!("台账文件已损坏，或不是履职台账的数据库文件（{err}）")
        }
        _ => format!("数据库错误：{err}"),
    }
}

impl Error {
    /// A validation failure on one named field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        use rusqlite::ErrorCode;
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Duplicate(_) => ErrorKind::Duplicate,
            Error::NewerSchema { .. } => ErrorKind::NewerSchema,
            Error::Io(_) => ErrorKind::Io,
            Error::Rejected(_) => ErrorKind::Rejected,
            Error::Sqlite(e) => match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => ErrorKind::Locked,
                Some(ErrorCode::DiskFull) => ErrorKind::DiskFull,
                Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => ErrorKind::Corrupt,
                Some(ErrorCode::ReadOnly) => ErrorKind::ReadOnly,
                _ => ErrorKind::Database,
            },
        }
    }

    /// The field a validation error belongs to, for showing it next to that field.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// An error as it crosses a process or IPC boundary: the kind to switch on, the message to
/// show, and the field it belongs to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ErrorReport {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for ErrorReport {
    fn from(err: Error) -> Self {
        ErrorReport {
            kind: err.kind(),
            field: err.field().map(String::from),
            message: err.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_crosses_to_the_ui_as_kind_message_and_field() {
        let report = ErrorReport::from(Error::invalid("title", "请填写标题"));
        let json = serde_json::to_value(&report).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(keys, ["field", "kind", "message"]);
        assert_eq!(json["field"], "title");
        assert_eq!(json["message"], "请填写标题");
        assert_eq!(json["kind"], serde_json::to_value(report.kind).unwrap());
    }
}
