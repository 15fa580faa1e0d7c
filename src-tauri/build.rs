//! Tauri's build step: reads tauri.conf.json and the capabilities, checks ui/dist exists.
fn main() {
    tauri_build::build()
}
