//! The first screen's answers, worked out before the page asks for them.
//!
//! The page's first screen needs six answers (what was opened, the year's figures, the first
//! hundred records, the roster, the studios and, for the office, what awaits review). Asked
//! over IPC, they leave only after the page has mounted, and their answers come back after a
//! paint of an empty screen. Instead, `setup` works them out before it makes the window
//! (a few ms on a city's ledger; it waits at most `WAIT`, then makes the window without them),
//! and the window carries them in an initialization script (`window.__LVZHI_FIRST_SCREEN__`).
//! The page's IPC layer answers those exact calls from it, once each
//! (`ui/src/ipc/firstScreen.ts`).
//!
//! Each entry is the command's name, its arguments as the page sends them, and the command's
//! own answer, made by the same core calls. A call the page makes with other arguments simply
//! goes over IPC: a guess that misses costs time, never correctness. An answer that failed is
//! left out, so that the page asks again and shows the error the usual way.

use lvzhi_core::model::{ActivityFilter, DeviceRole, Status};
use lvzhi_core::tally::TallyOptions;
use serde::Serialize;
use serde_json::{json, Value};

use crate::state::AppState;

/// How long the window waits for the answers: a ledger too large to answer by then opens its
/// window at once and is asked over IPC, as before.
pub const WAIT: std::time::Duration = std::time::Duration::from_millis(150);

/// The answers, worked out on a thread of their own; none if they take longer than `WAIT` or
/// fail in any way (the page then asks for everything over IPC).
pub fn prefetch_for_a_while(app: &tauri::AppHandle) -> Vec<Prefetched> {
    use tauri::Manager;
    let app = app.clone();
    let (send, answers) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("first-screen".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let prefetched = prefetch(&state, chrono::Local::now().date_naive());
            crate::startup::trace("first screen prefetched");
            let _ = send.send(prefetched);
        });
    if spawned.is_err() {
        return Vec::new();
    }
    // A panic drops the sender: that, like a timeout, is no answers.
    answers.recv_timeout(WAIT).unwrap_or_default()
}

/// How many records the list asks for at a time (`usePagedList`'s chunk).
pub const LIST_CHUNK: u32 = 100;

/// One command's answer, with the arguments it answers.
#[derive(Debug, Serialize)]
pub struct Prefetched {
    pub command: &'static str,
    pub args: Value,
    pub answer: Value,
}

/// The first screen's calls as `App.vue`'s `load()` makes them, answered.
pub fn prefetch(state: &AppState, today: chrono::NaiveDate) -> Vec<Prefetched> {
    let mut out = Vec::new();
    let info = crate::commands::app_info_of(state, today);
    let opened = info.open_error.is_none();
    let year = info.default_year;
    let office = info
        .setup
        .as_ref()
        .is_some_and(|s| s.role == DeviceRole::Office);
    push(&mut out, "app_info", json!({}), Ok::<_, ()>(info));
    if !opened {
        return out;
    }
    // The list's filter as `listFilter()` sends it: the fields it leaves out are absent.
    let mut filter = json!({ "year": year, "order": "date", "offset": 0, "limit": LIST_CHUNK });
    if office {
        let counts = state.with_ledger(|l| l.review_counts(year));
        // The office opens on what awaits review, when anything does.
        if counts.as_ref().is_ok_and(|c| c.submitted > 0) {
            filter["statuses"] = json!([Status::Submitted]);
        }
        // Asked twice: once to choose the filter, once beside the year's figures.
        for _ in 0..2 {
            push(
                &mut out,
                "review_counts",
                json!({ "year": year }),
                counts.as_ref(),
            );
        }
    }
    let options = TallyOptions::default();
    let tally = state.with_ledger(|l| l.tally_year(year, &options));
    push(
        &mut out,
        "tally_year",
        json!({ "year": year, "options": options }),
        tally,
    );
    // Read the way the command reads it, so that the answer is the one the command would give.
    let page = serde_json::from_value::<ActivityFilter>(filter.clone())
        .map_err(|_| ())
        .and_then(|f| state.with_ledger(|l| l.list_page(&f)).map_err(|_| ()));
    push(
        &mut out,
        "list_activities",
        json!({ "filter": filter }),
        page,
    );
    let members = state.with_ledger(|l| l.list_members());
    push(&mut out, "list_members", json!({}), members);
    let studios = state.with_ledger(|l| l.list_studios());
    push(&mut out, "list_studios", json!({}), studios);
    out
}

/// Keeps an answer that succeeded; one that failed is asked again by the page.
fn push<T: Serialize, E>(
    out: &mut Vec<Prefetched>,
    command: &'static str,
    args: Value,
    answer: Result<T, E>,
) {
    if let Some(answer) = answer.ok().and_then(|a| serde_json::to_value(a).ok()) {
        out.push(Prefetched {
            command,
            args,
            answer,
        });
    }
}

