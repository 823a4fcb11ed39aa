//! `accord serve`: build, serve, watch, rebuild, reload.
//!
//! The site is built into a private temporary folder (never `public/`, so a
//! half-finished edit never reaches what gets deployed), served with the
//! same router as a static host, and rebuilt when content, templates, themes,
//! static files or settings change. Open pages hold a server-sent-events
//! connection: after a good rebuild they reload (jumping to the page the
//! edited file renders, as `hugo server` does); after a failed one they show
//! the errors in an overlay while the last good site keeps being served.
//! The reload script is added to pages only here, never by `accord build`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use notify::event::ModifyKind;
use notify::RecommendedWatcher;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::model::Site;
use crate::output::OutputFile;
use crate::rebuild::Session;

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Message {
    /// Reload, going to this path if the edited file renders another page.
    Reload(Option<crate::paths::Link>),
    /// The build failed: show this text.
    Error(String),
}

const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__accord/live.js\"></script>";

/// Shared between the HTTP handlers and the rebuild loop.
pub struct DevState {
    tx: broadcast::Sender<Message>,
    last_error: Mutex<Option<String>>,
}

impl DevState {
    pub fn new() -> Arc<DevState> {
        Arc::new(DevState { tx: broadcast::channel(16).0, last_error: Mutex::new(None) })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.tx.subscribe()
    }

    fn send(&self, message: Message) {
        *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = match &message {
            Message::Error(text) => Some(text.clone()),
            Message::Reload(_) => None,
        };
        let _ = self.tx.send(message);
    }
}

/// Adds the live-reload script to a page, only ever in the private build.
fn inject_live_script(file: &mut OutputFile) {
    let html = String::from_utf8_lossy(&file.bytes);
    let injected = match html.rfind("</body>") {
        Some(at) => format!("{}{LIVE_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{LIVE_TAG}"),
    };
    file.bytes = injected.into_bytes();
}

/// A rebuild session for serving `root` from `out`.
pub fn session(root: &Path, out: &Path) -> Session {
    Session::new(root, out, inject_live_script).showing_progress()
}

/// Whether a changed path can change the site: content, templates, themes,
/// static files or settings, and not an editor's backup or swap file.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swx", ".swo", ".tmp", ".bak"].iter().any(|x| name.ends_with(x))
        || name == "4913";
    let watched = rel == Path::new(crate::config::CONFIG_FILE)
        || rel.starts_with("content")
        || crate::pipeline::THEME_INPUTS.iter().any(|d| rel.starts_with(d));
    watched && !temporary
}

fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
    )
}

/// Rebuilds after each batch of changes, tells open pages, then refreshes the search index.
fn rebuild(session: &mut Session, state: &DevState, changed: &[PathBuf]) {
    match session.rebuild(changed) {
        Ok(done) => {
            let target = changed.first().and_then(|p| done.site.page_of(p));
            println!(
                "Rebuilt in {:.0} ms after a change to {}: {} of {} pages rendered{}, {} files written, {} removed",
                done.elapsed.as_secs_f64() * 1000.0,
                changed.first().map_or("the site".into(), |p| p.display().to_string()),
                done.rendered,
                done.pages,
                if done.rest_to_follow { " (the rest of the site follows)" } else { "" },
                done.written,
                done.removed,
            );
            state.send(Message::Reload(target));
            refresh_the_rest(session, &done.site);
        }
        Err(diags) => {
            let text = diags.render();
            eprint!("{text}");
            eprintln!("The last good build is still being served.");
            state.send(Message::Error(text));
        }
    }
}

/// Refreshes what a rebuild left for after the reload: the pages beyond the
/// edited ones (if it left any) and, alongside them, the search index, then
/// the site's data. Search before the data, for an editor checks it more
/// often than the feeds and open data, which take longer to make.
fn refresh_the_rest(session: &mut Session, site: &Site) {
    let report =
        |what: &str, refreshed: Result<Option<std::time::Duration>, crate::diagnostics::Diagnostics>| {
            match refreshed {
                Ok(Some(took)) => println!("{what} refreshed in {:.0} ms", took.as_secs_f64() * 1000.0),
                Ok(None) => {}
                Err(diags) => eprint!("{}", diags.render()),
            }
        };
    let refreshed = session.refresh_pages_and_search(site);
    match refreshed.pages {
        Ok(Some((took, pages))) => {
            println!(
                "The rest of the site followed in {:.0} ms: {pages} more pages rendered",
                took.as_secs_f64() * 1000.0
            )
        }
        Ok(None) => {}
        Err(diags) => eprint!("{}", diags.render()),
    }
    report("Search index", refreshed.search);
    report("Feeds, open data and citations", session.refresh_data(site));
}

