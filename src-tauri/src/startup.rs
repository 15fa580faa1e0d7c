//! How the app starts: the time it started, the mark the UI sets once the first screen has
//! painted (which `make bench` and the install test read), and the webview settings that
//! suit a single-document app.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static RENDERED: AtomicBool = AtomicBool::new(false);

/// The first thing `main` does: the start's time, and the web process's environment.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
    SET_ENV.get_or_init(web_process_env);
}

/// What the web process is told through its environment, which it reads as it starts: set by
/// `main` first of all, before any thread or webview exists. Returns the variables set here
/// (none that the user had set already), for programs the app starts to leave out.
///
/// - `JSC_useDFGJIT=0`: JavaScriptCore keeps its interpreter and baseline JIT but not its
///   optimizing DFG (nor the FTL above it). Starting the page made the DFG compile Vue's and
///   Element Plus's start-up code, whose compiled code and compiler memory stayed: about
///   15 MiB of the idle web process (176 → 160 MiB on the build machine), for no gain in the
///   first screen's time. The window's JavaScript is UI glue (every figure, list and
///   document is made by the Rust core), so what the optimizing tiers would speed up is
///   small; 年度统计 on 100,000 records opened no slower.
///
/// Not set, though measured: `WEBKIT_DISABLE_DMABUF_RENDERER=1` (about 10 MiB less) and
/// `HardwareAccelerationPolicy::Never` in `tune_webview` (about 95 MiB less in the web
/// process, and a first frame 0.4 s sooner, on the build machine's software GL). With either,
/// WebKit's own snapshot of the page (what WebDriver's screenshot asks for, in the E2E
/// tests) waited past a minute in several windows, so a frame was not being presented when
/// asked; that is not shipped until it is understood.
///
/// A variable the user set is left as it is.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const WEB_PROCESS_ENV: [(&str, &str); 1] = [("JSC_useDFGJIT", "0")];

fn web_process_env() -> &'static [&'static str] {
    #[cfg(target_os = "linux")]
    {
        let set: Vec<&'static str> = WEB_PROCESS_ENV
            .iter()
            .filter(|(name, _)| std::env::var_os(name).is_none())
            .map(|&(name, value)| {
                std::env::set_var(name, value);
                name
            })
            .collect();
        Vec::leak(set)
    }
    #[cfg(not(target_os = "linux"))]
    &[]
}

/// The variables `web_process_env` set, for a program the app starts (a file manager) to be
/// started without them.
pub fn set_for_web_process() -> &'static [&'static str] {
    SET_ENV.get().copied().unwrap_or(&[])
}

static SET_ENV: OnceLock<&'static [&'static str]> = OnceLock::new();

/// With `LVZHI_TRACE_STARTUP=1`, a line on stderr for each step of the start (the ledger
/// opened, the page loading, each IPC call), in ms since the start: where the first screen's
/// time goes.
pub fn trace(what: &str) {
    static ON: OnceLock<bool> = OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("LVZHI_TRACE_STARTUP").is_some_and(|v| v == "1")) {
        let ms = STARTED
            .get()
            .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
        eprintln!("lvzhi: trace {ms:8.1} ms {what}");
    }
}

/// The UI calls this once its first screen (the records list, or the first-launch
/// question) has painted, with the page's own moments of the start (names and ms since the
/// page began, traced with `LVZHI_TRACE_STARTUP=1`). The line on stderr is the mark the
/// benchmark and the install test wait for; it carries no personal data.
#[tauri::command]
pub fn first_screen_rendered(trace: Option<String>) {
    if !RENDERED.swap(true, Ordering::SeqCst) {
        let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        if let Some(page) = trace {
            self::trace(&format!("page: {page}"));
        }
        eprintln!("lvzhi: first screen rendered {ms} ms after start");
    }
}

/// The webview's settings for a one-page app of forms and tables:
///
/// - WebKit's document-viewer cache model keeps no memory cache of pages that will never be
///   visited again.
/// - Accelerated compositing stays as WebKit chooses: see `web_process_env` for what turning
///   it off saved, and why it is not done.
pub fn tune_webview(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
            trace("webview tuned");
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_web_process_starts_without_the_optimizing_jit() {
        super::mark_start();
        if cfg!(target_os = "linux") {
            // Set here, or already set by whoever started the tests (then left as it was).
            for (name, _) in super::WEB_PROCESS_ENV {
                assert!(std::env::var_os(name).is_some(), "{name}");
            }
        } else {
            assert!(super::set_for_web_process().is_empty());
        }
    }
}
