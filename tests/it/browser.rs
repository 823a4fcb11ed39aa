//! A real headless Chromium against the built site, served by accord's own
//! server on loopback: what only a browser can show (search runs in it).

use std::ffi::OsStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

use crate::common::*;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The real site, built and served once for every browser test.
pub fn server() -> (&'static BuiltSite, &'static accord::serve::RunningServer) {
    static SERVER: OnceLock<accord::serve::RunningServer> = OnceLock::new();
    let site = real_site();
    (site, SERVER.get_or_init(|| accord::serve::spawn(&site.out, "127.0.0.1:0".parse().unwrap()).unwrap()))
}

pub fn url(path: &str) -> String {
    format!("http://{}{path}", server().1.addr)
}

/// One Chromium for the whole test binary; tabs are cheap, browsers are not.
pub fn browser() -> &'static Mutex<Browser> {
    static BROWSER: OnceLock<Mutex<Browser>> = OnceLock::new();
    BROWSER.get_or_init(|| {
        assert!(
            std::path::Path::new(CHROMIUM).exists(),
            "{CHROMIUM} not found: install Debian's chromium package (.ci/run does)"
        );
        let args: Vec<&OsStr> = [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(CHROMIUM.into()))
            .sandbox(false)
            .window_size(Some((1200, 3000)))
            .idle_browser_timeout(Duration::from_secs(300))
            .args(args)
            .build()
            .unwrap();
        let browser = Browser::new(options).expect("Chromium starts");
        if let Some(pid) = browser.get_process_id() {
            BROWSER_PID.store(pid, Ordering::SeqCst);
            // SAFETY: registers a plain function with no captured state.
            unsafe { libc::atexit(kill_browser) };
        }
        Mutex::new(browser)
    })
}

/// The shared browser's process. A static is never dropped, so without a
/// hook at exit Chromium (and its renderers) outlived every test run.
static BROWSER_PID: AtomicU32 = AtomicU32::new(0);

extern "C" fn kill_browser() {
    let pid = BROWSER_PID.load(Ordering::SeqCst);
    if pid != 0 {
        // SAFETY: a signal to the process this test binary started.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    }
}

/// A tab of the shared browser, held by one test at a time: Chromium
/// throttles timers and rendering in background tabs, so tests that ran side
/// by side would starve each other.
pub struct Session {
    _turn: std::sync::MutexGuard<'static, Browser>,
    pub tab: std::sync::Arc<Tab>,
}

impl std::ops::Deref for Session {
    type Target = Tab;
    fn deref(&self) -> &Tab {
        &self.tab
    }
}

pub fn open(path: &str) -> Session {
    open_url(&url(path))
}

/// [`open`] for a page of another server than the real site's.
pub fn open_url(address: &str) -> Session {
    let turn = browser().lock().unwrap_or_else(|e| e.into_inner());
    let tab = turn.new_tab().unwrap();
    tab.navigate_to(address).unwrap().wait_until_navigated().unwrap();
    Session { _turn: turn, tab }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

pub fn eval(tab: &Tab, js: &str) -> Value {
    tab.evaluate(js, true).unwrap().value.unwrap_or(Value::Null)
}

/// Polls `js` until it returns something truthy; `None` after ten seconds.
pub fn poll(tab: &Tab, js: &str) -> Option<Value> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let v = eval(tab, js);
        if !matches!(v, Value::Null | Value::Bool(false)) && v != 0 && v != "" {
            return Some(v);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Like [`poll`], failing the test on time-out.
pub fn wait_for(tab: &Tab, js: &str) -> Value {
    poll(tab, js).unwrap_or_else(|| panic!("timed out waiting for: {js}"))
}
