//! Quality gates run by tools nobody here wrote: axe-core for accessibility
//! (in real Chromium, at desktop and 320 px widths) and the Nu HTML Checker
//! for validity. They fail with the page, the rule and the element.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::Tab;
use serde_json::Value;

use crate::browser::{self, eval, poll, wait_for};
use crate::common::*;

/// The Node packages the quality gates use (axe-core, the Nu HTML Checker),
/// which `bash .ci/run` installs: the tests never install anything.
fn node_modules() -> PathBuf {
    let dir = repo().join("node_modules");
    assert!(
        dir.join("axe-core/axe.min.js").is_file() && dir.join("vnu-jar/build/dist/vnu.jar").is_file(),
        "axe-core and vnu-jar are missing: run the tests with `bash .ci/run`, which installs them"
    );
    dir
}

/// Every error the Nu HTML Checker finds in the HTML files under `dir`, as readable lines.
fn vnu_errors(dir: &Path) -> Vec<String> {
    let jar = node_modules().join("vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .args(["-jar"])
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .output()
        .expect("java runs (the Nu HTML Checker needs it)");
    let report: Value = serde_json::from_slice(&out.stderr)
        .or_else(|_| serde_json::from_slice(&out.stdout))
        .unwrap_or_else(|e| panic!("vnu output not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"]
                .as_str()
                .unwrap_or("")
                .rsplit_once(dir.file_name().unwrap().to_str().unwrap())
                .map_or("", |x| x.1);
            format!(
                "{file}:{}: {} [{}]",
                m["lastLine"],
                m["message"].as_str().unwrap_or(""),
                m["extract"].as_str().unwrap_or("").trim()
            )
        })
        .collect()
}

/// Runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page open in `tab`.
fn axe_violations(tab: &Tab) -> Vec<String> {
    axe(tab, "")
}

/// [`axe_violations`] with the rules in `skip` left out (a JavaScript array
/// of rule ids, or empty for none).
fn axe(tab: &Tab, skip: &str) -> Vec<String> {
    static AXE: OnceLock<String> = OnceLock::new();
    let source =
        AXE.get_or_init(|| std::fs::read_to_string(node_modules().join("axe-core/axe.min.js")).unwrap());
    let rules = if skip.is_empty() {
        String::new()
    } else {
        format!(", rules: Object.fromEntries({skip}.map(id => [id, {{ enabled: false }}]))")
    };
    // Loaded and run in one call: each call to the browser costs a round trip.
    let result = eval(
        tab,
        &format!(
            "{source};\naxe.run(document, {{ resultTypes: ['violations'], runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] }}{rules} }})\
             .then(r => JSON.stringify(r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + v.help + ' at ' + n.target.join(' ')))))"
        ),
    );
    serde_json::from_str(result.as_str().expect("axe ran")).unwrap()
}

/// A page loaded and settled: search results rendered where there are any.
fn settle(tab: &Tab) {
    if eval(tab, "location.pathname") == "/search/" {
        wait_for(tab, "document.querySelector('#search-results[aria-busy=false] a') !== null");
    }
}

#[test]
fn the_real_site_is_valid_html() {
    let (site, _) = browser::server();
    let errors = vnu_errors(&site.out);
    assert!(errors.is_empty(), "Nu HTML Checker errors:\n{}", errors.join("\n"));
}

#[test]
fn the_fixture_site_is_valid_html() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let errors = vnu_errors(&site.out);
    assert!(errors.is_empty(), "Nu HTML Checker errors:\n{}", errors.join("\n"));
}

/// Every HTML page of a built site, as URL paths, redirects left out (they
/// move the browser on at once; `redirect_and_withdrawn_pages_…` checks them).
fn every_page(site: &BuiltSite) -> Vec<String> {
    let mut paths: Vec<String> = site
        .pages()
        .into_iter()
        .filter(|(url, page)| {
            !url.starts_with("/pagefind/") && page.all("meta[http-equiv=refresh]").is_empty()
        })
        .map(|(url, _)| url)
        .collect();
    paths.sort();
    paths
}

