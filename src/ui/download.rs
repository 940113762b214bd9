//! Saving a file: its parts as Blobs (kept by the browser, not in the page's memory),
//! behind an object URL and a temporary `<a download>`. Nothing is sent anywhere.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// A file put together a part at a time.
#[derive(Default)]
pub struct FileParts(js_sys::Array);

impl FileParts {
    /// Adds `text` to the end of the file, as UTF-8. False if the browser could not
    /// keep it (then the file is incomplete, and must not be saved).
    pub fn push(&self, text: &str) -> bool {
        let bytes = js_sys::Uint8Array::from(text.as_bytes());
        match Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes)) {
            Ok(part) => {
                self.0.push(&part);
                true
            }
            Err(_) => false,
        }
    }

    /// Offers the file to the user as `file_name`. False if the browser could not.
    pub fn save(self, file_name: &str, mime: &str) -> bool {
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        let Ok(blob) = Blob::new_with_blob_sequence_and_options(&self.0, &options) else {
            return false;
        };
        let Ok(url) = Url::create_object_url_with_blob(&blob) else {
            return false;
        };
        let a = document()
            .create_element("a")
            .ok()
            .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok());
        if let Some(a) = &a {
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        }
        let _ = Url::revoke_object_url(&url);
        a.is_some()
    }
}

/// Offers `text` to the user as a file.
pub fn save_text(file_name: &str, mime: &str, text: &str) {
    let file = FileParts::default();
    if file.push(text) {
        file.save(file_name, mime);
    }
}
