//! Serving a built site over HTTP on the local machine.
//!
//! A thin layer over tower-http's `ServeDir`, which already refuses paths that
//! escape the folder (`..`, encoded or not), serves directory URLs from
//! `index.html` and sets content types. On top of it: the site's own
//! `404.html` for unknown paths, gzip (as any real host would, so measured
//! download sizes are realistic), and a default bind address of 127.0.0.1 so
//! a preview is never exposed to the network by accident.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The router that serves `dir`: files, directory indexes, and the site's 404 page.
pub fn site_router(dir: &Path) -> Router {
    let not_found = ServeFile::new(dir.join("404.html"));
    let files = ServeDir::new(dir).append_index_html_on_directories(true).not_found_service(not_found);
    Router::new().fallback_service(files).layer(CompressionLayer::new())
}

/// A server bound and running in the background; dropped with its runtime.
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

/// Serves `dir` on `addr` until the process is stopped (Ctrl-C).
pub fn serve_forever(dir: &Path, addr: SocketAddr) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let router = site_router(dir);
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}