/// Sets the viewport: a phone 320 or 390 CSS pixels wide (WCAG's reflow
/// width, and a common phone), or a desktop 1280 wide; a headless window
/// cannot be made narrower than 500 pixels, so the device is emulated.
pub fn viewport(tab: &Tab, width: u32) {
    let metrics: SetDeviceMetricsOverride = serde_json::from_value(serde_json::json!({
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500
    }))
    .unwrap();
    tab.call_method(metrics).unwrap();
}

/// Table cells and chart labels that lie outside the viewport, where they
/// are not in a region that scrolls (a table that stacks on narrow screens
/// must fit even inside one).
const OFF_SCREEN: &str = "[...document.querySelectorAll('main td, main th, main .chart text')]\
     .filter(e => !e.closest('.prose table') && (e.closest('table.stack') || !e.closest('.table-scroll')))\
     .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) { if (a.getBoundingClientRect().width <= 1 && getComputedStyle(a).overflow === 'hidden') return false; } return true; })\
     .filter(e => { const r = e.getBoundingClientRect(); return r.width && (r.left < -1 || r.right > window.innerWidth + 1); })\
     .slice(0, 3).map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 40))";

#[test]
fn the_layout_gate_catches_a_table_that_does_not_fit() {
    let dir = copy_site(&fixture("fourth-agreement"));
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    let theme_css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    // The planted fault: tables that no longer stack, and a chart label pushed off the edge.
    let unstacked = theme_css.replace("table.stack", "table.unstacked");
    std::fs::write(dir.path().join("static/style.css"), unstacked).unwrap();
    let site = BuiltSite::build(dir.path());
    let server = accord::serve::spawn(&site.out, "127.0.0.1:0".parse().unwrap()).unwrap();
    // The audit every page goes through, so what it reads of each page is tested too.
    let failures = audit(&site, server.addr, &[(320, Axe::None)]);
    assert!(
        failures.iter().any(|f| f.starts_with("/updates/ at 320px: outside the screen")),
        "a table wider than the screen was not caught: {failures:?}"
    );
}

/// What an audit runs of axe at a width.
#[derive(Clone, Copy, PartialEq)]
enum Axe {
    /// Every WCAG 2.2 A and AA rule.
    All,
    /// All but colour contrast, which does not change with the width and is
    /// the slowest rule by far: checked at the other width.
    LayoutOnly,
    None,
}

/// Loads every page of `site` (served at `addr`) at each width and returns
/// what fails: sideways scrolling of the page, any table cell or chart
/// label that lies outside the viewport without a scroll region around it,
/// and axe-core's WCAG 2.2 A and AA rules (target size included) as asked.
fn audit(site: &BuiltSite, addr: std::net::SocketAddr, widths: &[(u32, Axe)]) -> Vec<String> {
    let guard = browser::browser().lock().unwrap_or_else(|e| e.into_inner());
    let tab = guard.new_tab().unwrap();
    let mut failures = Vec::new();
    for &(width, rules) in widths {
        viewport(&tab, width);
        for path in every_page(site) {
            let url = if path == "/search/" { "/search/?q=data+sharing".to_owned() } else { path.clone() };
            // Navigated, then waited for by hand: waiting for the network to
            // fall idle, as `wait_until_navigated` does, costs a second a page.
            tab.navigate_to(&format!("http://{addr}{url}")).unwrap();
            // One call a poll, which also measures the page once it is
            // loaded (and, on the search page, its results shown): each call
            // to the browser costs a round trip, and there are hundreds of pages.
            let measured = wait_for(
                &tab,
                &format!(
                    "(() => {{ if (!(document.readyState === 'complete' && location.pathname === {path:?} && document.querySelector('footer'))) return null;\
                     const results = document.querySelector('#search-results');\
                     if (location.pathname === '/search/' && !results.matches('[aria-busy=false]')) return null;\
                     return JSON.stringify({{ width: window.innerWidth, overflow: document.documentElement.scrollWidth - window.innerWidth, outside: {OFF_SCREEN} }}); }})()"
                ),
            );
            let measured: Value = serde_json::from_str(measured.as_str().unwrap()).unwrap();
            assert_eq!(measured["width"], width, "{path}: the viewport is not {width}px wide");
            let overflow = measured["overflow"].as_i64().unwrap_or(0);
            if overflow > 0 {
                failures.push(format!("{path} at {width}px: the page scrolls sideways by {overflow}px"));
            }
            let outside: Vec<String> =
                serde_json::from_value(measured["outside"].clone()).unwrap_or_default();
            if !outside.is_empty() {
                failures.push(format!("{path} at {width}px: outside the screen: {outside:?}"));
            }
            let found = match rules {
                Axe::All => axe_violations(&tab),
                Axe::LayoutOnly => axe(&tab, "['color-contrast']"),
                Axe::None => Vec::new(),
            };
            failures.extend(found.into_iter().map(|v| format!("{path} at {width}px: {v}")));
        }
    }
    let _ = tab.close(false);
    failures
}

