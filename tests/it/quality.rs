//! Quality gates run by tools nobody here wrote: axe-core for accessibility
//! (in real Chromium, at desktop and 320 px widths) and the Nu HTML Checker
//! for validity. They fail with the page, the rule and the element.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::Tab;
use serde_json::Value;

use crate::browser::{self, eval, poll, url, wait_for};
use crate::common::*;

/// One page of every page type the site has.
const PAGE_TYPES: &[&str] = &[
    "/",
    "/agreements/",
    "/agreements/children-secure-estate-2023-2025/",
    "/agreements/children-secure-estate-2023-2025/principles/8/",
    "/agreements/irc-2022-2025/priorities/10/",
    "/topics/",
    "/topics/data-sharing/",
    "/search/?q=data+sharing",
    "/a-z/",
    "/healthcare-for-offenders/",
    "/figures/",
    "/figures/children-in-youth-justice-settings/",
    "/figures/mental-health-concerns-girls-and-boys/",
    "/data/",
    "/people/",
    "/people/jenny-harries/",
    "/organisations/nhs-england/",
    "/scrutiny/",
    "/scrutiny/care-quality-commission/",
    "/accessibility/",
    "/no-such-page/",
];

/// `npm ci` once per test run, so a fresh clone needs no extra step.
fn node_modules() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = repo().join("node_modules");
            if !dir.join("axe-core/axe.min.js").is_file() || !dir.join("vnu-jar/build/dist/vnu.jar").is_file()
            {
                let status = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(repo())
                    .status()
                    .expect("npm runs (Node.js is needed for the quality gates)");
                assert!(status.success(), "npm ci failed");
            }
            dir
        })
        .clone()
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
    static AXE: OnceLock<String> = OnceLock::new();
    let source =
        AXE.get_or_init(|| std::fs::read_to_string(node_modules().join("axe-core/axe.min.js")).unwrap());
    tab.evaluate(source, false).unwrap();
    let result = eval(
        tab,
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } })\
         .then(r => JSON.stringify(r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + v.help + ' at ' + n.target.join(' ')))))",
    );
    serde_json::from_str(result.as_str().expect("axe ran")).unwrap()
}

/// A page loaded and settled: search results rendered where there are any.
fn settle(tab: &Tab) {
    if eval(tab, "location.pathname") == "/search/" {
        wait_for(tab, "document.querySelector('#search-results a.pagefind-modular-list-link') !== null");
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

#[test]
fn every_page_type_passes_axe_at_desktop_width() {
    let mut failures = Vec::new();
    for path in PAGE_TYPES {
        let tab = browser::open(path);
        settle(&tab);
        failures.extend(axe_violations(&tab).into_iter().map(|v| format!("{path}: {v}")));
    }
    assert!(failures.is_empty(), "axe violations:\n{}", failures.join("\n"));
}

/// Emulates a phone 320 CSS pixels wide (WCAG's reflow width); a headless
/// window cannot be made narrower than 500 pixels.
fn narrow_viewport(tab: &Tab) {
    let metrics: SetDeviceMetricsOverride = serde_json::from_value(serde_json::json!({
        "width": 320, "height": 900, "deviceScaleFactor": 1, "mobile": true
    }))
    .unwrap();
    tab.call_method(metrics).unwrap();
}

#[test]
fn every_page_type_reflows_at_320px_and_passes_axe() {
    let mut failures = Vec::new();
    for path in PAGE_TYPES {
        let tab = browser::open("/404.html");
        narrow_viewport(&tab);
        tab.navigate_to(&url(path)).unwrap().wait_until_navigated().unwrap();
        settle(&tab);
        let wide = eval(
            &tab,
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))\
             .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 60)).join(' | ')",
        );
        assert_eq!(eval(&tab, "window.innerWidth"), 320, "{path}: wider than 320px: {wide}");
        let overflow =
            eval(&tab, "document.documentElement.scrollWidth - window.innerWidth").as_i64().unwrap();
        if overflow > 0 {
            failures.push(format!("{path}: the page scrolls sideways by {overflow}px at 320px"));
        }
        failures.extend(axe_violations(&tab).into_iter().map(|v| format!("{path} at 320px: {v}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_link_and_control_is_reachable_by_keyboard_with_visible_focus() {
    for path in ["/", "/agreements/irc-2022-2025/priorities/10/", "/topics/", "/search/?q=smoke+free"] {
        let tab = browser::open(path);
        settle(&tab);
        let wanted = eval(
            &tab,
            "[...document.querySelectorAll('a[href], button, input, [tabindex=\"0\"]')]\
             .filter(e => e.getClientRects().length && !e.closest('[hidden]')).length",
        )
        .as_u64()
        .unwrap();
        eval(&tab, "window.__seen = new Set(); document.addEventListener('focusin', e => window.__seen.add(e.target))");
        let mut unfocused = Vec::new();
        for _ in 0..wanted + 5 {
            tab.press_key("Tab").unwrap();
            let visible = eval(
                &tab,
                "(() => { const e = document.activeElement; if (!e || e === document.body) return true; \
                 const s = getComputedStyle(e); return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'; })()",
            );
            if visible != true {
                unfocused.push(eval(&tab, "document.activeElement.outerHTML.slice(0, 120)"));
            }
        }
        let reached = eval(&tab, "window.__seen.size").as_u64().unwrap();
        assert!(reached >= wanted, "{path}: {reached} of {wanted} links and controls reached by Tab");
        assert!(unfocused.is_empty(), "{path}: focus not visible on {unfocused:?}");
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
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if Command::new("linkchecker").arg("--version").output().is_err() {
            let status = Command::new("python3")
                .args(["-m", "pip", "install", "-q", "linkchecker==10.6.0"])
                .status()
                .expect("python3 runs");
            assert!(status.success(), "pip install linkchecker failed");
        }
    });
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
