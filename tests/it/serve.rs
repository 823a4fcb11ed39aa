//! `accord serve` and its HTTP server: live reload, the error overlay, path
//! checks, content types and many requests at once.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use crate::browser::{self, eval, wait_for};
use crate::common::*;

/// A raw HTTP/1.1 GET, so paths reach the server exactly as written (no client normalisation).
fn raw_get(addr: SocketAddr, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), response[split + 4..].to_vec())
}

fn content_type(head: &str) -> String {
    head.lines().find_map(|l| l.strip_prefix("content-type: ")).unwrap_or("").to_owned()
}

#[test]
fn paths_outside_the_output_folder_are_refused() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    accord::build(site.path(), &public).unwrap();
    std::fs::write(out.path().join("secret.txt"), "made-up secret outside the site").unwrap();
    std::os::unix::fs::symlink(out.path().join("secret.txt"), public.join("link-out.txt")).unwrap();
    let server = accord::serve::spawn(&public, "127.0.0.1:0".parse().unwrap()).unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/agreements/../../secret.txt",
        "/link-out.txt",
    ] {
        let (status, _, body) = raw_get(server.addr, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("made-up secret"), "{path} leaked the file");
    }
    let (status, head, body) = raw_get(server.addr, "/no-such-page/");
    assert_eq!(status, 404);
    assert!(content_type(&head).starts_with("text/html"));
    assert!(String::from_utf8_lossy(&body).contains("Page not found"), "the site's own 404 page");
}

#[test]
fn content_types_and_directory_urls() {
    let (site, server) = browser::server();
    let addr = server.addr;
    assert!(content_type(&raw_get(addr, "/agreements/").1).starts_with("text/html"));
    assert!(content_type(&raw_get(addr, "/style.css").1).starts_with("text/css"));
    assert!(content_type(&raw_get(addr, "/search.js").1).contains("javascript"));
    assert!(content_type(&raw_get(addr, "/feed.xml").1).contains("xml"));
    let meta = std::fs::read_dir(site.out.join("pagefind"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".pf_meta"))
        .unwrap();
    let (status, head, _) = raw_get(addr, &format!("/pagefind/{meta}"));
    assert_eq!(status, 200);
    assert_eq!(content_type(&head), "application/octet-stream");
}

