//! Finishes `trunk build` output (run by `make dist`):
//! - `dist/index.html`, the hosted page: gets its Content-Security-Policy, which names
//!   the hash of Trunk's inline loader and allows no connection but to its own origin
//!   (to fetch its `.wasm`);
//! - `dist/sspr-viewer.html`, the offline page: one self-contained file with the CSS,
//!   the wasm-bindgen glue and the wasm bytes (base64) inlined, and `connect-src 'none'`.
//!   It works when opened over file://, where module scripts and fetch are blocked.
//!
//! First the hosted page's JS glue is minified (terser) and its integrity hash updated.
//! (The wasm loses the exports nothing calls — wasm-streams' JS stream adapters, linked
//! through Leptos' server functions, which this app has none of — in Trunk's own
//! wasm-opt run: `--remove-exports` in index.html's `data-wasm-opt-params`.)
//!
//! Both pages carry the parsing worker's script as inert text
//! (`<script type="text/plain" id="sspr-worker-src">`): the glue turned into a classic
//! script plus a small entry. The page starts workers from it through a Blob URL, which
//! works hosted and over file:// alike.
//!
//! ```text
//! bundle [DIST_DIR]
//! ```

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use base64::Engine;
    use sha2::{Digest, Sha256, Sha384};

    const CSP_PLACEHOLDER: &str = "sspr-viewer-csp";
    const OFFLINE_FILE: &str = "sspr-viewer.html";

    pub fn main() -> ExitCode {
        let dist = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".into()));
        match run(&dist) {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("bundle: {message}");
                ExitCode::FAILURE
            }
        }
    }

    fn run(dist: &Path) -> Result<String, String> {
        let read = |name: &str| {
            std::fs::read_to_string(dist.join(name)).map_err(|e| format!("{name}: {e}"))
        };
        let mut index = read("index.html")?;
        if !index.contains(CSP_PLACEHOLDER) {
            return Err("index.html has no CSP placeholder: run `trunk build` first".into());
        }

        // Trunk's loader: `import init, * as bindings from './X.js'; await init({ module_or_path: './X_bg.wasm' })`.
        let loader = between(&index, "<script type=\"module\">", "</script>")
            .ok_or("no module loader in index.html")?
            .to_string();
        let glue_name = between(&loader, "from './", "'").ok_or("no glue import in the loader")?;
        let wasm_name =
            between(&loader, "module_or_path: './", "'").ok_or("no wasm path in the loader")?;
        let styles: Vec<String> = index
            .split("<link rel=\"stylesheet\" href=\"./")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(String::from)
            .collect();

        let glue = read(glue_name)?;
        if !glue.contains("__wbg_init") {
            return Err(format!(
                "{glue_name} is not wasm-bindgen's glue as written: run `trunk build` first"
            ));
        }
        let wasm_path = dist.join(wasm_name);
        let worker = worker_script(&glue)?;
        // The hosted page's copy; the offline page inlines the glue as it was (it calls
        // the glue's own `__wbg_init`, a name minifying would change).
        let glue_path = dist.join(glue_name);
        let minify = ["--module", "--compress", "--mangle", "-o"];
        if let Some(integrity) = rewrite(&glue_path, "terser", &minify)? {
            index = with_integrity(&index, integrity)?;
        }
        let worker_tag =
            format!("<script type=\"text/plain\" id=\"sspr-worker-src\">{worker}</script>\n");

        let hosted_csp = policy(&[
            (
                "script-src",
                format!("'self' 'wasm-unsafe-eval' {}", hash(&loader)),
            ),
            ("connect-src", "'self'".into()),
            ("style-src", "'self'".into()),
            ("img-src", "'self' data: blob:".into()),
        ]);
        let hosted = index
            .replace(CSP_PLACEHOLDER, &hosted_csp)
            .replace("</body>", &format!("{worker_tag}</body>"));
        std::fs::write(dist.join("index.html"), hosted).map_err(|e| e.to_string())?;

        let wasm = std::fs::read(&wasm_path).map_err(|e| format!("{wasm_name}: {e}"))?;
        let css = styles
            .iter()
            .map(|s| read(s))
            .collect::<Result<Vec<_>, _>>()?
            .join("\n");
        if glue.contains("</script") || css.contains("</style") {
            return Err("the glue or the CSS contains a closing tag and cannot be inlined".into());
        }
        let script = format!(
        "{glue}\n// The wasm bytes, inlined: a page opened over file:// cannot fetch them.\n\
         const wasmBase64 = \"{}\";\n\
         const wasmBytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(wasmBase64) : Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));\n\
         await __wbg_init({{ module_or_path: wasmBytes }});\n",
        base64::engine::general_purpose::STANDARD.encode(&wasm)
    );
        let offline_csp = policy(&[
            (
                "script-src",
                format!("'wasm-unsafe-eval' {}", hash(&script)),
            ),
            ("connect-src", "'none'".into()),
            ("style-src", hash(&css)),
            ("img-src", "data: blob:".into()),
        ]);
        let title = between(&index, "<title>", "</title>").unwrap_or("SSPR report viewer");
        let noscript = between(&index, "<noscript>", "</noscript>").unwrap_or("");
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{offline_csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n\
         <style>{css}</style>\n</head>\n<body>\n<noscript>{noscript}</noscript>\n\
         {worker_tag}<script type=\"module\">{script}</script>\n</body>\n</html>\n"
        );
        std::fs::write(dist.join(OFFLINE_FILE), &page).map_err(|e| e.to_string())?;
        Ok(format!(
            "hosted page: {}\noffline page: {} ({} bytes; wasm {} bytes)",
            dist.join("index.html").display(),
            dist.join(OFFLINE_FILE).display(),
            page.len(),
            wasm.len()
        ))
    }

    /// Runs `tool` (from `npm ci`, on the PATH) on the file at `path`, writing its output
    /// over it (`args` end with the output flag). Returns the old and new SRI hashes.
    fn rewrite(path: &Path, tool: &str, args: &[&str]) -> Result<Option<(String, String)>, String> {
        let name = path.display();
        let before = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
        let out = path.with_extension("out");
        let status = std::process::Command::new(tool)
            .arg(path)
            .args(args)
            .arg(&out)
            .status()
            .map_err(|e| format!("{tool} (from `npm ci`, on the PATH): {e}"))?;
        if !status.success() {
            let _ = std::fs::remove_file(&out);
            return Err(format!("{tool} failed on {name}"));
        }
        std::fs::rename(&out, path).map_err(|e| format!("{name}: {e}"))?;
        let after = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
        Ok((after != before).then(|| (integrity(&before), integrity(&after))))
    }

    /// The page with a file's old SRI hash replaced by its new one.
    fn with_integrity(index: &str, (old, new): (String, String)) -> Result<String, String> {
        if !index.contains(&old) {
            return Err(format!(
                "index.html does not name {old}: Trunk's hashes changed?"
            ));
        }
        Ok(index.replace(&old, &new))
    }

    /// The Subresource Integrity value Trunk writes for a file.
    fn integrity(bytes: &[u8]) -> String {
        let digest = Sha384::digest(bytes);
        format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    /// The worker's script: the ES-module glue made a classic script (no `export`, no
    /// `import.meta`), then an entry that instantiates the module the page sends and hands
    /// over to Rust.
    fn worker_script(glue: &str) -> Result<String, String> {
        let mut out = String::with_capacity(glue.len() + 256);
        for line in glue.lines() {
            let line = line.replace("import.meta.url", "self.location.href");
            if line.starts_with("export {") {
                continue;
            }
            if line.trim_start().starts_with("import ") {
                return Err(format!(
                    "the glue imports a module and cannot run in a classic worker: {line}"
                ));
            }
            out.push_str(line.strip_prefix("export ").unwrap_or(&line));
            out.push('\n');
        }
        out.push_str(
            "self.onmessage = (e) => { initSync({ module: e.data.init }); worker_start(); };\n",
        );
        if out.contains("</script") {
            return Err("the worker script contains a closing tag and cannot be inlined".into());
        }
        Ok(out)
    }

    /// The page's policy: nothing is allowed unless named here.
    fn policy(directives: &[(&str, String)]) -> String {
        let mut parts = vec!["default-src 'none'".to_string()];
        parts.extend(directives.iter().map(|(k, v)| format!("{k} {v}")));
        parts.extend(
            [
                "worker-src blob:",
                "base-uri 'none'",
                "form-action 'none'",
                "object-src 'none'",
            ]
            .map(String::from),
        );
        parts.join("; ")
    }

    /// A CSP source for an inline element's exact text.
    fn hash(text: &str) -> String {
        let digest = Sha256::digest(text.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
        let from = text.find(start)? + start.len();
        let len = text[from..].find(end)?;
        Some(&text[from..from + len])
    }
}

fn main() -> std::process::ExitCode {
    #[cfg(not(target_arch = "wasm32"))]
    return native::main();
    #[cfg(target_arch = "wasm32")]
    std::process::ExitCode::FAILURE
}