/// The initialization script that hands the answers to the page. JSON is a JavaScript
/// expression; it is parsed as a string so that no text from the ledger is ever read as code.
pub fn script(prefetched: &[Prefetched]) -> String {
    let text = serde_json::to_string(prefetched).unwrap_or_else(|_| "[]".into());
    let literal = serde_json::to_string(&text).unwrap_or_else(|_| "\"[]\"".into());
    format!("window.__LVZHI_FIRST_SCREEN__ = JSON.parse({literal});")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use lvzhi_core::model::ReviewCounts;
    use lvzhi_core::{ErrorKind, ErrorReport, Ledger};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn demo(role: DeviceRole) -> AppState {
        let ledger = Ledger::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
        ledger.load_demo(now).unwrap();
        ledger
            .set_device_setup(role, None, Some("永康市政协"), now)
            .unwrap();
        AppState::for_tests(Ok(ledger))
    }

    fn calls(prefetched: &[Prefetched]) -> Vec<&str> {
        prefetched.iter().map(|p| p.command).collect()
    }

    fn entry<'a>(prefetched: &'a [Prefetched], command: &str) -> &'a Prefetched {
        prefetched.iter().find(|p| p.command == command).unwrap()
    }

    /// The office's first screen, as `App.vue`'s `load()` asks for it. The page's side of this
    /// contract is checked against the same file (`firstScreen.spec.ts`).
    const OFFICE_CALLS: &str = "../ui/src/__tests__/fixtures/first-screen-office.json";

    #[test]
    fn the_office_gets_every_answer_its_first_screen_asks_for_and_each_is_the_commands_own() {
        let state = demo(DeviceRole::Office);
        let prefetched = prefetch(&state, today());
        assert_eq!(
            calls(&prefetched),
            [
                "app_info",
                "review_counts",
                "review_counts",
                "tally_year",
                "list_activities",
                "list_members",
                "list_studios"
            ]
        );
        let info = crate::commands::app_info_of(&state, today());
        assert_eq!(
            entry(&prefetched, "app_info").answer,
            serde_json::to_value(&info).unwrap()
        );
        let year = info.default_year;
        let counts: ReviewCounts =
            serde_json::from_value(entry(&prefetched, "review_counts").answer.clone()).unwrap();
        assert!(
            counts.submitted > 0,
            "the demo year has records awaiting review"
        );

        // The arguments read as the commands read them, and the answers are theirs.
        let list = entry(&prefetched, "list_activities");
        let filter: ActivityFilter = serde_json::from_value(list.args["filter"].clone()).unwrap();
        assert_eq!(filter.year, Some(year));
        assert_eq!(
            filter.statuses,
            vec![Status::Submitted],
            "the office opens on what awaits review"
        );
        assert_eq!((filter.offset, filter.limit), (Some(0), Some(LIST_CHUNK)));
        let page = state.with_ledger(|l| l.list_page(&filter)).unwrap();
        assert!(!page.rows.is_empty());
        assert_eq!(list.answer, serde_json::to_value(&page).unwrap());
        let tally = entry(&prefetched, "tally_year");
        let options: TallyOptions = serde_json::from_value(tally.args["options"].clone()).unwrap();
        let expected = state.with_ledger(|l| l.tally_year(year, &options)).unwrap();
        assert_eq!(tally.answer, serde_json::to_value(&expected).unwrap());
        let members = state.with_ledger(|l| l.list_members()).unwrap();
        assert_eq!(
            entry(&prefetched, "list_members").answer,
            serde_json::to_value(&members).unwrap()
        );

        // The calls, as the page's test replays them, with what it needs of `app_info`.
        let calls: Vec<Value> = prefetched
            .iter()
            .filter(|p| p.command != "app_info")
            .map(|p| json!({ "command": p.command, "args": p.args }))
            .collect();
        let shape = json!({ "default_year": year, "role": "office", "calls": calls });
        let text = serde_json::to_string_pretty(&shape).unwrap() + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(OFFICE_CALLS);
        if std::env::var_os("LVZHI_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, text,
            "{OFFICE_CALLS} is out of date: run with LVZHI_BLESS=1 and check the page's test"
        );
    }

    #[test]
    fn a_members_laptop_lists_every_status_and_asks_no_review_counts() {
        // A ledger whose first launch has not been answered is a member's, as the page sees it.
        let state = AppState::for_tests(Ok(Ledger::open_in_memory().unwrap()));
        let prefetched = prefetch(&state, today());
        assert_eq!(
            calls(&prefetched),
            [
                "app_info",
                "tally_year",
                "list_activities",
                "list_members",
                "list_studios"
            ]
        );
        let filter = &entry(&prefetched, "list_activities").args["filter"];
        assert_eq!(filter.get("statuses"), None);
        assert_eq!(filter["order"], "date");
    }

    #[test]
    fn a_ledger_that_did_not_open_gets_only_what_was_opened() {
        let report = ErrorReport {
            kind: ErrorKind::Corrupt,
            message: "坏了".into(),
            field: None,
        };
        let prefetched = prefetch(&AppState::for_tests(Err(report)), today());
        assert_eq!(calls(&prefetched), ["app_info"]);
        assert_eq!(
            entry(&prefetched, "app_info").answer["open_error"]["kind"],
            "corrupt"
        );
    }

    #[test]
    fn text_from_the_ledger_reaches_the_page_as_data_never_as_code() {
        let hostile = "\"); alert(1); (\"</script>\u{2028}\\";
        let prefetched = vec![Prefetched {
            command: "list_members",
            args: json!({}),
            answer: json!([{ "name": hostile }]),
        }];
        let script = script(&prefetched);
        let literal = script
            .strip_prefix("window.__LVZHI_FIRST_SCREEN__ = JSON.parse(")
            .and_then(|s| s.strip_suffix(");"))
            .unwrap();
        // One JSON string literal and nothing after it (serde refuses trailing text); inside
        // it, the JSON of the answers.
        let inner: String = serde_json::from_str(literal).unwrap();
        let back: Value = serde_json::from_str(&inner).unwrap();
        assert_eq!(back[0]["answer"][0]["name"], hostile);
    }
}