#[test]
fn every_page_of_the_real_site_passes_axe_at_320_and_1280px_and_fits_at_390px() {
    let (site, server) = browser::server();
    let failures = audit(site, server.addr, &[(320, Axe::LayoutOnly), (390, Axe::None), (1280, Axe::All)]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_page_of_the_fixture_passes_axe_and_fits_at_320_and_1280px() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let server = accord::serve::spawn(&site.out, "127.0.0.1:0".parse().unwrap()).unwrap();
    let failures = audit(&site, server.addr, &[(320, Axe::LayoutOnly), (1280, Axe::All)]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_link_and_control_is_reachable_by_keyboard_with_the_sites_focus_style() {
    for path in ["/", "/agreements/irc-2022-2025/priorities/10/", "/topics/", "/search/?q=smoke+free"] {
        let tab = browser::open(path);
        settle(&tab);
        let wanted = eval(
            &tab,
            "[...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex=\"0\"]')]\
             .filter(e => e.checkVisibility({ visibilityProperty: true }) && !e.closest('[hidden]')).length",
        )
        .as_u64()
        .unwrap();
        eval(&tab, "window.__seen = new Set(); document.addEventListener('focusin', e => window.__seen.add(e.target))");
        let mut unfocused = Vec::new();
        for _ in 0..wanted + 5 {
            tab.press_key("Tab").unwrap();
            // The site's focus style (style.css), not the browser's thin ring:
            // a thick yellow outline and a dark bar beneath.
            let visible = eval(
                &tab,
                "(() => { const e = document.activeElement; if (!e || e === document.body) return true; \
                 const s = getComputedStyle(e); return s.outlineStyle === 'solid' && s.outlineWidth === '3px' \
                 && s.outlineColor === 'rgb(255, 221, 0)' && s.boxShadow.includes('0px 4px 0px'); })()",
            );
            if visible != true {
                unfocused.push(eval(&tab, "document.activeElement.outerHTML.slice(0, 120)"));
            }
        }
        let reached = eval(&tab, "window.__seen.size").as_u64().unwrap();
        assert!(reached >= wanted, "{path}: {reached} of {wanted} links and controls reached by Tab");
        assert!(unfocused.is_empty(), "{path}: focus without the site's focus style on {unfocused:?}");
    }
}

/// Builds the fixture with `edit` applied and returns (vnu errors, axe violations on `page`).
fn planted(page: &str, edit: impl FnOnce(&Path)) -> (Vec<String>, Vec<String>) {
    let dir = copy_site(&fixture("fourth-agreement"));
    edit(dir.path());
    let site = BuiltSite::build(dir.path());
    let vnu = vnu_errors(&site.out);
    let server = accord::serve::spawn(&site.out, "127.0.0.1:0".parse().unwrap()).unwrap();
    let guard = browser::browser().lock().unwrap_or_else(|e| e.into_inner());
    let tab = guard.new_tab().unwrap();
    tab.navigate_to(&format!("http://{}{page}", server.addr)).unwrap().wait_until_navigated().unwrap();
    poll(&tab, "document.readyState === 'complete'");
    let axe = axe_violations(&tab);
    let _ = tab.close(false);
    (vnu, axe)
}

fn add_to_page(root: &Path, html: &str) {
    allow_raw_html(root);
    let path = root.join("content/pages/about-this-fixture.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}\n\n{html}\n")).unwrap();
}

#[test]
fn the_gates_catch_planted_faults() {
    let page = "/about-this-fixture/";
    let (_, axe) = planted(page, |root| add_to_page(root, "<p><img src=\"chart.png\"></p>"));
    assert!(axe.iter().any(|v| v.starts_with("image-alt")), "missing alt text not caught: {axe:?}");

    let (vnu, _) =
        planted(page, |root| add_to_page(root, "<p id=\"main-content\">Made-up duplicate id.</p>"));
    assert!(vnu.iter().any(|e| e.contains("Duplicate ID")), "duplicate id not caught: {vnu:?}");

    let (_, axe) = planted(page, |root| {
        std::fs::create_dir_all(root.join("static")).unwrap();
        let theme_css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
        std::fs::write(root.join("static/style.css"), format!("{theme_css}\np {{ color: #bbbbbb; }}\n"))
            .unwrap();
    });
    assert!(axe.iter().any(|v| v.starts_with("color-contrast")), "low contrast not caught: {axe:?}");
}

/// LinkChecker (from PyPI) crawling a served site; returns its broken links.
fn linkchecker(out: &Path) -> Vec<String> {
    assert!(
        Command::new("linkchecker").arg("--version").output().is_ok(),
        "LinkChecker is missing: run the tests with `bash .ci/run`, which installs it"
    );
    let server = accord::serve::spawn(out, "127.0.0.1:0".parse().unwrap()).unwrap();
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "[checking]\nmaxrequestspersecond=1000\nthreads=4\n[filtering]\ncheckextern=0\n",
    )
    .unwrap();
    let result = Command::new("linkchecker")
        .args(["--no-status", "--output", "csv", "--config"])
        .arg(config.path())
        .arg(format!("http://{}/", server.addr))
        .output()
        .expect("linkchecker runs");
    String::from_utf8_lossy(&result.stdout)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("urlname;") && !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_outside_link_checker_finds_no_broken_links() {
    let real = linkchecker(&browser::server().0.out);
    assert!(real.is_empty(), "broken links on the real site:\n{}", real.join("\n"));
    let fixture_site = BuiltSite::build(&fixture("fourth-agreement"));
    let fixture_links = linkchecker(&fixture_site.out);
    assert!(fixture_links.is_empty(), "broken links on the fixture:\n{}", fixture_links.join("\n"));

    let dir = copy_site(&fixture("fourth-agreement"));
    add_to_page(dir.path(), "<a href=\"/made-up-missing-page/\">A planted broken link</a>");
    let planted = linkchecker(&BuiltSite::build(dir.path()).out);
    assert!(
        planted.iter().any(|l| l.starts_with("/made-up-missing-page/;")),
        "planted link not caught: {planted:?}"
    );
}

#[test]
fn redirect_and_withdrawn_pages_are_valid_and_accessible() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let item = dir.path().join("content/agreements/police-custody-2026-2029/items/principle-2.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(
        &item,
        text.replacen("number = 2\n", "number = 2\naliases = [\"/made-up-old-address/\"]\n", 1),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/withdrawn.toml"),
        "# Made up for a test.\n[[withdrawn]]\nurl = \"/made-up-withdrawn/\"\ntitle = \"A made-up page\"\ndate = 2026-11-01\nreason = \"Made up for a test.\"\n",
    )
    .unwrap();
    let site = BuiltSite::build(dir.path());
    assert!(site.exists("/made-up-old-address/") && site.exists("/made-up-withdrawn/"));
    let errors = vnu_errors(&site.out);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The redirect page moves the browser on at once, so axe checks the withdrawn page.
    let server = accord::serve::spawn(&site.out, "127.0.0.1:0".parse().unwrap()).unwrap();
    let guard = browser::browser().lock().unwrap_or_else(|e| e.into_inner());
    let tab = guard.new_tab().unwrap();
    tab.navigate_to(&format!("http://{}/made-up-withdrawn/", server.addr))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let violations = axe_violations(&tab);
    let _ = tab.close(false);
    assert!(violations.is_empty(), "{violations:?}");
}