/// Watches the site and rebuilds on change until the process ends.
fn watch(
    root: PathBuf,
    mut session: Session,
    state: Arc<DevState>,
) -> notify::Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(150), None, tx)?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        for result in rx {
            let Ok(events) = result else { continue };
            // Reading files (as every build does) raises access events; only changes count.
            let mut changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_change(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_relevant(&root, p))
                .filter_map(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf))
                .collect();
            changed.dedup();
            // The watcher lost track of some changes: read all content again.
            if events.iter().any(|e| e.need_rescan()) {
                changed.push(PathBuf::from("content"));
            }
            if !changed.is_empty() {
                rebuild(&mut session, &state, &changed);
            }
        }
    });
    Ok(debouncer)
}

/// The event that carries a failed build's errors. Not `error`: an
/// EventSource fires its own `error` (with no data) whenever the connection
/// drops, as when `accord serve` is stopped, and that is not a build error.
const BUILD_ERROR: &str = "build-error";

async fn events(state: Arc<DevState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let current = state.last_error.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let initial = tokio_stream::iter(current.map(|text| Ok(Event::default().event(BUILD_ERROR).data(text))));
    let updates = BroadcastStream::new(state.subscribe()).filter_map(|m| match m {
        Ok(Message::Reload(target)) => {
            Some(Ok(Event::default().event("reload").data(target.map(|t| t.to_string()).unwrap_or_default())))
        }
        Ok(Message::Error(text)) => Some(Ok(Event::default().event(BUILD_ERROR).data(text))),
        Err(_) => None,
    });
    Sse::new(initial.chain(updates)).keep_alive(KeepAlive::default())
}

/// The site router plus the live-reload endpoints.
pub fn dev_router(out: &Path, state: Arc<DevState>) -> Router {
    let live = Router::new().route("/__accord/events", get(move || events(state.clone()))).route(
        "/__accord/live.js",
        get(|| async { ([("content-type", "text/javascript; charset=utf-8")], LIVE_JS).into_response() }),
    );
    live.merge(super::site_router(out))
}

/// A running development server: stops when dropped.
pub struct DevServer {
    pub addr: SocketAddr,
    /// Where the private build lives.
    pub out: PathBuf,
    _dir: tempfile::TempDir,
    _watcher: Debouncer<RecommendedWatcher, RecommendedCache>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Builds, starts watching and serves `root` in the background.
pub fn start(root: &Path, addr: SocketAddr) -> Result<DevServer, String> {
    let dir = tempfile::Builder::new().prefix("accord-serve-").tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("site");
    let state = DevState::new();
    let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let mut session = session(&root, &out);
    match session.rebuild(&[]) {
        Ok(done) => {
            println!("Built {} pages in {:.0} ms", done.pages, done.elapsed.as_secs_f64() * 1000.0);
            refresh_the_rest(&mut session, &done.site);
        }
        Err(diags) => {
            let text = diags.render();
            eprint!("{text}");
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            let page = format!("<!DOCTYPE html><html lang=en><title>Build failed</title><body><h1>Build failed</h1>{LIVE_TAG}</body></html>");
            std::fs::write(out.join(crate::paths::file_of(crate::paths::HOME)), page)
                .map_err(|e| e.to_string())?;
            state.send(Message::Error(text));
        }
    }
    let watcher = watch(root.clone(), session, state.clone())
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let listener = super::bind_near(addr)
        .map_err(|e| format!("cannot listen on {addr}: {e} (pass --port to choose another)"))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = dev_router(&out, state);
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
        else {
            return;
        };
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            }
        });
    });
    Ok(DevServer { addr: bound, out, _dir: dir, _watcher: watcher, stop: Some(stop) })
}

/// `accord serve`: runs until Ctrl-C.
pub fn run(root: &Path, addr: SocketAddr) -> Result<(), String> {
    let server = start(root, addr)?;
    println!(
        "Serving {} at http://{}/ (a private build; public/ is untouched). Watching for changes; Ctrl-C to stop.",
        root.display(),
        server.addr
    );
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    println!("\nStopped.");
    drop(server);
    Ok(())
}
