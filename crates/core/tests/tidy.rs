//! Tidy checks: rules about the source tree that the compiler does not enforce, each a test
//! that lists every offending `file:line`. The repository is read from
//! `$CARGO_MANIFEST_DIR/../..`; the scanners are hand-written (std only) and work on the
//! source with comments removed and string literals emptied (see [`lex`]), so a brace, a
//! `crate::` or an SQL word in a comment or a message does not count as code.
//!
//! The rules:
//!
//! - **Header.** Every `.rs` file under `crates/`, `src-tauri/src`, `tests/` and
//!   `fuzz/fuzz_targets` opens with a `//!` comment saying what it is for. Only blank lines
//!   and inner attributes (`#![no_main]`, a multi-line `#![cfg_attr(…)]`) may come before it;
//!   a plain `//` comment or a `///` item doc may not. Directories named `target`, `gen` or
//!   `node_modules`, hidden directories, and generated files (a first line that says
//!   `@generated` or "do not edit") are skipped.
//! - **SQL stays in `crates/core/src/db/`.** No string literal in the code of
//!   `crates/core/src` (outside `db/`), `crates/cli/src` or `src-tauri/src` holds an SQL
//!   statement; nor does any `include_str!` a `.sql` file there. A literal holds SQL when it
//!   contains, upper case and as whole words (letters and digits of any script, `_`, bound a
//!   word, so `请SELECT` is no match), one of `SELECT`, `INSERT INTO`, `INSERT OR … INTO`,
//!   `REPLACE INTO`, `UPDATE <name> SET`, `DELETE FROM`, `CREATE TABLE|INDEX|UNIQUE
//!   INDEX|VIEW|TRIGGER`, `ALTER TABLE`, `DROP TABLE|INDEX`, `PRAGMA`, `VACUUM`, `ATTACH
//!   DATABASE`, the words of a phrase separated by any white space (a statement may span
//!   lines). `BEGIN`, `COMMIT`, `ROLLBACK` and `SAVEPOINT`, which are also English words,
//!   count only where a statement starts: first in the literal or after a `;` (so
//!   `-----BEGIN KEY-----` and "do not COMMIT" are prose). Lower-case SQL is not detected.
//! - **The core's modules form layers.** Each file of `crates/core/src` belongs to its
//!   top-level module (`db/x.rs` and `db/mod.rs` to `db`, `tally.rs` to `tally`; `lib.rs` is
//!   the crate root). Its references are the `crate::…` paths and the `super::`/`self::`
//!   paths (resolved from the file's place) in its code, `use` lines and `crate::{…}` groups
//!   included. A name the root re-exports (`pub use error::{Error, …}` in `lib.rs`) counts as
//!   its module. Then (i) a file in `db/` refers only to `db`, `model`, `error`, `ids` and `files`; and
//!   (ii) the arrows between top-level modules (the root, which uses everything, left out)
//!   have no cycle.
//! - **Short functions.** No function in the code of `crates/core/src` spans 120 lines or
//!   more, from its `fn` line to its closing brace; and `crates/cli/src/main.rs` has fewer
//!   than 150 lines in all.
//!
//! "The code" excludes test code: a top-level `#[cfg(test)]` followed by `mod name { … }`
//! (other attributes may sit between them), wherever it is in the file (by convention at the
//! end), up to its matching brace; and a file named by a top-level `#[cfg(test)] mod name;`.
//! Limits of the simple scan: an inline non-test `mod` inside a file is not followed when
//! resolving `super::`, and a `#[cfg(test)]` on a single item is not test code.
//!
//! Each scanner has tests of its own on inline text at the end of this file, so that a check
//! that passes is known to be able to fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// The checks on the repository.

