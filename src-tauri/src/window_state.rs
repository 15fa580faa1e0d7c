//! Keeps the window's size and position between launches. tauri-plugin-window-state restores
//! them when the window opens and writes them when the app exits normally; this also writes
//! them shortly after the window is moved or resized, so a crash, a power cut or a killed
//! process does not lose them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long after the last move or resize the state is written.
const SETTLE: Duration = Duration::from_millis(700);

pub fn save_after_changes(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let changed = Arc::new(AtomicBool::new(false));
    let mark = changed.clone();
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            mark.store(true, Ordering::Relaxed);
        }
    });
    let app = app.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(SETTLE);
        if changed.swap(false, Ordering::Relaxed) {
            // A failed write only costs the remembered size; it is retried on the next change.
            let _ = app.save_window_state(StateFlags::all());
        }
    });
}
