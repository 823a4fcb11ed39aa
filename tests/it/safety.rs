//! Hostile content is inert: markup, handlers and script URLs planted in
//! every kind of content text (bodies, measures, descriptions,
//! responsibilities, figure sentences, titles) never reach a reader's
//! browser as markup, in any output, and the words stay visible as typed.

use std::path::Path;

use crate::browser::{self, eval, wait_for};
use crate::common::*;

/// Made up for these tests: every way of running code that a content editor
/// might paste, each setting `window.__pwned` if it ever runs. Written with
/// single quotes inside, so it fits in a TOML string as it is.
const HOSTILE: &str = "Made-up hostile text: <script>window.__pwned = 1</script> \
    <img src=x onerror='window.__pwned = 2'> <svg onload='window.__pwned = 3'></svg> \
    [a link](javascript:window.__pwned=4) <a href='javascript:window.__pwned=5'>another</a> \
    <iframe srcdoc='<script>parent.__pwned = 6</script>'></iframe> <style>body { display: none }</style> \
    ![a picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9J3BhcmVudC5fX3B3bmVkPTcnLz4=) \
    [spaced](  JaVaScRiPt:window.__pwned=8) <b onmouseover='window.__pwned = 9'>bold</b>";

/// A synonym as hostile as a word can be that search still looks up (no
/// word of one letter, which search never looks up on its own).
const HOSTILE_WORD: &str = "<img src=xx onerror='window.__pwned = 12'>";

/// The literal text a reader must see where [`HOSTILE`]'s first tag was.
const VISIBLE: &str = "<script>window.__pwned = 1</script>";

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let old = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{old}\n{text}\n")).unwrap();
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let old = std::fs::read_to_string(&path).unwrap();
    assert!(old.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, old.replacen(from, to, 1)).unwrap();
}

/// A copy of the real site with [`HOSTILE`] planted in every kind of text.
fn hostile_site() -> tempfile::TempDir {
    let dir = copy_site(&repo());
    let root = dir.path();
    let irc = "content/agreements/irc-2022-2025";
    append(
        root,
        &format!("{irc}/items/priority-1.md"),
        &format!("\n{HOSTILE}\n\n#### Planted {{onclick=\"window.__pwned = 10\"}}"),
    );
    append(root, &format!("{irc}/sections/01-purpose.md"), &format!("\n{HOSTILE}"));
    append(root, "content/pages/healthcare-for-offenders.md", &format!("\n{HOSTILE}"));
    append(root, "content/_index.md", &format!("\n{HOSTILE}"));
    replace(
        root,
        "content/agreements/children-secure-estate-2023-2025/items/principle-8.md",
        "text = \"We will agree protocols for the sharing of information.\"",
        &format!("text = \"We will agree protocols for the sharing of information. {HOSTILE}\""),
    );
    replace(
        root,
        &format!("{irc}/scrutiny.toml"),
        "publishing public reports on their findings.",
        &format!("publishing public reports on their findings. {HOSTILE}"),
    );
    replace(
        root,
        "content/organisations.toml",
        "text = \"Health protection expertise, advice/guidance and support\"",
        &format!("text = \"Health protection expertise, advice/guidance and support {HOSTILE}\""),
    );
    replace(
        root,
        "content/figures.toml",
        "access to 28 days supply.\"",
        &format!("access to 28 days supply. {HOSTILE}\""),
    );
    replace(
        root,
        &format!("{irc}/sections/01-purpose.md"),
        "title = \"Purpose of this document\"",
        "title = \"Purpose <img src=x onerror='window.__pwned = 11'>\"",
    );
    // The editors' words search takes as the same reach the search page as data.
    append(root, "content/synonyms.toml", &format!("[[synonym]]\nwords = [\"hostile\", \"{HOSTILE_WORD}\"]"));
    let topics = std::fs::read_to_string(root.join("content/topics.toml")).unwrap();
    let first = topics.find("description = \"").unwrap() + "description = \"".len();
    std::fs::write(
        root.join("content/topics.toml"),
        format!("{}{HOSTILE} {}", &topics[..first], &topics[first..]),
    )
    .unwrap();
    dir
}