#[test]
fn every_rust_file_opens_with_a_header_comment() {
    let mut problems = Vec::new();
    for dir in ["crates", "src-tauri/src", "tests", "fuzz/fuzz_targets"] {
        for file in rust_files(&root().join(dir)) {
            let src = read(&file);
            if is_generated(&src) {
                continue;
            }
            if let Some((line, text)) = header_problem(&src) {
                problems.push(format!("{}:{line}: starts with `{text}`", rel(&file)));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} Rust file(s) do not open with a `//!` comment saying what the file is for \
         (only blank lines and `#![…]` attributes may come before it):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_sql_outside_the_db_module() {
    let db = root().join("crates/core/src/db");
    let mut problems = Vec::new();
    for dir in ["crates/core/src", "crates/cli/src", "src-tauri/src"] {
        for (file, code, literals) in code_files(&root().join(dir)) {
            if file.starts_with(&db) {
                continue;
            }
            for (line, what) in sql_literals(&code, literals) {
                problems.push(format!("{}:{line}: {what}", rel(&file)));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} string literal(s) outside crates/core/src/db/ hold SQL; move the statement into \
         a function of db/ and call that:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn db_refers_only_to_db_model_error_ids_and_files() {
    let graph = core_graph();
    let problems: Vec<String> = graph
        .arrows
        .iter()
        .filter(|a| a.from == "db" && !DB_MAY_USE.contains(&a.to.as_str()))
        .map(|a| format!("{}:{}: db → {} ({})", a.file, a.line, a.to, a.path))
        .collect();
    assert!(
        problems.is_empty(),
        "{} reference(s) from crates/core/src/db/ up into the domain; db/ may refer only to \
         {}:\n{}",
        problems.len(),
        DB_MAY_USE.join(", "),
        problems.join("\n")
    );
}

#[test]
fn core_modules_have_no_cycle() {
    let graph = core_graph();
    let arrows: Vec<&Arrow> = graph.arrows.iter().filter(|a| a.to != ROOT).collect();
    let edges: BTreeSet<(String, String)> = arrows
        .iter()
        .map(|a| (a.from.clone(), a.to.clone()))
        .collect();
    let mut report = Vec::new();
    for component in cycles(&edges) {
        let cycle = one_cycle(&edges, &component);
        report.push(format!(
            "cycle: {} (modules in the cycle: {})",
            cycle.join(" → "),
            component.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
        // Every arrow among the modules of the cycle, those of the printed cycle first.
        let on_cycle = |f: &String, t: &String| cycle.windows(2).any(|p| &p[0] == f && &p[1] == t);
        let mut inside: Vec<&(String, String)> = edges
            .iter()
            .filter(|(f, t)| component.contains(f) && component.contains(t))
            .collect();
        inside.sort_by_key(|(f, t)| !on_cycle(f, t));
        for (f, t) in inside {
            report.push(format!("  {f} → {t}:"));
            for a in arrows.iter().filter(|a| &a.from == f && &a.to == t) {
                report.push(format!("    {}:{}: {}", a.file, a.line, a.path));
            }
        }
    }
    assert!(
        report.is_empty(),
        "the modules of crates/core/src refer to each other in a cycle:\n{}",
        report.join("\n")
    );
}

#[test]
fn core_functions_are_shorter_than_120_lines() {
    let mut problems = Vec::new();
    for (file, code, _) in code_files(&root().join("crates/core/src")) {
        for f in functions(&code) {
            if f.lines >= MAX_FN_LINES {
                problems.push(format!(
                    "{}:{}: fn {} is {} lines",
                    rel(&file),
                    f.line,
                    f.name,
                    f.lines
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} function(s) in crates/core/src are {MAX_FN_LINES} lines or longer:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn cli_main_is_shorter_than_150_lines() {
    let file = root().join("crates/cli/src/main.rs");
    let lines = read(&file).lines().count();
    assert!(
        lines < MAX_CLI_MAIN_LINES,
        "{}:{lines}: the CLI's main.rs has {lines} lines (tests included); it should stay \
         under {MAX_CLI_MAIN_LINES}, the subcommands living in modules of their own",
        rel(&file)
    );
}

const MAX_FN_LINES: usize = 120;
const MAX_CLI_MAIN_LINES: usize = 150;
/// The modules `db/` may name. The root's re-exports of `error` count as `error`.
const DB_MAY_USE: [&str; 5] = ["db", "model", "error", "ids", "files"];
/// Where a name defined in `lib.rs` itself (not re-exported from a module) points.
const ROOT: &str = "(crate root)";

/// ARCHITECTURE.md's invariants stay checked: every item of its "Invariants" section names,
/// after a dash, at least one test, and every test it names exists (a Rust `fn`, a spec file,
/// or an end-to-end test's title).
#[test]
fn every_invariant_names_a_test_that_exists() {
    let doc = read(&root().join("ARCHITECTURE.md"));
    let section = doc
        .split("## Invariants")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("ARCHITECTURE.md has an Invariants section");
    let mut sources = String::new();
    for dir in ["crates", "src-tauri/src", "tests/e2e"] {
        let mut dirs = vec![root().join(dir)];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if path.is_dir() && name != "target" && !name.starts_with('.') {
                    dirs.push(path);
                } else if name.ends_with(".rs") || name.ends_with(".mjs") {
                    sources.push_str(&read(&path));
                }
            }
        }
    }
    let mut problems = Vec::new();
    let items: Vec<&str> = section.split("\n- ").skip(1).collect();
    assert!(items.len() >= 20, "the Invariants section lost its items");
    for item in items {
        let first = item.lines().next().unwrap_or("").to_string();
        let Some((_, tests)) = item.split_once(" —") else {
            problems.push(format!("names no test: {first}"));
            continue;
        };
        for name in tests.split('`').skip(1).step_by(2) {
            let found = if name.contains('/') {
                root().join(name).is_file()
            } else if name.contains(' ') {
                sources.contains(&format!("test('{name}'"))
            } else {
                let fn_name = name.rsplit("::").next().unwrap_or(name);
                sources.contains(&format!("fn {fn_name}("))
            };
            if !found {
                problems.push(format!("no such test `{name}` ({first})"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md's invariants:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_core_never_depends_on_tauri() {
    let manifest = read(&root().join("crates/core/Cargo.toml"));
    let lock = read(&root().join("Cargo.lock"));
    let core = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"lvzhi-core\""))
        .expect("lvzhi-core in Cargo.lock");
    let mut problems: Vec<String> = manifest
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("tauri"))
        .map(|(n, l)| format!("crates/core/Cargo.toml:{}: {l}", n + 1))
        .collect();
    problems.extend(
        core.lines()
            .filter(|l| l.trim().trim_matches('"').starts_with("tauri"))
            .map(|l| format!("Cargo.lock, lvzhi-core depends on {}", l.trim())),
    );
    assert!(
        problems.is_empty(),
        "lvzhi-core depends on tauri:\n{}",
        problems.join("\n")
    );
}

/// The core's logic takes `now`, `today` and a `Random` from its callers: outside `ids.rs`
/// (which wraps the OS's randomness as `os_random`) no code of `crates/core/src` reads the
/// clock or the OS's randomness.
#[test]
fn core_logic_never_reads_the_clock_or_the_os_randomness() {
    const READS: [&str; 7] = [
        "Utc::now",
        "Local::now",
        "SystemTime::now",
        "getrandom::",
        "new_v4",
        "rand::",
        "thread_rng",
    ];
    let mut problems = Vec::new();
    for (file, code, _) in code_files(&root().join("crates/core/src")) {
        if file.ends_with("ids.rs") {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            for read in READS.iter().filter(|r| line.contains(*r)) {
                problems.push(format!("{}:{}: {read}", rel(&file), n + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the core reads the clock or randomness:\n{}",
        problems.join("\n")
    );
}

/// The front ends (the CLI and the shell) reach the ledger through `Ledger` alone: they name
/// no `lvzhi_core::db`, `demo`, `device`, `activities` or `ids`, and call none of the
/// functions that `Ledger` wraps.
#[test]
fn front_ends_go_through_the_ledger() {
    const ROOMS: [&str; 5] = ["db", "demo", "device", "activities", "ids"];
    const WRAPPED: [&str; 8] = [
        "to_html",
        "problems_xlsx",
        "template_bytes",
        "check_date",
        "seal",
        "signing_key",
        "DEMO_YEAR",
        "member_package",
    ];
    let mut problems = Vec::new();
    for dir in ["crates/cli/src", "src-tauri/src"] {
        for (file, code, _) in code_files(&root().join(dir)) {
            for (n, line) in code.lines().enumerate() {
                let at = format!("{}:{}", rel(&file), n + 1);
                for name in core_paths(line) {
                    if ROOMS.contains(&name.as_str()) {
                        problems.push(format!("{at}: lvzhi_core::{name}"));
                    }
                }
                for word in line.split(|c: char| !is_word(c)) {
                    if WRAPPED.contains(&word) {
                        problems.push(format!("{at}: {word}"));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "a front end goes around Ledger:\n{}",
        problems.join("\n")
    );
}

/// The first path segments named after `lvzhi_core::` on a line: `lvzhi_core::db::x` gives
/// `db`, `lvzhi_core::{db, model::X}` gives `db` and `model`.
fn core_paths(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in line.match_indices("lvzhi_core::") {
        let rest = &line[at + "lvzhi_core::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            for entry in group.split(',') {
                let first = entry.trim().split("::").next().unwrap_or("").trim();
                if !first.is_empty() {
                    names.push(first.to_string());
                }
            }
        } else {
            names.push(rest.chars().take_while(|c| is_word(*c)).collect());
        }
    }
    names
}

/// The webview can do nothing but call the app's own commands: the capability grants only
/// `core:default`, the CSP allows scripts from the app alone, and no Vue template renders
/// HTML from a string (`v-html`).
#[test]
fn the_webview_has_no_fs_shell_or_http_and_renders_text_as_text() {
    let mut problems = Vec::new();
    for cap in fs::read_dir(root().join("src-tauri/capabilities")).expect("capabilities") {
        let path = cap.expect("entry").path();
        let text = read(&path);
        let permissions = text
            .split("\"permissions\"")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or("");
        let granted: Vec<&str> = permissions.split('"').skip(1).step_by(2).collect();
        if granted != ["core:default"] {
            problems.push(format!("{}: grants {granted:?}", rel(&path)));
        }
    }
    let conf = read(&root().join("src-tauri/tauri.conf.json"));
    if !conf.contains("\"script-src\": \"'self'\"") {
        problems.push("src-tauri/tauri.conf.json: script-src is not 'self' alone".into());
    }
    // Tauri's own IPC (on Windows) is the one address the webview may reach.
    let conf = conf.replace("http://ipc.localhost", "");
    for word in ["unsafe-eval", "http:", "https:"] {
        if conf.contains(word) {
            problems.push(format!("src-tauri/tauri.conf.json: {word}"));
        }
    }
    let mut vue = Vec::new();
    let mut dirs = vec![root().join("ui/src")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("ui/src") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name == "__tests__" || name.ends_with(".spec.ts") {
                // Tests clear the page they mounted on; they are not the app.
            } else if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "vue" || e == "ts") {
                vue.push(path);
            }
        }
    }
    for file in vue {
        for (n, line) in read(&file).lines().enumerate() {
            let comment = ["*", "//", "/*", "<!--"]
                .iter()
                .any(|c| line.trim_start().starts_with(c));
            if !comment && (line.contains("v-html") || line.contains("innerHTML")) {
                problems.push(format!("{}:{}: {}", rel(&file), n + 1, line.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the webview is given more than it needs:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Files.

fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn rel(path: &Path) -> String {
    let path = path.strip_prefix(root()).unwrap_or(path);
    path.to_string_lossy().replace('\\', "/")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The `.rs` files under `dir`, sorted, leaving out build output, generated and hidden trees.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.')
                    && !["target", "gen", "node_modules"].contains(&name.as_str())
                {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn is_generated(src: &str) -> bool {
    let first = src.lines().next().unwrap_or("").to_lowercase();
    first.contains("@generated") || first.contains("do not edit")
}

/// The non-test code of every `.rs` file under `dir` (see [`non_test_code`]), leaving out the
/// files that are themselves test modules (`#[cfg(test)] mod name;`).
fn code_files(dir: &Path) -> Vec<(PathBuf, String, Vec<Literal>)> {
    let mut test_files = BTreeSet::new();
    let mut out = Vec::new();
    for file in rust_files(dir) {
        let lexed = lex(&read(&file));
        let (code, test_mods) = non_test_code(&lexed);
        for name in test_mods {
            let stem = file
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let base = if ["mod", "lib", "main"].contains(&stem.as_str()) {
                file.parent().unwrap_or(dir).to_path_buf()
            } else {
                file.with_extension("")
            };
            test_files.insert(base.join(format!("{name}.rs")));
            test_files.insert(base.join(&name).join("mod.rs"));
        }
        out.push((file, code, lexed.literals));
    }
    out.retain(|(file, _, _)| !test_files.contains(file));
    out
}

// ---------------------------------------------------------------------------------------------
// The lexer: comments out, literals emptied and kept aside.

#[derive(Debug, Default)]
struct Lexed {
    /// The source with comments removed and string and char literals emptied (`""`, `' '`);
    /// every newline is kept, so line numbers stay those of the source.
    code: String,
    literals: Vec<Literal>,
}

#[derive(Debug)]
struct Literal {
    /// The line (1-based) of the opening quote.
    line: usize,
    /// The value, escapes decoded, each character with its source line.
    chars: Vec<(char, usize)>,
    /// The code just before the literal, white space removed (`include_str!(`, `execute(`).
    before: String,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn lex(src: &str) -> Lexed {
    let s: Vec<char> = src.chars().collect();
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let mut out = Lexed::default();
    let mut line = 1;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if s[i] == '\n' {
                        line += 1;
                        out.code.push('\n');
                    }
                    i += 1;
                }
            }
            out.code.push(' ');
            continue;
        }
        if c == '\'' {
            // A char literal ('x', '\n', '\u{4e00}') or a lifetime ('a, 'static).
            let end = if at(i + 1) == '\\' {
                (i + 3..s.len()).find(|&j| s[j] == '\'')
            } else if at(i + 2) == '\'' && at(i + 1) != '\n' {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.code.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.code.push(c);
                    i += 1;
                }
            }
            continue;
        }
        // A string literal, with its prefix: "", b"", c"", r"", r#""#, br"", cr#""#.
        if i == 0 || !is_word(s[i - 1]) {
            let mut j = i;
            if matches!(s[j], 'b' | 'c') {
                j += 1;
            }
            let raw = at(j) == 'r';
            if raw {
                j += 1;
            }
            let mut hashes = 0;
            while raw && at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) == '"' {
                let mut before: Vec<char> = out
                    .code
                    .chars()
                    .rev()
                    .filter(|c| !c.is_whitespace())
                    .take(24)
                    .collect();
                before.reverse();
                let before: String = before.into_iter().collect();
                let start_line = line;
                let mut chars = Vec::new();
                out.code.push('"');
                i = j + 1;
                while let Some(&c) = s.get(i) {
                    if c == '"' && (0..hashes).all(|k| at(i + 1 + k) == '#') {
                        i += 1 + hashes;
                        break;
                    }
                    if c == '\\' && !raw {
                        i = unescape(&s, i, &mut line, &mut chars, &mut out.code);
                        continue;
                    }
                    if c == '\n' {
                        line += 1;
                        out.code.push('\n');
                    }
                    chars.push((c, line));
                    i += 1;
                }
                out.code.push('"');
                out.literals.push(Literal {
                    line: start_line,
                    chars,
                    before,
                });
                continue;
            }
        }
        if c == '\n' {
            line += 1;
        }
        out.code.push(c);
        i += 1;
    }
    out
}

/// Decodes the escape at `s[i]` (a backslash) into `chars`; returns the index after it.
fn unescape(
    s: &[char],
    i: usize,
    line: &mut usize,
    chars: &mut Vec<(char, usize)>,
    code: &mut String,
) -> usize {
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let simple = match at(i + 1) {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' => Some('\0'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    };
    if let Some(c) = simple {
        chars.push((c, *line));
        return i + 2;
    }
    match at(i + 1) {
        'x' => {
            let hex: String = (i + 2..i + 4).map(at).collect();
            chars.push((
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('?'),
                *line,
            ));
            i + 4
        }
        'u' => {
            let close = (i + 2..s.len())
                .find(|&j| s[j] == '}')
                .unwrap_or(s.len() - 1);
            let hex: String = (i + 3..close).map(at).collect();
            chars.push((
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('?'),
                *line,
            ));
            close + 1
        }
        '\n' | '\r' => {
            // A line continuation: the newline and the next line's indentation are dropped.
            let mut j = i + 1;
            while j < s.len() && s[j].is_whitespace() {
                if s[j] == '\n' {
                    *line += 1;
                    code.push('\n');
                }
                j += 1;
            }
            j
        }
        other => {
            chars.push((other, *line));
            i + 2
        }
    }
}

/// The code with the test modules blanked (their lines kept, empty), and the names of the
/// test modules kept in files of their own (`#[cfg(test)] mod name;`).
fn non_test_code(lexed: &Lexed) -> (String, Vec<String>) {
    let lines: Vec<&str> = lexed.code.split('\n').collect();
    let mut test = vec![false; lines.len()];
    let mut files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        let mut k = i + 1;
        while k < lines.len() && (lines[k].trim().is_empty() || lines[k].starts_with("#[")) {
            k += 1;
        }
        let Some(decl) = lines.get(k).and_then(|l| mod_declaration(l)) else {
            i += 1;
            continue;
        };
        match decl {
            (name, false) => {
                files.push(name);
                i = k + 1;
            }
            (_, true) => {
                let end = matching_brace_line(&lines, k);
                test[i..=end].iter_mut().for_each(|t| *t = true);
                i = end + 1;
            }
        }
    }
    let code: Vec<&str> = lines
        .iter()
        .zip(&test)
        .map(|(l, &t)| if t { "" } else { *l })
        .collect();
    (code.join("\n"), files)
}

/// `mod name {` / `pub mod name;` at the start of a line: the name, and whether it has a body.
fn mod_declaration(line: &str) -> Option<(String, bool)> {
    let rest = ["mod ", "pub mod ", "pub(crate) mod "]
        .iter()
        .find_map(|p| line.strip_prefix(p))?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|&c| is_word(c))
        .collect();
    let after = rest.trim_start()[name.len()..].trim_start();
    match after.chars().next() {
        Some('{') if !name.is_empty() => Some((name, true)),
        Some(';') if !name.is_empty() => Some((name, false)),
        _ => None,
    }
}

/// The line where the block opened on line `start` closes (the last line if it never does).
fn matching_brace_line(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    for (n, line) in lines.iter().enumerate().skip(start) {
        for c in line.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return n;
                    }
                }
                _ => {}
            }
        }
    }
    lines.len() - 1
}

/// The code of a source file without its tests.
fn code_of(src: &str) -> (String, Vec<Literal>) {
    let lexed = lex(src);
    let (code, _) = non_test_code(&lexed);
    (code, lexed.literals)
}

// ---------------------------------------------------------------------------------------------
// The header.

/// Where a file fails the header rule: the line and its text, or `None` when it opens with
/// `//!` after only blank lines and inner attributes.
fn header_problem(src: &str) -> Option<(usize, String)> {
    let mut depth = 0i32;
    for (n, line) in src.lines().enumerate() {
        let t = line.trim();
        if depth > 0 || t.starts_with("#![") {
            depth += t.matches('[').count() as i32 - t.matches(']').count() as i32;
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if t.starts_with("//!") {
            return None;
        }
        return Some((n + 1, t.chars().take(60).collect()));
    }
    Some((1, "(an empty file)".into()))
}

// ---------------------------------------------------------------------------------------------
// SQL in literals.

/// "Any word" in a pattern below.
const ANY: &str = "";
/// Phrases that are SQL wherever they stand in a literal.
const SQL_PHRASES: &[&[&str]] = &[
    &["SELECT"],
    &["INSERT", "INTO"],
    &["INSERT", "OR", ANY, "INTO"],
    &["REPLACE", "INTO"],
    &["UPDATE", ANY, "SET"],
    &["DELETE", "FROM"],
    &["CREATE", "TABLE"],
    &["CREATE", "INDEX"],
    &["CREATE", "UNIQUE", "INDEX"],
    &["CREATE", "VIEW"],
    &["CREATE", "TRIGGER"],
    &["ALTER", "TABLE"],
    &["DROP", "TABLE"],
    &["DROP", "INDEX"],
    &["PRAGMA"],
    &["VACUUM"],
    &["ATTACH", "DATABASE"],
];
/// Statements that are also English words: SQL only where a statement starts.
const SQL_AT_START: &[&str] = &["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"];

/// The literals of a file's non-test code that hold SQL: the line of the first SQL word and
/// a description.
fn sql_in(src: &str) -> Vec<(usize, String)> {
    let (code, literals) = code_of(src);
    sql_literals(&code, literals)
}

/// [`sql_in`] on a file already lexed: `code` without its tests, and all its literals.
fn sql_literals(code: &str, literals: Vec<Literal>) -> Vec<(usize, String)> {
    // A literal of the code has its (emptied) quotes on its first line; one of a test module
    // has a blanked line there.
    let code_lines: Vec<&str> = code.split('\n').collect();
    let mut out = Vec::new();
    for lit in literals {
        if !code_lines
            .get(lit.line - 1)
            .is_some_and(|l| l.contains('"'))
        {
            continue;
        }
        let text: String = lit.chars.iter().map(|(c, _)| c).collect();
        if lit.before.ends_with("include_str!(") && text.ends_with(".sql") {
            out.push((lit.line, format!("include_str! of the SQL file \"{text}\"")));
            continue;
        }
        if let Some((line, phrase)) = sql_phrase(&lit.chars) {
            let shown: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown: String = shown.chars().take(70).collect();
            out.push((line, format!("{phrase} in \"{shown}\"")));
        }
    }
    out
}

/// The first SQL phrase in a literal's value: its line and its words.
fn sql_phrase(chars: &[(char, usize)]) -> Option<(usize, String)> {
    // Words (runs of letters, digits, `_`) and single punctuation marks, white space between.
    let mut tokens: Vec<(String, usize)> = Vec::new();
    let mut word = String::new();
    let mut word_line = 0;
    for &(c, line) in chars.iter().chain(std::iter::once(&(' ', 0))) {
        if is_word(c) {
            if word.is_empty() {
                word_line = line;
            }
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push((std::mem::take(&mut word), word_line));
        }
        if !c.is_whitespace() {
            tokens.push((c.to_string(), line));
        }
    }
    for (n, (tok, line)) in tokens.iter().enumerate() {
        let starts_statement = n == 0 || tokens[n - 1].0 == ";";
        if starts_statement && SQL_AT_START.contains(&tok.as_str()) {
            return Some((*line, tok.clone()));
        }
        for phrase in SQL_PHRASES {
            let matched = phrase.iter().enumerate().all(|(k, want)| {
                tokens.get(n + k).is_some_and(|(t, _)| {
                    if want.is_empty() {
                        t.chars().next().is_some_and(is_word)
                    } else {
                        t == want
                    }
                })
            });
            if matched {
                let words: Vec<&str> = tokens[n..n + phrase.len()]
                    .iter()
                    .map(|(t, _)| t.as_str())
                    .collect();
                return Some((*line, words.join(" ")));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The module graph of the core.

#[derive(Debug, Clone)]
struct Arrow {
    from: String,
    to: String,
    file: String,
    line: usize,
    /// The path as written, e.g. `crate::exchange::fingerprint_of_hex`.
    path: String,
}

#[derive(Debug)]
struct Graph {
    arrows: Vec<Arrow>,
}

fn core_graph() -> Graph {
    let src_dir = root().join("crates/core/src");
    let lib = code_of(&read(&src_dir.join("lib.rs"))).0;
    let modules = declared_modules(&lib);
    let reexports = reexports(&lib, &modules);
    let mut arrows = Vec::new();
    for (file, code, _) in code_files(&src_dir) {
        let path = module_path(
            &file
                .strip_prefix(&src_dir)
                .unwrap_or(&file)
                .to_string_lossy(),
        );
        let Some(from) = path.first().cloned() else {
            continue;
        }; // lib.rs: the root
        for r in crate_refs(&code, &path) {
            let to = resolve(&r.first, &r.base, &modules, &reexports);
            if to != from {
                arrows.push(Arrow {
                    from: from.clone(),
                    to,
                    file: rel(&file),
                    line: r.line,
                    path: r.text,
                });
            }
        }
    }
    arrows.dedup_by(|a, b| (&a.file, a.line, &a.to, &a.path) == (&b.file, b.line, &b.to, &b.path));
    Graph { arrows }
}

/// The module path of a file below `src/`: `lib.rs` → [], `db/mod.rs` → [db],
/// `db/members.rs` → [db, members], `tally.rs` → [tally].
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The modules `lib.rs` declares (`mod x;`, `pub mod x;`).
fn declared_modules(lib: &str) -> BTreeSet<String> {
    lib.lines()
        .filter_map(|l| mod_declaration(l.trim()))
        .map(|(name, _)| name)
        .collect()
}

/// The names `lib.rs` re-exports from a module (`pub use error::{Error, Result};`), each with
/// its module.
fn reexports(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let toks = tokens(lib);
    let mut out = BTreeMap::new();
    let mut n = 0;
    while n + 2 < toks.len() {
        if toks[n].0 == "pub" && toks[n + 1].0 == "use" && modules.contains(&toks[n + 2].0) {
            let module = toks[n + 2].0.clone();
            let mut k = n + 3;
            while k < toks.len() && toks[k].0 != ";" {
                let next = toks.get(k + 1).map_or(";", |t| t.0.as_str());
                if toks[k].0.chars().next().is_some_and(is_word)
                    && matches!(next, "," | "}" | ";")
                    && toks[k].0 != "self"
                {
                    out.insert(toks[k].0.clone(), module.clone());
                }
                k += 1;
            }
            n = k;
        } else {
            n += 1;
        }
    }
    out
}

/// Identifiers, `::`, and single punctuation marks, each with its line.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let s: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if is_word(c) {
            let start = i;
            while i < s.len() && is_word(s[i]) {
                i += 1;
            }
            out.push((s[start..i].iter().collect(), line));
        } else if c == ':' && s.get(i + 1) == Some(&':') {
            out.push(("::".into(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

#[derive(Debug, PartialEq)]
struct CrateRef {
    line: usize,
    /// The module path the path starts from: [] for `crate::`, the file's own path with one
    /// element dropped per `super::`.
    base: Vec<String>,
    /// The first name below `base` (`*` for a glob).
    first: String,
    text: String,
}

/// The crate-relative paths in a file's code (`crate::…`, `super::…`, `self::…`, and each
/// item of a `crate::{…}` group), for a file at module path `path`.
fn crate_refs(code: &str, path: &[String]) -> Vec<CrateRef> {
    let toks = tokens(code);
    let t = |k: usize| toks.get(k).map_or("", |t| t.0.as_str());
    let mut out = Vec::new();
    for n in 0..toks.len() {
        if !matches!(t(n), "crate" | "super" | "self")
            || t(n + 1) != "::"
            || (n > 0 && t(n - 1) == "::")
        {
            continue;
        }
        let mut base: Vec<String> = if t(n) == "crate" {
            Vec::new()
        } else {
            path.to_vec()
        };
        let mut k = n;
        if t(n) != "crate" {
            while matches!(t(k), "super" | "self") && t(k + 1) == "::" {
                if t(k) == "super" {
                    base.pop();
                }
                k += 2;
            }
        } else {
            k += 2;
        }
        let line = toks[n].1;
        let lead: String = toks[n..k].iter().map(|t| t.0.as_str()).collect();
        if t(k) == "{" {
            // A group: the first name of each item at depth 1.
            let mut depth = 0;
            let mut item_start = true;
            let mut j = k;
            while j < toks.len() {
                match t(j) {
                    "{" => {
                        depth += 1;
                        item_start = depth == 1;
                    }
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    "," if depth == 1 => item_start = true,
                    name if item_start && depth == 1 => {
                        item_start = false;
                        if name != "self" {
                            out.push(CrateRef {
                                line: toks[j].1,
                                base: base.clone(),
                                first: name.to_string(),
                                text: format!("{lead}{{{name}…}}"),
                            });
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        } else if !t(k).is_empty() {
            let mut text = format!("{lead}{}", t(k));
            let mut j = k + 1;
            while t(j) == "::" && t(j + 1).chars().next().is_some_and(is_word) {
                text.push_str(&format!("::{}", t(j + 1)));
                j += 2;
            }
            out.push(CrateRef {
                line,
                base,
                first: t(k).to_string(),
                text,
            });
        }
    }
    out
}

/// The top-level module a reference lands in.
fn resolve(
    first: &str,
    base: &[String],
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> String {
    if let Some(top) = base.first() {
        return top.clone();
    }
    if modules.contains(first) {
        return first.to_string();
    }
    reexports
        .get(first)
        .cloned()
        .unwrap_or_else(|| ROOT.to_string())
}

/// The strongly connected components of more than one node (each holds a cycle).
fn cycles(edges: &BTreeSet<(String, String)>) -> Vec<BTreeSet<String>> {
    let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for (a, b) in edges {
                if *a == n && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for n in &nodes {
        if !reaches[n].contains(*n) || out.iter().any(|c| c.contains(*n)) {
            continue;
        }
        let component: BTreeSet<String> = nodes
            .iter()
            .filter(|m| reaches[n].contains(**m) && reaches[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        out.push(component);
    }
    out
}

/// A shortest cycle through the first node of `component`, as a closed path (`a, b, a`).
fn one_cycle(edges: &BTreeSet<(String, String)>, component: &BTreeSet<String>) -> Vec<String> {
    let start = component.iter().next().cloned().unwrap_or_default();
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    while let Some(n) = queue.pop_front() {
        for (a, b) in edges {
            if *a != n || !component.contains(b) {
                continue;
            }
            if *b == start {
                let mut chain = vec![n.clone()];
                while let Some(prev) = came_from.get(chain.last().unwrap_or(&start)) {
                    chain.push(prev.clone());
                }
                chain.reverse();
                chain.push(start);
                return chain;
            }
            if !came_from.contains_key(b) && *b != start {
                came_from.insert(b.clone(), n.clone());
                queue.push_back(b.clone());
            }
        }
    }
    vec![start]
}

// ---------------------------------------------------------------------------------------------
// Function length.

#[derive(Debug, PartialEq)]
struct FnSpan {
    name: String,
    line: usize,
    lines: usize,
}

/// Every function with a body in `code` (test modules already blanked), nested ones too:
/// from the line of `fn` to the line of the closing brace.
fn functions(code: &str) -> Vec<FnSpan> {
    let s: Vec<char> = code.chars().collect();
    let mut line_of = Vec::with_capacity(s.len());
    let mut line = 1;
    for &c in &s {
        line_of.push(line);
        if c == '\n' {
            line += 1;
        }
    }
    let mut out = Vec::new();
    for i in 0..s.len() {
        let keyword = s[i] == 'f'
            && s.get(i + 1) == Some(&'n')
            && (i == 0 || !is_word(s[i - 1]))
            && s.get(i + 2).is_some_and(|c| c.is_whitespace());
        if !keyword {
            continue;
        }
        let mut j = i + 2;
        while j < s.len() && s[j].is_whitespace() {
            j += 1;
        }
        let name: String = s[j..].iter().take_while(|&&c| is_word(c)).collect();
        if name.is_empty() {
            continue; // a fn pointer type
        }
        // The body opens at the first `{` outside parentheses and brackets; a `;` first means
        // a declaration without a body.
        let mut depth = 0i32;
        let mut open = None;
        while j < s.len() {
            match s[j] {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    open = Some(j);
                    break;
                }
                ';' if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        let Some(open) = open else { continue };
        let mut braces = 0i32;
        let mut close = s.len() - 1;
        for (k, &c) in s.iter().enumerate().skip(open) {
            if c == '{' {
                braces += 1;
            } else if c == '}' {
                braces -= 1;
                if braces == 0 {
                    close = k;
                    break;
                }
            }
        }
        out.push(FnSpan {
            name,
            line: line_of[i],
            lines: line_of[close] - line_of[i] + 1,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The scanners on inline text: each can fail.

mod scanners {
    use super::*;

    #[test]
    fn header_is_the_first_thing_but_blank_lines_and_inner_attributes() {
        assert_eq!(header_problem("//! What this is.\nfn f() {}\n"), None);
        assert_eq!(
            header_problem("\n#![no_main]\n\n//! A fuzz target.\n"),
            None
        );
        assert_eq!(
            header_problem("#![cfg_attr(\n    not(test),\n    deny(x)\n)]\n//! Doc.\n"),
            None
        );
        assert_eq!(
            header_problem("use std::fs;\n//! Too late.\n"),
            Some((1, "use std::fs;".into()))
        );
        assert_eq!(
            header_problem("\n// A plain comment.\n"),
            Some((2, "// A plain comment.".into()))
        );
        assert_eq!(
            header_problem("/// An item's doc.\nfn f() {}\n"),
            Some((1, "/// An item's doc.".into()))
        );
        assert!(header_problem("").is_some());
        assert!(is_generated("// @generated by a tool\nfn f() {}"));
        assert!(!is_generated("//! Written by hand.\n"));
    }

    #[test]
    fn the_lexer_separates_code_comments_and_literals() {
        let src = "let a = \"{ x\"; // \"DELETE FROM c\" {\nlet b = '}'; let c: &'static str = r#\"say \"hi\"\"#;\n/* { /* nested */ } */ f();";
        let lexed = lex(src);
        assert_eq!(lexed.code.matches('{').count(), 0, "{}", lexed.code);
        assert_eq!(lexed.code.matches('}').count(), 0, "{}", lexed.code);
        assert!(lexed.code.contains("'static"));
        assert!(lexed.code.contains("f();"));
        let values: Vec<String> = lexed
            .literals
            .iter()
            .map(|l| l.chars.iter().map(|c| c.0).collect())
            .collect();
        assert_eq!(values, ["{ x", "say \"hi\""]);
        assert_eq!(lexed.literals[1].line, 2);
        let escaped = lex("f(\"a\\nb\\\n    c\\u{4e00}\");\nend();");
        let value: String = escaped.literals[0].chars.iter().map(|c| c.0).collect();
        assert_eq!(value, "a\nbc一");
        assert_eq!(
            escaped.code.lines().count(),
            3,
            "line continuations keep their newline"
        );
    }

    #[test]
    fn test_modules_are_left_out() {
        let src = "fn a() {}\n#[cfg(test)]\n#[allow(unused)]\nmod tests {\n    fn b() { \"}\" }\n}\nfn c() {}\n#[cfg(test)]\nmod fixtures;\n";
        let (code, files) = non_test_code(&lex(src));
        assert_eq!(
            code.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>(),
            ["fn a() {}", "fn c() {}", "#[cfg(test)]", "mod fixtures;"]
        );
        assert_eq!(files, ["fixtures"]);
        let (code, _) = non_test_code(&lex("#[cfg(test)]\nfn helper() {}\n"));
        assert!(
            code.contains("helper"),
            "a cfg(test) item other than a module is code"
        );
    }

    #[test]
    fn sql_in_literals_is_found_and_prose_is_not() {
        let sql = "fn f(c: &C) {\n    c.execute(\"DELETE FROM settings WHERE key = ?1\", [k]);\n    c.query(\n        r#\"SELECT code\n           FROM members\"#,\n    );\n    c.execute(\"UPDATE members\n        SET name = ?1\", []);\n    c.batch(\"BEGIN IMMEDIATE; COMMIT\");\n    let s = include_str!(\"../migrations/0001_init.sql\");\n    c.run(\"\\nINSERT OR IGNORE INTO x VALUES (1)\");\n}\n";
        let found: Vec<usize> = sql_in(sql).into_iter().map(|(line, _)| line).collect();
        assert_eq!(found, [2, 4, 7, 9, 10, 11], "{:?}", sql_in(sql));
        let prose = "fn f() {\n    // \"SELECT * FROM members\" in a comment\n    say(\"请选择委员，再点 SELECT 以外的按钮\".len());\n    say(\"Select the members to update, then delete from the list\");\n    say(\"-----BEGIN PUBLIC KEY-----\");\n    say(\"do not COMMIT or ROLLBACK yet\");\n    say(\"请SELECT一项\");\n    say(\"UPDATE_SET\");\n}\n#[cfg(test)]\nmod tests {\n    fn fixture(c: &C) { c.execute(\"DELETE FROM members\", []); }\n}\n";
        assert_eq!(
            sql_in(prose),
            [(
                3,
                "SELECT in \"请选择委员，再点 SELECT 以外的按钮\"".to_string()
            )]
        );
        let prose = prose.replace("SELECT 以外", "选择以外");
        assert!(sql_in(&prose).is_empty(), "{:?}", sql_in(&prose));
    }

    #[test]
    fn crate_paths_are_resolved_to_top_level_modules() {
        let code = "use crate::{db::{self, x}, Error, model::Y};\nuse super::sibling;\nfn f() { crate::tally::sum(); super::super::export::go(); self::inner::z(); }\n";
        let refs = crate_refs(code, &["exchange".into(), "merge".into()]);
        let modules: BTreeSet<String> = ["db", "model", "tally", "export", "error", "exchange"]
            .map(String::from)
            .into();
        let reexports = BTreeMap::from([("Error".to_string(), "error".to_string())]);
        let got: Vec<(usize, String)> = refs
            .iter()
            .map(|r| (r.line, resolve(&r.first, &r.base, &modules, &reexports)))
            .collect();
        let want = [
            (1, "db"),
            (1, "error"),
            (1, "model"),
            (2, "exchange"),
            (3, "tally"),
            (3, "export"),
            (3, "exchange"),
        ];
        assert_eq!(got, want.map(|(l, m)| (l, m.to_string())));
        assert_eq!(refs[4].text, "crate::tally::sum");
        assert_eq!(resolve("Ledger", &[], &modules, &reexports), ROOT);
        // From db/mod.rs, `super::` is the root.
        let refs = crate_refs("use super::model::M;", &["db".into()]);
        assert_eq!(
            resolve(&refs[0].first, &refs[0].base, &modules, &reexports),
            "model"
        );
        let lib = "pub mod db;\nmod error;\npub use error::{Error, ErrorKind as Kind, Result};\nuse db::X;";
        let modules = declared_modules(lib);
        assert_eq!(modules, ["db", "error"].map(String::from).into());
        let names: Vec<String> = super::reexports(lib, &modules).into_keys().collect();
        assert_eq!(names, ["Error", "Kind", "Result"]);
        assert_eq!(module_path("db/mod.rs"), ["db"]);
        assert_eq!(module_path("exchange/merge.rs"), ["exchange", "merge"]);
        assert!(module_path("lib.rs").is_empty());
    }

    #[test]
    fn a_cycle_is_found_and_printed() {
        let edges: BTreeSet<(String, String)> = [
            ("db", "exchange"),
            ("exchange", "tally"),
            ("tally", "db"),
            ("tally", "model"),
            ("export", "tally"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .into();
        let found = cycles(&edges);
        assert_eq!(
            found,
            [["db", "exchange", "tally"].map(String::from).into()]
        );
        assert_eq!(
            one_cycle(&edges, &found[0]),
            ["db", "exchange", "tally", "db"]
        );
        let two: BTreeSet<(String, String)> = [("a", "b"), ("b", "a")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .into();
        assert_eq!(one_cycle(&two, &cycles(&two)[0]), ["a", "b", "a"]);
        let layered: BTreeSet<(String, String)> =
            [("tally", "db"), ("db", "model"), ("exchange", "db")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .into();
        assert!(cycles(&layered).is_empty());
    }

    #[test]
    fn function_lengths_are_counted_from_fn_to_its_closing_brace() {
        let src = "trait T {\n    fn declared(&self);\n}\nfn short(x: fn(u8) -> u8) -> [u8; 2] {\n    let s = \"}}}\";\n    let c = '{';\n    [x(1), 2]\n}\npub fn outer<F: Fn()>(f: F)\nwhere\n    F: Copy,\n{\n    fn inner() {}\n}\n";
        let code = code_of(src).0;
        let spans = functions(&code);
        let got: Vec<(&str, usize, usize)> = spans
            .iter()
            .map(|f| (f.name.as_str(), f.line, f.lines))
            .collect();
        assert_eq!(got, [("short", 4, 5), ("outer", 9, 6), ("inner", 13, 1)]);
        let long = format!(
            "fn long() {{\n{}}}\n#[cfg(test)]\nmod tests {{\n    fn also_long() {{\n{}    }}\n}}\n",
            "    step();\n".repeat(118),
            "step();\n".repeat(200)
        );
        let spans = functions(&code_of(&long).0);
        assert_eq!(
            spans,
            [FnSpan {
                name: "long".into(),
                line: 1,
                lines: 120
            }]
        );
    }

    #[test]
    fn core_paths_are_read_from_paths_and_groups() {
        assert_eq!(super::core_paths("use lvzhi_core::db::settings;"), ["db"]);
        assert_eq!(
            super::core_paths("use lvzhi_core::{demo, model::Member, Ledger};"),
            ["demo", "model", "Ledger"]
        );
        assert!(super::core_paths("cmd::demo::run(&ledger)").is_empty());
    }
}
