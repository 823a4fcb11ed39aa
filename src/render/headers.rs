//! The HTTP headers the site is meant to be served with: a Content
//! Security Policy that lets nothing run but the site's own scripts (and
//! Pagefind's WebAssembly), and the usual hardening headers.
//!
//! Defence in depth: content can never put markup on a page (see
//! `markdown`), and if a template ever did, a browser honouring this policy
//! would still refuse inline scripts, handlers and styles. The build writes
//! the headers as `_headers` for hosts that read one (Netlify, Cloudflare
//! Pages); `accord serve` sends the same ones, so a page that breaks the
//! policy breaks while it is being edited, not after it is deployed.

use super::OutputFile;

/// Every page's headers, in the order they are written.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
];

/// `_headers`: the headers for every path under the site's base path.
pub fn file(base_path: &str) -> OutputFile {
    let mut text = format!("{base_path}*\n");
    for (name, value) in SECURITY_HEADERS {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    OutputFile { path: crate::paths::file_of(crate::paths::HOST_HEADERS), bytes: text.into_bytes() }
}
