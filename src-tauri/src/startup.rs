//! How the app starts: the time it started, the mark the UI sets once the first screen has
//! painted (which `make bench` and the install test read), and the webview settings that
//! suit a single-document app.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static RENDERED: AtomicBool = AtomicBool::new(false);

/// The first thing `main` does: the start's time, and the environment of the window's
/// toolkit and web process.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
    SET_ENV.get_or_init(start_env);
}

/// What GTK and the web process are told through the environment, which each reads as it
/// starts: set by `main` first of all, before any thread, window or webview exists. Returns
/// the variables set here (none that the user had set already), for programs the app starts
/// to leave out.
///
/// - `GDK_GL=disable`: GTK makes no OpenGL context for the window. The webview draws the page
///   without accelerated compositing (`tune_webview`), so nothing in the window uses GL, but
///   GTK still loaded and set up the GL driver while the webview was made: on a machine
///   without a GPU, Mesa's software rasterizer and LLVM, on the main thread, before the page
///   could start loading. With the variable the page began loading about 30 ms sooner and
///   the first screen was marked about 30 ms sooner (release build under Xvfb, medians of 15
///   starts, three runs alternated: 559 and 564 ms against 591 ms from launch to the mark),
///   with no start stalled in 30.
///
/// - `JSC_useDFGJIT=0`: JavaScriptCore keeps its interpreter and baseline JIT but not its
///   optimizing DFG (nor the FTL above it). Starting the page made the DFG compile Vue's and
///   Element Plus's start-up code, whose compiled code and compiler memory stayed: about
///   15 MiB of the idle web process (176 → 160 MiB on the build machine), for no gain in the
///   first screen's time. The window's JavaScript is UI glue (every figure, list and
///   document is made by the Rust core), so what the optimizing tiers would speed up is
///   small; 年度统计 on 100,000 records opened no slower.
///
/// - `WEBKIT_SKIA_ENABLE_CPU_RENDERING=1`: WebKit paints the page's tiles with Skia on the
///   CPU and still composites them with GL. By default Skia paints through GL too; on a
///   machine without a GPU that GL is Mesa's llvmpipe, a software rasterizer that compiles a
///   shader program for each new kind of thing drawn, so the first frames came slowly, and
///   Skia's GPU caches (glyph atlases, textures, which llvmpipe keeps in ordinary memory)
///   stayed: the idle web process held 35–45 MiB more (253–262 → 215 MiB in the release
///   build on the build machine), and the frames before the first-screen mark came later. A
///   window of forms and tables needs no GPU to paint.
///
/// No accelerated compositing either, but through the webview's setting (the policy Never,
/// `tune_webview`), not `WEBKIT_DISABLE_COMPOSITING_MODE=1`: see there.
///
/// Not set, though measured: `WEBKIT_DISABLE_DMABUF_RENDERER=1` (about 10 MiB less, but 4 of
/// 9 starts then stalled by about half a second, with or without `GDK_GL=disable`).
///
/// A variable the user set is left as it is.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const START_ENV: [(&str, &str); 3] = [
    ("GDK_GL", "disable"),
    ("JSC_useDFGJIT", "0"),
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
];

fn start_env() -> &'static [&'static str] {
    #[cfg(target_os = "linux")]
    {
        let set: Vec<&'static str> = START_ENV
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

/// The variables `start_env` set, for a program the app starts (a file manager) to be
/// started without them.
pub fn set_at_start() -> &'static [&'static str] {
    SET_ENV.get().copied().unwrap_or(&[])
}

/// Leaves out of `command`'s environment what `start_env` set: what the app told its own
/// toolkit and web process is no business of a program it starts (a file manager), and a new
/// instance of the app (started on another ledger) would take it for the user's own and hand
/// it on in turn.
pub fn without_start_env(command: &mut std::process::Command) -> &mut std::process::Command {
    for name in set_at_start() {
        command.env_remove(name);
    }
    command
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
/// - No accelerated compositing (the hardware-acceleration policy Never): the page is painted
///   into one buffer, without GL layers. The idle web process holds about 70 MiB less
///   (215 → 145 MiB; the whole app about 262 MiB, the empty window 243). WebKitGTK 2.50
///   without compositing takes its page snapshot (what WebDriver's screenshot asks for, in
///   the E2E tests) at the page's next paint, and an idle page never paints (its own
///   MiniBrowser hangs the same way on a static page), while the window itself repaints
///   after clicks and typing (X11 captures); the E2E helper keeps a dot repainting while it
///   asks (`tests/e2e/webdriver.mjs`).
///
///   The same through `WEBKIT_DISABLE_COMPOSITING_MODE=1` in the environment (as the app did
///   before) stalled the start by about 0.45 s in 2 to 5 of every 12 launches under Xvfb
///   (the page's load began at ~0.75 s instead of ~0.3 s) and never with the setting
///   (0 of 12, the same build and session; the empty window never stalls). A user who sets
///   that variable still gets what it says.
/// - Each is set before the page's first load: the load starts from the main loop, after
///   `setup` has made the window and called this.
pub fn tune_webview(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
            use webkit2gtk::SettingsExt;
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
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
    fn gtk_makes_no_gl_context_and_the_web_process_has_no_optimizing_jit_and_paints_on_the_cpu() {
        let names: Vec<&str> = super::START_ENV.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "GDK_GL",
                "JSC_useDFGJIT",
                "WEBKIT_SKIA_ENABLE_CPU_RENDERING"
            ]
        );
        super::mark_start();
        if cfg!(target_os = "linux") {
            // Set here, or already set by whoever started the tests (then left as it was).
            for (name, _) in super::START_ENV {
                assert!(std::env::var_os(name).is_some(), "{name}");
            }
        } else {
            assert!(super::set_at_start().is_empty());
        }
    }
}