/// Everything in the built pages that could run code or load a document:
/// scripts other than the site's own, frames, objects, styles, event
/// handlers, `srcdoc`, and script or data URLs.
pub fn dangerous_markup(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let site = BuiltSite::at(out);
    for (url, page) in site.pages() {
        for element in page.all("*") {
            let e = element.value();
            let name = e.name();
            // The site's own scripts are files of its own: never inline.
            let own_script = name == "script"
                && e.attr("src").is_some_and(|s| s.starts_with('/'))
                && element.text().all(|t| t.trim().is_empty());
            // schema.org JSON-LD is a data block, which browsers never run: it
            // may be inline, so long as it is JSON (text that closed the
            // element early would leave it not JSON, and found).
            let data_block = name == "script"
                && e.attr("type") == Some("application/ld+json")
                && e.attr("src").is_none()
                && serde_json::from_str::<serde_json::Value>(&element.inner_html()).is_ok();
            if (name == "script" && !own_script && !data_block)
                || ["iframe", "frame", "object", "embed", "style", "base"].contains(&name)
            {
                found.push(format!("{url}: <{name}>"));
            }
            for (attr, value) in e.attrs() {
                let compact: String =
                    value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                let compact = compact.to_ascii_lowercase();
                if attr.starts_with("on") || attr == "srcdoc" || attr == "style" {
                    found.push(format!("{url}: <{name} {attr}>"));
                }
                if ["href", "src", "action", "formaction", "xlink:href"].contains(&attr)
                    && ["javascript:", "vbscript:", "data:"].iter().any(|s| compact.starts_with(s))
                {
                    found.push(format!("{url}: <{name} {attr}=\"{value}\">"));
                }
            }
        }
    }
    found
}

/// Pages where the planted text lands, and whether each shows it as typed.
const PAGES: &[&str] = &[
    "/",
    "/agreements/irc-2022-2025/",
    "/agreements/irc-2022-2025/priorities/1/",
    "/agreements/children-secure-estate-2023-2025/principles/8/",
    "/topics/data-sharing/",
    "/scrutiny/national-audit-office-and-treasury/",
    "/organisations/uk-health-security-agency/",
    "/figures/medication-at-point-of-removal/",
    "/healthcare-for-offenders/",
];

/// Opens each page in Chromium: nothing planted ran, and the planted words read as typed.
fn nothing_runs(out: &Path, expect_visible: bool) {
    let server = accord::serve::spawn(out, "127.0.0.1:0".parse().unwrap()).unwrap();
    let guard = browser::browser().lock().unwrap_or_else(|e| e.into_inner());
    for path in PAGES {
        let tab = guard.new_tab().unwrap();
        tab.navigate_to(&format!("http://{}{path}", server.addr)).unwrap().wait_until_navigated().unwrap();
        wait_for(&tab, "document.readyState === 'complete'");
        // Handlers that need a user: hover and click everything planted.
        eval(&tab, "document.querySelectorAll('main *').forEach(e => { e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); })");
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(eval(&tab, "String(window.__pwned)"), "undefined", "{path}: planted code ran");
        let text = eval(&tab, "document.body.innerText").as_str().unwrap_or_default().to_owned();
        assert!(text.contains("Made-up hostile text"), "{path}: the planted words are not shown");
        if expect_visible {
            assert!(text.contains(VISIBLE), "{path}: the planted markup is not shown as typed");
        }
        assert_eq!(
            eval(&tab, "getComputedStyle(document.body).display"),
            "block",
            "{path}: a planted style applied"
        );
        let _ = tab.close(false);
    }
    // Search: excerpts, filter names and the words searched for come from
    // the index and the editors' synonyms, and are put into the page as text.
    let tab = guard.new_tab().unwrap();
    tab.navigate_to(&format!("http://{}/search/?q=hostile", server.addr))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(&tab, "document.querySelector('#search-results[aria-busy=false] a') !== null");
    eval(&tab, "document.querySelector('#search-filters').open = true");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(eval(&tab, "String(window.__pwned)"), "undefined", "search: planted code ran");
    let excerpts = eval(
        &tab,
        "[...document.querySelectorAll('.search-result-excerpt')].map(e => e.innerText).join(' | ')",
    );
    assert!(
        excerpts.as_str().unwrap_or_default().contains("<img"),
        "search excerpts do not show the text as typed: {excerpts}"
    );
    let words = eval(&tab, "document.querySelector('#search-words').innerText");
    assert!(
        words.as_str().unwrap_or_default().contains(HOSTILE_WORD),
        "the editors' words are not shown as typed: {words}"
    );
    assert_eq!(
        eval(&tab, "document.querySelectorAll('main img, main iframe, main svg, main style').length"),
        0
    );
    assert_eq!(
        eval(&tab, "[...document.scripts].every(s => s.src && new URL(s.src).origin === location.origin)"),
        true,
        "search: a script that is not the site's own"
    );
    let _ = tab.close(false);
}

