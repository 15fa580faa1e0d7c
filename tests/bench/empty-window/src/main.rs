//! An empty Tauri 2 window: what `make bench` measures the app against. It shows one blank
//! page and prints the same first-screen mark as the app once that page has loaded.

fn main() {
    let started = std::time::Instant::now();
    tauri::Builder::default()
        .on_page_load(move |_, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                eprintln!(
                    "lvzhi: first screen rendered {} ms after start",
                    started.elapsed().as_millis()
                );
            }
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|err| {
            eprintln!("empty window: {err}");
            std::process::exit(1)
        });
}
