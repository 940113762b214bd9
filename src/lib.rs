//! sspr-viewer: reads Azure AD / Entra ID password-management report exports in the
//! browser. `report` is the pure domain (native-tested); `ui` is the Leptos app, built
//! only for the browser; `text` holds every user-facing sentence.

pub mod report;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;
