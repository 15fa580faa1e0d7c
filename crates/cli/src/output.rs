//! How the CLI writes: the `out!` macro (stdout that never panics), JSON, and the one
//! problem line that roster and studio imports share.

use lvzhi_core::import::roster::Problem;
use lvzhi_core::{Error, Result};
use serde::Serialize;

/// `println!` that never panics: a reader that went away (`lvzhi … | head`) ends the
/// program quietly, and any other failure to write is an error on stderr.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::output::stdout_failed(e);
        }
    }};
}
pub(crate) use out;

/// Ends the program after stdout failed: quietly (exit 0) on a broken pipe, else with an
/// error on stderr (exit 1).
pub fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("错误：无法输出结果：{e}");
    std::process::exit(1);
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    out!("{text}");
    Ok(())
}

/// One problem in an imported spreadsheet, with its row and column.
pub fn print_problem(problem: &Problem) {
    out!(
        "  问题：第 {} 行 {} 列（{}）：{}",
        problem.row,
        problem.column,
        problem.header,
        problem.reason
    );
}