#[test]
fn hostile_content_is_shown_as_text_and_never_runs() {
    let dir = hostile_site();
    let out = dir.path().join("public");
    let report = accord::build(dir.path(), &out).unwrap_or_else(|e| panic!("{}", e.render()));
    let warnings = report.warnings.render();
    // Each kind of text names its own file and line.
    for at in [
        "content/agreements/irc-2022-2025/items/priority-1.md:",
        "content/agreements/children-secure-estate-2023-2025/items/principle-8.md:",
        "content/agreements/irc-2022-2025/scrutiny.toml:6:",
        "content/organisations.toml:18:",
        "content/figures.toml:",
        "content/pages/healthcare-for-offenders.md:",
    ] {
        assert!(warnings.contains(&format!("warning: {at}")), "no warning at {at}:\n{warnings}");
    }
    assert!(warnings.contains("is shown to readers as text, not as markup"), "{warnings}");
    assert!(warnings.contains("a link to a `javascript:` URL is not allowed"), "{warnings}");
    assert!(warnings.contains("an image to a `data:` URL is not allowed"), "{warnings}");
    assert!(warnings.contains("the heading attribute `onclick` is not allowed"), "{warnings}");
    assert!(warnings.contains("raw_html = \"sanitize\""), "the help says how to opt in:\n{warnings}");
    // One warning per text, not one per tag.
    let item_warnings =
        warnings.matches("warning: content/agreements/irc-2022-2025/items/priority-1.md:").count();
    assert_eq!(item_warnings, 5, "{warnings}");

    let found = dangerous_markup(&out);
    assert!(found.is_empty(), "dangerous markup in the built pages:\n{}", found.join("\n"));
    // Feeds and open data carry the words as text too.
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    assert!(!feed.contains("<script") && !feed.contains("<img"), "the feed carries the planted markup");
    // The agreement's own file holds its text (the site-wide file refers to it).
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("agreements/irc-2022-2025/index.json")).unwrap())
            .unwrap();
    let mut htmls = Vec::new();
    collect_html_fields(&data, &mut htmls);
    assert!(htmls.iter().any(|h| h.contains("&lt;script&gt;")), "open data lost the planted text");
    let marked: Vec<&String> =
        htmls.iter().filter(|h| h.contains("<script") || h.contains("<img src=x")).collect();
    assert!(marked.is_empty(), "open data carries markup: {marked:?}");
    nothing_runs(&out, true);
}

fn collect_html_fields(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(s) if key.ends_with("html") => out.push(s.clone()),
                    other => collect_html_fields(other, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_html_fields(v, out)),
        _ => {}
    }
}

#[test]
fn a_site_that_allows_html_still_never_runs_content() {
    let dir = hostile_site();
    allow_raw_html(dir.path());
    let out = dir.path().join("public");
    let report = accord::build(dir.path(), &out).unwrap_or_else(|e| panic!("{}", e.render()));
    let warnings = report.warnings.render();
    assert!(warnings.contains("is taken out: scripts, styles"), "{warnings}");
    let found = dangerous_markup(&out);
    assert!(found.is_empty(), "dangerous markup in the built pages:\n{}", found.join("\n"));
    // What the allow-list keeps is markup: the bold stays bold.
    let item = BuiltSite::at(&out).page("/agreements/irc-2022-2025/priorities/1/");
    assert!(!item.all(".item-text b").is_empty(), "harmless markup was not kept");
    nothing_runs(&out, false);
}

#[test]
fn the_site_and_accord_serve_send_the_documented_security_headers() {
    let (site, server) = browser::server();
    let headers = std::fs::read_to_string(site.out.join("_headers")).unwrap();
    let deploy = std::fs::read_to_string(repo().join("docs/deploy.md")).unwrap();
    let csp = accord::render::headers::SECURITY_HEADERS
        .iter()
        .find(|(n, _)| *n == "Content-Security-Policy")
        .unwrap()
        .1;
    for (name, value) in accord::render::headers::SECURITY_HEADERS {
        assert!(
            deploy.contains(&format!("{name}: {value}\n")),
            "docs/deploy.md documents another {name} than the build writes"
        );
    }
    assert!(headers.starts_with("/*\n"), "{headers}");
    for (name, value) in accord::render::headers::SECURITY_HEADERS {
        assert!(headers.contains(&format!("  {name}: {value}\n")), "_headers lacks {name}:\n{headers}");
    }
    let response = http_get(server.addr, "/agreements/");
    let lower = response.to_ascii_lowercase();
    assert!(lower.contains(&format!("content-security-policy: {}", csp.to_ascii_lowercase())), "{response}");
    assert!(lower.contains("x-content-type-options: nosniff"), "{response}");
    assert!(lower.contains("referrer-policy: strict-origin-when-cross-origin"), "{response}");
    // What the policy would block, no page has: inline scripts, handlers and styles.
    assert!(dangerous_markup(&site.out).is_empty());
}

/// The response head of a plain HTTP/1.1 GET.
pub fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}
