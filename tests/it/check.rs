//! `accord check`: findings in built pages, with file and line, and nothing written.

use std::process::Command;

use crate::common::*;

fn check(root: &std::path::Path) -> (bool, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_accord")).args(["check", "--root"]).arg(root).output().unwrap();
    (
        out.status.success(),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn the_real_site_and_fixture_pass() {
    let real = copy_site(&repo());
    let (ok, output) = check(real.path());
    assert!(ok, "{output}");
    assert!(output.contains("no errors"), "{output}");
    let (ok, output) = check(copy_site(&fixture("fourth-agreement")).path());
    assert!(ok, "{output}");
}

#[test]
fn a_planted_broken_anchor_and_missing_alt_text_are_found() {
    let site = copy_site(&fixture("fourth-agreement"));
    let page = site.path().join("content/pages/about-this-fixture.md");
    let text = std::fs::read_to_string(&page).unwrap();
    allow_raw_html(site.path());
    std::fs::write(
        &page,
        format!("{text}\n\n<p><a href=\"/agreements/police-custody-2026-2029/#made-up-anchor\">Planted</a> <img src=\"/made-up.png\"></p>\n"),
    )
    .unwrap();
    let (ok, output) = check(site.path());
    assert!(!ok, "{output}");
    assert!(output.contains("public/about-this-fixture/index.html:"), "{output}");
    assert!(output.contains("link to `#made-up-anchor`, which is not an anchor on /agreements/police-custody-2026-2029/index.html"), "{output}");
    assert!(output.contains("image without alt text"), "{output}");
    assert!(output.contains("2 errors found"), "{output}");
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn a_broken_lock_is_an_error_and_shared_titles_a_warning() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    accord::build(site.path(), &out.path().join("public")).unwrap();
    std::fs::remove_file(
        site.path().join("content/agreements/police-custody-2026-2029/items/principle-3.md"),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/pages/made-up-twin.md"),
        "+++\ntitle = \"About this fixture\"\n+++\nMade up for a test.\n",
    )
    .unwrap();
    let (ok, output) = check(site.path());
    assert!(!ok);
    assert!(output.contains("`/agreements/police-custody-2026-2029/principles/3/` was published but this build no longer produces it"), "{output}");
    assert!(output.contains("warning: public/"), "{output}");
    assert!(output.contains(": 2 pages share the title"), "{output}");
}

/// A made-up web server on this machine, for `--external`: `/ok` answers,
/// `/moved` redirects there, `/no-head` refuses HEAD but answers GET, and
/// anything else is not found.
fn made_up_server() -> std::net::SocketAddr {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                reader.read_line(&mut request).unwrap_or_default();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut parts = request.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                let status = match (method, path) {
                    (_, "/ok") | ("GET", "/no-head") => "200 OK",
                    ("HEAD", "/no-head") => "405 Method Not Allowed",
                    (_, "/moved") => "301 Moved Permanently\r\nLocation: /ok",
                    _ => "404 Not Found",
                };
                let _ =
                    write!(&stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            });
        }
    });
    addr
}

#[test]
fn external_links_are_asked_and_the_sites_own_addresses_checked_as_internal() {
    let addr = made_up_server();
    let site = copy_site(&fixture("fourth-agreement"));
    let page = site.path().join("content/pages/about-this-fixture.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let links: Vec<String> = ["ok", "moved", "no-head", "missing"]
        .iter()
        .map(|p| format!("[made-up {p}](http://{addr}/{p})"))
        .chain([
            "[home](https://fixture.example/)".to_owned(),
            "[gone](https://fixture.example/made-up-missing-page/)".to_owned(),
        ])
        .collect();
    std::fs::write(&page, format!("{text}\n\n{}\n", links.join(" "))).unwrap();

    // Without --external the site's own addresses are still checked.
    let (ok, output) = check(site.path());
    assert!(!ok, "{output}");
    assert!(output.contains("link to `/made-up-missing-page/`, which this site does not have"), "{output}");
    assert!(output.contains("4 external links not checked"), "{output}");

    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["check", "--external", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let output = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        output.contains(&format!("external link http://{addr}/missing answered 404 Not Found")),
        "{output}"
    );
    assert!(output.contains("public/about-this-fixture/index.html"), "{output}");
    for fine in ["ok", "moved", "no-head"] {
        assert!(!output.contains(&format!("http://{addr}/{fine} ")), "{fine}: {output}");
    }
    assert!(output.contains("2 errors found"), "{output}");
}
