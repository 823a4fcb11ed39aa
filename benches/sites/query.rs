//! What a reader's first search downloads, measured in a real browser.
//!
//! An estimate from file sizes (each shard's metadata, filters and largest
//! index chunk) proved no bound at all: a two-word query loads one index
//! chunk per word in every shard, and on a corpus whose words are common a
//! word's chunk is its list of pages, as long as the corpus is large. So the
//! benchmark serves the built site from loopback with a server that counts
//! every byte it sends, lets headless Chromium run the search page (its web
//! worker included, whose downloads a page's resource timing leaves out)
//! until five results show, and reports the count. The same query through
//! Pagefind's own API on Pagefind's CLI index of Hugo's output is the
//! baseline: the least any Pagefind search of those pages downloads.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

/// The query both searches run: two words, as in the search tests.
pub const QUERY: &str = "data sharing";

const CHROMIUM: &str = "/usr/bin/chromium";

/// Bytes sent and requests answered for one first visit: by the time five
/// results show, and (on accord's search page, which fetches the text of
/// every result it lists at once) by the time the whole list is drawn.
pub struct Downloaded {
    pub kb: f64,
    pub requests: usize,
    /// Everything the query downloaded once its list was complete, and how many results it lists.
    pub whole_list: Option<(f64, usize, usize)>,
}

/// What is searched, and how the page shows it is done.
pub enum Search<'a> {
    /// accord's search page in a built site (its modular UI, filters and all).
    Accord { site: &'a Path },
    /// A Pagefind bundle written by Pagefind's CLI, searched through its API
    /// from a page the benchmark serves beside it.
    PagefindCli { bundle: &'a Path },
}

/// The page Pagefind's CLI bundle is searched from: the API's search, then
/// the data of the first five results, as any results list needs.
const API_PAGE: &str = "<!doctype html><html lang=en><title>searching</title><script type=module>\
const pagefind = await import('/pagefind/pagefind.js');\
const found = await pagefind.search(new URLSearchParams(location.search).get('q'));\
await Promise.all(found.results.slice(0, 5).map((r) => r.data()));\
document.title = 'done ' + found.results.length;\
</script></html>";

pub fn first_query(search: Search) -> Result<Downloaded, String> {
    if !Path::new(CHROMIUM).exists() {
        return Err(format!("{CHROMIUM} not found"));
    }
    // Where the served folder is mounted: a site at its root, a bundle under /pagefind/.
    let (root, mount, page, done, complete) = match search {
        Search::Accord { site } => (
            site.to_path_buf(),
            "",
            "/search/",
            // Five titled results (or all there are), after the summary says how many.
            "(() => { const s = document.querySelector('#search-summary'); \
             if (!s || !/ found for /.test(s.textContent)) return false; \
             const total = parseInt(s.textContent, 10) || 0; \
             return document.querySelectorAll('#search-results > li .search-result-title a').length >= Math.min(5, total); })()",
            // The number of results listed, once the list says it is no longer busy.
            Some(
                "(() => { const l = document.querySelector('#search-results'); \
                 return l && l.getAttribute('aria-busy') === 'false' ? l.children.length : null; })()",
            ),
        ),
        Search::PagefindCli { bundle } => {
            (bundle.to_path_buf(), "pagefind/", "/accord-bench-query.html", "document.title.startsWith('done')", None)
        }
    };
    let server = Counting::start(root, mount)?;
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(CHROMIUM.into()))
            .sandbox(false)
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let tab = browser.new_tab().map_err(|e| e.to_string())?;
    let query: String = QUERY.split(' ').collect::<Vec<_>>().join("+");
    tab.navigate_to(&format!("http://{}{page}?q={query}", server.addr)).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let settled = tab.evaluate(done, false).ok().and_then(|r| r.value).and_then(|v| v.as_bool());
        if settled == Some(true) {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("no results for {QUERY:?} within 90 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let kb = |server: &Counting| server.bytes.load(Ordering::SeqCst) as f64 / 1024.0;
    let (five_kb, five_requests) = (kb(&server), server.requests.load(Ordering::SeqCst));
    let whole_list = match complete {
        Some(complete) => loop {
            let listed = tab.evaluate(complete, false).ok().and_then(|r| r.value).and_then(|v| v.as_u64());
            if let Some(listed) = listed {
                break Some((kb(&server), server.requests.load(Ordering::SeqCst), listed as usize));
            }
            if Instant::now() > deadline {
                return Err(format!("the list for {QUERY:?} was not complete within 90 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        },
        None => None,
    };
    Ok(Downloaded { kb: five_kb, requests: five_requests, whole_list })
}

/// A static file server on loopback that counts the bytes of what it sends
/// (one request a connection; the folders it serves are the benchmark's).
struct Counting {
    addr: std::net::SocketAddr,
    bytes: Arc<AtomicU64>,
    requests: Arc<AtomicUsize>,
}

impl Counting {
    fn start(root: PathBuf, mount: &'static str) -> Result<Counting, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (bytes, requests) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicUsize::new(0)));
        let (sent, answered) = (bytes.clone(), requests.clone());
        // The thread outlives the measurement; the process ends soon after.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, sent, answered) = (root.clone(), sent.clone(), answered.clone());
                std::thread::spawn(move || {
                    if let Some(n) = answer(stream, &root, mount) {
                        sent.fetch_add(n, Ordering::SeqCst);
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        Ok(Counting { addr, bytes, requests })
    }
}

/// Answers one GET; returns the bytes sent, headers included.
fn answer(mut stream: TcpStream, root: &Path, mount: &str) -> Option<u64> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request = String::new();
    reader.read_line(&mut request).ok()?;
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 2 {
        line.clear();
    }
    let target = request.split_whitespace().nth(1)?;
    let path = target.split('?').next()?;
    let (status, kind, body) = if path == "/accord-bench-query.html" {
        ("200 OK", "text/html", API_PAGE.as_bytes().to_vec())
    } else {
        let rel = path.trim_start_matches('/');
        let mut file = root.join(percent_decoded(rel.strip_prefix(mount).unwrap_or(rel)));
        if file.is_dir() {
            file = file.join("index.html");
        }
        match std::fs::read(&file) {
            Ok(body) => ("200 OK", content_type(&file), body),
            Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&body).ok()?;
    Some((head.len() + body.len()) as u64)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|x| x.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// `%E2%80%93` and the like in a request's path, as the file name's bytes.
fn percent_decoded(path: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}
