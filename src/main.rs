//! Mounts the app in the page. Natively, and in the parsing worker, it does nothing.

fn main() {
    // The same module also runs in the parsing worker, where there is no window.
    #[cfg(target_arch = "wasm32")]
    if web_sys::window().is_some() {
        sspr_viewer::ui::mount();
    }
}
