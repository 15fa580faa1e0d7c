//! `lvzhi init`: the ledger is opened (and brought up to date) before any room runs, so
//! this only says where it is.

use std::path::Path;

use crate::output::out;

/// Says where the ledger file is.
pub fn run(path: &Path) {
    out!("数据库已就绪：{}", path.display());
}
