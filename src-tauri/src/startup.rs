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
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: without accelerated compositing (`tune_webview`)
///   there are no GL frames to pass from the web process as DMA-BUFs, but WebKit still set
///   that renderer up in both processes: about 10 MiB (276 → 266 MiB in all). Frames come
///   through shared memory instead, as they did before WebKitGTK 2.42; it is also the usual
///   cure for a blank window on some GPU drivers.
///
/// A variable the user set is left as it is.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const WEB_PROCESS_ENV: [(&str, &str); 2] = [
    ("JSC_useDFGJIT", "0"),
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
];

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
/// - No accelerated compositing (`HardwareAccelerationPolicy::Never`): the page is painted
///   into one buffer instead of a tree of GL layers. On the build machine (Mesa's software
///   GL, as in a VM or a laptop without a working driver) the compositor's layers and GL
///   state took about 95 MiB of the web process's 275 MiB, and its first frame about 0.4 s.
///   The page has no video, WebGL, 3D transforms or long animations (ECharts draws on a 2D
///   canvas, which WebKit paints without compositing), so nothing it shows needs the GPU;
///   scrolling a virtualized table and Element Plus's short transitions paint as before.
///   Set before the page's first paint (the webview is created in the same turn of the main
///   loop, and the web process has not yet started drawing). WebKitWebDriver (the E2E tests)
///   drives the page the same way either way.
pub fn tune_webview(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{SettingsExt, WebContextExt, WebViewExt};
            let view = webview.inner();
            if let Some(context) = view.context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(
                    webkit2gtk::HardwareAccelerationPolicy::Never,
                );
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
