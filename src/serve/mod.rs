//! Serving a built site over HTTP on the local machine.
//!
//! A thin layer over tower-http's `ServeDir`, which refuses paths that escape
//! the folder (`..`, encoded or not), serves directory URLs from `index.html`
//! and sets content types. On top of it: a guard that refuses files reached
//! through a symlink pointing outside the folder, the site's own `404.html`
//! for unknown paths, gzip (as any real host would, so measured download
//! sizes are realistic), and a default bind address of 127.0.0.1 so a
//! preview is never exposed to the network by accident. `dev` adds watching,
//! rebuilding and live reload for `accord serve`.

pub mod dev;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The router that serves `dir`: files, directory indexes, and the site's 404 page.
pub fn site_router(dir: &Path) -> Router {
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let not_found = ServeFile::new(dir.join(crate::paths::file_of(crate::paths::NOT_FOUND)));
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .not_found_service(not_found)
        .precompressed_gzip();
    let mut router = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let root = root.clone();
            async move { stay_inside(root, req, next).await }
        }))
        .layer(CompressionLayer::new());
    // The headers the build writes into `_headers`, so a page that breaks
    // the policy shows it here, while it is being edited.
    for (name, value) in crate::render::headers::SECURITY_HEADERS {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            router = router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)));
        }
    }
    router
}

/// Refuses a request whose file, once symlinks are followed, lies outside the site folder.
async fn stay_inside(root: PathBuf, req: Request, next: Next) -> Response {
    let decoded = percent_decode(req.uri().path());
    let relative: PathBuf = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if decoded.split('/').any(|s| s == "..") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Ok(real) = root.join(&relative).canonicalize() {
        if !real.starts_with(&root) {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
    }
    next.run(req).await
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A server bound and running in the background, for tests and tools.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub dir: PathBuf,
}

/// Binds `addr` (port 0 picks a free port) and serves `dir` on a background thread.
pub fn spawn(dir: &Path, addr: SocketAddr) -> std::io::Result<RunningServer> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let bound = std_listener.local_addr()?;
    let router = site_router(dir);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        let Ok(runtime) = runtime else { return };
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) {
                let _ = axum::serve(listener, router).await;
            }
        });
    });
    Ok(RunningServer { addr: bound, dir: dir.to_path_buf() })
}

/// Binds the first free port from `addr`'s, trying the next few; says which it took.
pub fn bind_near(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let mut last = None;
    for port in addr.port()..addr.port().saturating_add(10) {
        match std::net::TcpListener::bind(SocketAddr::new(addr.ip(), port)) {
            Ok(listener) => {
                if port != addr.port() {
                    eprintln!("Port {} is in use; using {port} instead.", addr.port());
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port to try")))
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_encoded_dots_and_slashes() {
        assert_eq!(percent_decode("/%2e%2e/Cargo.toml"), "/../Cargo.toml");
        assert_eq!(percent_decode("/%2E%2E%2fx"), "/../x");
        assert_eq!(percent_decode("/a%20b/%zz"), "/a b/%zz");
    }
}
