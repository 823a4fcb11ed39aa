//! Property tests over what editors write: Markdown, front matter and TOML
//! data made of the pieces that break parsers and sanitisers. Whatever the
//! input, no panic, nothing written outside the output folder, and no
//! markup that can run code in the HTML.
//!
//! CI runs a bounded number of cases; for a longer run:
//! `PROPTEST_CASES=20000 cargo test --locked --test it fuzz::`

use std::path::Path;

use proptest::prelude::*;

use accord::markdown::{render, IdSet, MarkdownContext, ParagraphLinks, RawHtml};

/// Pieces of text that matter to Markdown, HTML, TOML and URLs.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>x()</script>".to_owned()),
        Just("<img src=x onerror=x()>".to_owned()),
        Just("<svg><a xlink:href=\"javascript:x()\">s</a></svg>".to_owned()),
        Just("<a href=\"jav&#x09;ascript:x()\">a</a>".to_owned()),
        Just("<iframe srcdoc=\"<b>\"></iframe>".to_owned()),
        Just("<div style=\"x\" onclick='x()'>".to_owned()),
        Just("</div>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("<math><mi xlink:href=\"data:x\">m</mi></math>".to_owned()),
        Just("[l](javascript:x())".to_owned()),
        Just("[l]( JAVASCRIPT:x())".to_owned()),
        Just("[l](data:text/html,x)".to_owned()),
        Just("![i](vbscript:x)".to_owned()),
        Just("<javascript:x()>".to_owned()),
        Just("[r]: javascript:x()\n\n[r]".to_owned()),
        Just("[l](@/agreements/x/priorities/1#a)".to_owned()),
        Just("# H {#id onclick=x()}".to_owned()),
        Just("#### H {.c data-x=y}".to_owned()),
        Just("[^1]\n\n[^1]: note".to_owned()),
        Just("| a | b |\n|:-|-:|\n| <b> | c |".to_owned()),
        Just("```html\n<script>\n```".to_owned()),
        Just("`<code>`".to_owned()),
        Just("\\<b>".to_owned()),
        Just("&lt;&amp;&#0;&#x110000;".to_owned()),
        Just("\u{0}\u{feff}\u{202e}é🇬🇧".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("    indented".to_owned()),
        Just("> quote".to_owned()),
        Just("- item".to_owned()),
        Just("+++".to_owned()),
        Just("\"".to_owned()),
        Just("'''".to_owned()),
        "[a-zA-Z <>\"'=/:&;#\\[\\]()!*_`{}-]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

/// What in rendered HTML could run code: checked on the parsed tree, as a browser sees it.
fn runnable(html: &str) -> Option<String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(e) = node.value().as_element() else { continue };
        if ["script", "iframe", "frame", "object", "embed", "style", "base", "form", "meta", "link"]
            .contains(&e.name())
        {
            return Some(format!("<{}>", e.name()));
        }
        for (name, value) in e.attrs() {
            let compact: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.starts_with("on") || name == "srcdoc" || name == "style" {
                return Some(format!("<{} {name}>", e.name()));
            }
            if ["javascript:", "vbscript:", "data:"].iter().any(|s| compact.starts_with(s)) {
                return Some(format!("<{} {name}=\"{value}\">", e.name()));
            }
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn markdown_never_yields_markup_that_runs(src in text(), sanitize in any::<bool>(), anchored in any::<bool>()) {
        let raw_html = if sanitize { RawHtml::Sanitize } else { RawHtml::Escape };
        // As an agreement's section is rendered: each paragraph anchored, with a self-link.
        let paragraphs = anchored.then_some(ParagraphLinks { page: "/a/", part: "A \"part\" <b>" });
        let cx = MarkdownContext { base_path: "/", min_heading_level: 2, raw_html, paragraphs };
        let rendered = render(&src, &cx, &mut IdSet::default());
        prop_assert!(runnable(&rendered.html).is_none(), "{:?} in {}", runnable(&rendered.html), rendered.html);
        for p in rendered.problems.iter() {
            prop_assert!(p.span.start <= p.span.end && p.span.end <= src.len());
        }
    }
}

/// A small site whose item, section and list files are made of `body`, `front` and `data`.
fn write_site(root: &Path, body: &str, front: &str, data: &str) {
    let a = root.join("content/agreements/made-up-2026-2027");
    std::fs::create_dir_all(a.join("sections")).unwrap();
    std::fs::create_dir_all(a.join("items")).unwrap();
    std::fs::write(
        root.join("accord.toml"),
        "# Made up for a test.\ntitle = \"Made up\"\nbase_url = \"https://fuzz.example/\"\n",
    )
    .unwrap();
    std::fs::write(
        a.join("agreement.toml"),
        "# Made up for a test.\ntitle = \"A made-up agreement\"\nshort_title = \"Made up\"\nperiod = { start = 2026, end = 2027 }\n",
    )
    .unwrap();
    std::fs::write(
        a.join("sections/01-made-up.md"),
        format!("+++\ntitle = \"Made up\"\nitems = \"priority\"\n+++\n{body}\n"),
    )
    .unwrap();
    std::fs::write(
        a.join("items/priority-1.md"),
        format!("+++\nkind = \"priority\"\nnumber = 1\n{front}\n+++\n{body}\n"),
    )
    .unwrap();
    std::fs::write(root.join("content/organisations.toml"), data).unwrap();
}

/// Every path under `root` outside the output folder and the build's own files beside it.
fn outside_output(root: &Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(name == "public" || name.starts_with(".accord-") || name == "urls.lock")
        })
        .map(|e| e.unwrap().path().strip_prefix(root).unwrap().to_path_buf())
        .collect()
}

fn front() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("topics = [\"x\"]".to_owned()),
        Just("related = [\"@/agreements/made-up-2026-2027/priorities/1\"]".to_owned()),
        Just("aliases = [\"/../../accord-fuzz-escape/\"]".to_owned()),
        Just("aliases = [\"/x/../../accord-fuzz-escape\"]".to_owned()),
        Just("[[measures]]\ntext = \"<script>x()</script>\"".to_owned()),
        Just("number = 2".to_owned()),
        Just("kind = \"objective\"".to_owned()),
        text().prop_map(|t| format!("x = \"{}\"", t.replace(['"', '\\', '\n'], ""))),
        text(),
    ]
}

fn data() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("[[organisation]]\nid = \"a\"\nname = \"<b>A</b>\"\n[[organisation.responsibility]]\nagreement = \"made-up-2026-2027\"\ntext = \"[x](javascript:x())\"".to_owned()),
        Just("[[organisation]]\nid = \"../../accord-fuzz-escape\"\nname = \"x\"".to_owned()),
        text(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_content_builds_or_fails_cleanly_and_writes_only_its_output(body in text(), front in front(), data in data()) {
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), &body, &front, &data);
        let before = outside_output(dir.path());
        let built = std::panic::catch_unwind(|| accord::build(dir.path(), &dir.path().join("public")));
        prop_assert!(built.is_ok(), "the build panicked");
        prop_assert_eq!(outside_output(dir.path()), before, "the build wrote outside its output folder");
        let escaped = dir.path().ancestors().skip(1).take(3).any(|p| p.join("accord-fuzz-escape").exists());
        prop_assert!(!escaped, "the build wrote beside the site folder");
        if let Ok(Ok(_)) = built {
            // Read as a browser reads them: no element or attribute that runs.
            let found = crate::safety::dangerous_markup(&dir.path().join("public"));
            prop_assert!(found.is_empty(), "{}", found.join("\n"));
        }
    }
}