#[test]
fn hundreds_of_concurrent_requests_all_succeed() {
    let addr = browser::server().1.addr;
    let paths = [
        "/",
        "/agreements/irc-2022-2025/",
        "/style.css",
        "/agreements/irc-2022-2025/priorities/5/",
        "/topics/",
    ];
    let handles: Vec<_> = (0..40)
        .map(|t| {
            std::thread::spawn(move || {
                (0..8).filter(|i| raw_get(addr, paths[(t + i) % paths.len()]).0 == 200).count()
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(ok, 320);
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let (site, _) = browser::server();
    for (url, _) in site.pages() {
        let text = std::fs::read_to_string(site.file_for(&url)).unwrap();
        assert!(!text.contains("__accord"), "{url}");
    }
}

#[test]
fn editing_reloads_the_open_page_and_errors_show_in_an_overlay() {
    let site = copy_site(&fixture("fourth-agreement"));
    let server = accord::serve::dev::start(site.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let item = "content/agreements/police-custody-2026-2029/items/principle-2.md";
    let url = format!("http://{}/agreements/police-custody-2026-2029/principles/2/", server.addr);
    let session = browser::open("/404.html");
    session.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
    wait_for(&session, "document.querySelector('script[src=\"/__accord/live.js\"]') !== null");
    // Let the page's event stream connect before editing.
    std::thread::sleep(std::time::Duration::from_millis(500));

    edit(site.path(), item, |t| t.replace("We pass on information", "We pass on made-up edited information"));
    wait_for(&session, "document.body.textContent.includes('made-up edited information')");

    edit(site.path(), item, |t| t.replacen("number = 2\n", "number = \"two\n", 1));
    let overlay = wait_for(
        &session,
        "(() => { const o = document.getElementById('accord-error-overlay'); return o && o.textContent; })()",
    );
    let overlay = overlay.as_str().unwrap();
    assert!(overlay.contains(&format!("{item}:3:")), "{overlay}");
    assert_eq!(
        eval(&session, "document.getElementById('accord-error-overlay').getAttribute('role')"),
        "alert"
    );
    // The last good site is still served meanwhile.
    let (status, _, body) = raw_get(server.addr, "/agreements/police-custody-2026-2029/principles/2/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("made-up edited information"));

    edit(site.path(), item, |t| t.replacen("number = \"two\n", "number = 2\n", 1));
    wait_for(&session, "document.getElementById('accord-error-overlay') === null && document.body.textContent.includes('made-up edited information')");
}

#[test]
fn saving_a_file_brings_the_browser_to_its_page() {
    let site = copy_site(&fixture("fourth-agreement"));
    let server = accord::serve::dev::start(site.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let session = browser::open("/404.html");
    session.navigate_to(&format!("http://{}/", server.addr)).unwrap().wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    edit(site.path(), "content/agreements/police-custody-2026-2029/items/objective-1.md", |t| {
        format!("{t}\nMade-up added sentence.\n")
    });
    wait_for(&session, "location.pathname === '/agreements/police-custody-2026-2029/objectives/1/'");
    assert!(eval(&session, "document.body.textContent.includes('Made-up added sentence.')") == true);
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    accord::init::init(&site).unwrap();
    assert!(site.join("templates").is_dir());
    assert!(std::fs::read_to_string(site.join("README.md")).unwrap().contains("# The content format"));
    let settings = std::fs::read_to_string(site.join("SETTINGS.md")).unwrap();
    let toml = std::fs::read_to_string(site.join("accord.toml")).unwrap();
    assert!(toml.contains("SETTINGS.md") && settings.contains("[contact]"), "{toml}");
    let built = BuiltSite::build(&site);
    let page = built.page("/agreements/example-2026-2029/priorities/1/");
    let text = page.text_of(".item-text");
    assert!(text.contains("This is an example priority written by accord init."), "{text}");
    assert!(accord::init::init(&site).is_err(), "refuses to overwrite a site");
}

/// A rebuild session over a copy of the real content, built once.
fn real_session() -> (tempfile::TempDir, tempfile::TempDir, accord::rebuild::Session) {
    let site = copy_site(&repo());
    let out = tempfile::tempdir().unwrap();
    let mut session = accord::rebuild::Session::new(site.path(), &out.path().join("site"), |_| {});
    let first = session.rebuild(&[]).unwrap();
    assert_eq!(first.rendered, first.pages, "the first build renders everything");
    assert!(session.refresh_data(&first.site).unwrap().is_some(), "the first refresh writes the site's data");
    (site, out, session)
}

#[test]
fn the_site_data_follows_an_edit_and_only_what_changed_is_written() {
    let (site, out, mut session) = real_session();
    let served = out.path().join("site");
    let read = |path: &str| std::fs::read_to_string(served.join(path)).unwrap();
    let modified = |path: &str| std::fs::metadata(served.join(path)).unwrap().modified().unwrap();
    let unrelated = "agreements/children-secure-estate-2023-2025/objectives/1/index.json";
    let before = modified(unrelated);

    // An edit reaches the item's JSON and the open data once the data is refreshed.
    let item = "content/agreements/irc-2022-2025/items/priority-3.md";
    let sentence = "A made-up sentence added by a test.";
    edit(site.path(), item, |t| format!("{}\n\n{sentence}\n", t.trim_end()));
    let done = session.rebuild(&[item.into()]).unwrap();
    assert!(session.refresh_data(&done.site).unwrap().is_some());
    for path in [
        "agreements/irc-2022-2025/priorities/3/index.json",
        "agreements/irc-2022-2025/index.json",
        "data/items.csv",
    ] {
        assert!(read(path).contains(sentence), "{path}");
    }
    assert_eq!(modified(unrelated), before, "an unchanged file is not written again");
    assert!(session.refresh_data(&done.site).unwrap().is_none(), "nothing changed since");

    // A made-up item's data comes with it and goes with it.
    let added = "content/agreements/irc-2022-2025/items/priority-90.md";
    std::fs::write(
        site.path().join(added),
        "+++\nkind = \"priority\"\nnumber = 90\n+++\nA made-up priority added by a test.\n",
    )
    .unwrap();
    let done = session.rebuild(&[added.into()]).unwrap();
    session.refresh_data(&done.site).unwrap();
    let beside = ["index.json", "cite.bib", "cite.ris", "cite.json"]
        .map(|name| served.join("agreements/irc-2022-2025/priorities/90").join(name));
    for file in &beside {
        assert!(file.exists(), "{}", file.display());
    }
    std::fs::remove_file(site.path().join(added)).unwrap();
    let done = session.rebuild(&[added.into()]).unwrap();
    session.refresh_data(&done.site).unwrap();
    for file in &beside {
        assert!(!file.exists(), "{} is removed with its item", file.display());
    }
}

#[test]
fn an_item_edit_re_renders_only_the_pages_that_show_that_item() {
    let (site, out, mut session) = real_session();
    let served = out.path().join("site");
    let people = served.join("people/amy-rees/index.html");
    let before = std::fs::metadata(&people).unwrap().modified().unwrap();

    let item = "content/agreements/irc-2022-2025/items/priority-3.md";
    edit(site.path(), item, |t| format!("{}\n\nA made-up sentence added by a test.\n", t.trim_end()));
    let done = session.rebuild(&[item.into()]).unwrap();
    let own = "agreements/irc-2022-2025/priorities/3/index.html";
    let read = |page: &str| std::fs::read_to_string(served.join(page)).unwrap();
    assert!(done.rest_to_follow && done.rendered == 1, "only the item's own page comes before the reload");
    assert!(read(own).contains("A made-up sentence added by a test."));
    assert!(!read("agreements/irc-2022-2025/index.html").contains("A made-up sentence added by a test."));

    // Then its agreement, the lists and comparisons that quote it, and the
    // items that show it as related: a small part of the site; and, made
    // alongside them as `accord serve` does, the search index.
    let refreshed = session.refresh_pages_and_search(&done.site);
    let (_, rest) = refreshed.pages.unwrap().expect("the pages that show the item follow");
    assert!(refreshed.search.unwrap().is_some(), "the item's new words are indexed");
    assert_same_bundle(site.path(), &served);
    let rendered = done.rendered + rest;
    assert!(rendered > 3 && rendered * 4 < done.pages, "{rendered} of {}", done.pages);
    // A topic page shows the item whole: its page follows the edit too.
    for page in [own, "agreements/irc-2022-2025/index.html", "topics/mental-health/index.html"] {
        assert!(read(page).contains("A made-up sentence added by a test."), "{page}");
    }
    assert_eq!(
        std::fs::metadata(&people).unwrap().modified().unwrap(),
        before,
        "an unrelated page is untouched"
    );

    // Saving again without a change renders nothing.
    let again = session.rebuild(&[item.into()]).unwrap();
    assert_eq!((again.rendered, again.written, again.removed), (0, 0, 0));
    assert!(session.refresh_pages(&again.site).unwrap().is_none());
}

#[test]
fn a_template_edit_re_renders_the_pages_that_use_it_and_removed_pages_go() {
    let (site, out, mut session) = real_session();
    let served = out.path().join("site");
    // An override in the site's own templates/ replaces the theme's figure template.
    let template = "templates/figure.html";
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/figure.html")).unwrap();
    assert!(theme.contains("{% block content %}"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join(template),
        theme.replace("{% block content %}", "{% block content %}<p>Made-up marker</p>"),
    )
    .unwrap();
    let done = session.rebuild(&[template.into()]).unwrap();
    assert_eq!(done.rendered, done.site.figures.len(), "exactly the figure pages");
    let figure = &done.site.figures[0].path;
    let html =
        std::fs::read_to_string(served.join(figure.trim_start_matches('/')).join("index.html")).unwrap();
    assert!(html.contains("Made-up marker"));

    // A page whose source goes is removed from the served folder.
    let page = served.join("accessibility/index.html");
    assert!(page.exists());
    std::fs::remove_file(site.path().join("content/pages/accessibility.md")).unwrap();
    let done = session.rebuild(&["content/pages/accessibility.md".into()]).unwrap();
    assert!(done.removed >= 1 && !page.exists());
}

#[test]
fn the_search_index_refresh_serves_exactly_the_new_bundle() {
    let (site, out, mut session) = real_session();
    let served = out.path().join("site");
    let item = "content/agreements/prisons-probation-2022-2025/items/priority-1.md";
    for round in 0..2 {
        edit(site.path(), item, |t| {
            format!("{}\n\nMade-up zebraword{round} added by a test.\n", t.trim_end())
        });
        let done = session.rebuild(&[item.into()]).unwrap();
        assert!(session.refresh_search(&done.site).unwrap().is_some(), "round {round}: the text changed");
        // The second round keeps the files it already served and removes stale ones.
        assert_same_bundle(site.path(), &served);
        let again = session.rebuild(&[item.into()]).unwrap();
        assert!(session.refresh_search(&again.site).unwrap().is_none(), "nothing new to index");
    }
}

#[test]
fn a_dropped_connection_is_not_shown_as_a_build_error() {
    use headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument;
    let site = copy_site(&fixture("fourth-agreement"));
    let server = accord::serve::dev::start(site.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let session = browser::open("/404.html");
    // Keep a hand on the page's event stream, to make it report what a
    // dropped connection reports: an `error` event with no data.
    session
        .call_method(AddScriptToEvaluateOnNewDocument {
            source: "(() => { const Real = window.EventSource; window.EventSource = function (url) { \
                     const s = new Real(url); window.madeUpStream = s; return s; }; })();"
                .to_owned(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })
        .unwrap();
    session.navigate_to(&format!("http://{}/", server.addr)).unwrap().wait_until_navigated().unwrap();
    wait_for(&session, "window.madeUpStream !== undefined && window.madeUpStream.readyState === 1");
    eval(&session, "window.madeUpStream.dispatchEvent(new Event('error'))");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(eval(&session, "document.getElementById('accord-error-overlay') === null"), true);

    // A real build error still shows.
    let item = "content/agreements/police-custody-2026-2029/items/principle-2.md";
    edit(site.path(), item, |t| t.replacen("number = 2\n", "number = \"two\n", 1));
    let overlay = wait_for(
        &session,
        "(() => { const o = document.getElementById('accord-error-overlay'); return o && o.textContent; })()",
    );
    assert!(overlay.as_str().unwrap().contains(&format!("{item}:3:")), "{overlay}");
}

#[test]
fn search_works_on_the_served_site() {
    let site = copy_site(&fixture("fourth-agreement"));
    let server = accord::serve::dev::start(site.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let session = browser::open("/404.html");
    session
        .navigate_to(&format!("http://{}/search/?q=information", server.addr))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let summary = wait_for(
        &session,
        "(() => { const s = document.querySelector('#search-summary'); return s && /^[1-9]/.test(s.textContent) && s.textContent; })()",
    );
    assert!(summary.as_str().unwrap().contains("found for “information”"), "{summary}");
}

#[test]
fn an_edit_reloads_its_own_page_first_and_the_rest_of_the_site_follows() {
    let (site, out, mut session) = real_session();
    let served = out.path().join("site");
    let read = |path: &str| std::fs::read_to_string(served.join(path)).unwrap();
    // An agreement's short title is on every page of the agreement and on
    // every list that names it: more pages than a rebuild renders before the reload.
    let file = "content/agreements/irc-2022-2025/agreement.toml";
    let (old, new) = ("Immigration removal centres 2022–25", "Made-up short title from a test");
    edit(site.path(), file, |t| t.replace(old, new));
    let done = session.rebuild(&[file.into()]).unwrap();
    assert!(done.rest_to_follow);
    assert_eq!(done.rendered, 1, "only the edited file's page comes before the reload");
    assert!(read("agreements/irc-2022-2025/index.html").contains(new));
    let item = "agreements/irc-2022-2025/priorities/3/index.html";
    assert!(read(item).contains(old), "the item page waits for the rest");

    let (_, pages) = session.refresh_pages(&done.site).unwrap().expect("the rest is rendered");
    assert!(pages > 64, "{pages} pages followed");
    assert!(read(item).contains(new) && !read(item).contains(old));
    assert!(session.refresh_pages(&done.site).unwrap().is_none(), "nothing is left");

    // What is served is what a build from nothing makes of the edited site.
    let fresh = tempfile::tempdir().unwrap();
    accord::pipeline::build(site.path(), fresh.path()).unwrap();
    let mut compared = 0;
    for path in files_under(fresh.path()).iter().filter(|p| p.extension().is_some_and(|x| x == "html")) {
        let served_page = std::fs::read(served.join(path)).unwrap_or_default();
        assert!(served_page == std::fs::read(fresh.path().join(path)).unwrap(), "{} differs", path.display());
        compared += 1;
    }
    assert!(compared >= done.pages, "{compared} pages compared");

    // The next rebuild after no change renders nothing and leaves nothing for later.
    let again = session.rebuild(&[file.into()]).unwrap();
    assert_eq!(again.rendered, 0);
    assert!(session.refresh_pages(&again.site).unwrap().is_none(), "nothing is left");
}

#[test]
fn a_rebuild_reads_again_the_files_it_is_told_changed_and_everything_in_a_folder_it_is_told_of() {
    let (site, out, mut session) = real_session();
    let page = out.path().join("site/agreements/irc-2022-2025/priorities/3/index.html");
    let item = "content/agreements/irc-2022-2025/items/priority-3.md";
    let shows = |marker: &str| std::fs::read_to_string(&page).unwrap().contains(marker);

    // A rebuild keeps the files it read; one it is told of is read again.
    edit(site.path(), item, |t| format!("{}\n\nMade-up first marker from a test.\n", t.trim_end()));
    session.rebuild(&[item.into()]).unwrap();
    assert!(shows("Made-up first marker from a test."));

    // Told only that a folder changed (as when the watcher loses track),
    // it reads every file in it again.
    edit(site.path(), item, |t| t.replace("first marker", "second marker"));
    let done = session.rebuild(&["content".into()]).unwrap();
    assert!(!done.rest_to_follow, "a folder has no page of its own: the whole site is brought up to date");
    assert!(shows("Made-up second marker from a test."));
}
