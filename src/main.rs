//! Mounts the app. The page is the only place it runs; natively this binary does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    sspr_viewer::ui::mount();
}
