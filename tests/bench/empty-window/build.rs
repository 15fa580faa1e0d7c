//! Tauri's build step for the empty baseline window.
fn main() {
    tauri_build::build()
}
