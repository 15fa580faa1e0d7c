//! How the app starts: the time it started, the mark the UI sets once the first screen has
//! painted (which `make bench` and the install test read), and the webview settings that
//! suit a single-document app.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static RENDERED: AtomicBool = AtomicBool::new(false);

/// The first thing `main` does.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The UI calls this once its first screen (the records list, or the first-launch
/// question) has painted. The line on stderr is the mark the benchmark and the install test
/// wait for; it carries no personal data.
#[tauri::command]
pub fn first_screen_rendered() {
    if !RENDERED.swap(true, Ordering::SeqCst) {
        let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        eprintln!("lvzhi: first screen rendered {ms} ms after start");
    }
}

/// One page, no browsing: WebKit's document-viewer cache model keeps no memory cache of
/// pages that will never be visited again.
pub fn tune_webview(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
