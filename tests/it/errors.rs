//! Broken content: every kind of mistake is reported with file, line and
//! column, all in one run, and the previous site is left exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;

const AGREEMENT: &str = "content/agreements/police-custody-2026-2029";

/// Every file under `dir` and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Builds the fixture once, breaks it with `edit`, builds again into the same
/// folder: returns the rendered errors after checking the old site survived.
fn broken(edit: impl FnOnce(&Path)) -> String {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = site.path().join("public");
    accord::build(site.path(), &out).expect("the fixture builds before it is broken");
    let before = snapshot(&out);
    edit(site.path());
    let errors = accord::build(site.path(), &out).expect_err("the broken site must not build");
    assert_eq!(snapshot(&out), before, "public/ changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".accord"))
        .collect();
    // Only the record of the live site's folder, kept beside it.
    let record = accord::write::record_path(&out).unwrap();
    assert_eq!(leftovers, [record.file_name().unwrap().to_string_lossy()], "temporary folders left behind");
    errors.render()
}

fn principle(n: u32) -> String {
    format!("{AGREEMENT}/items/principle-{n}.md")
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let errors = broken(|root| edit(root, &principle(2), |t| t.replacen("number = 2", "number = 2 2", 1)));
    assert!(errors.contains(&format!("{}:3:10:", principle(2))), "{errors}");
    assert!(errors.contains("1 error found"), "{errors}");
}

#[test]
fn missing_required_field_says_which_and_how_to_fix() {
    let errors = broken(|root| {
        edit(root, &format!("{AGREEMENT}/agreement.toml"), |t| {
            t.lines().filter(|l| !l.starts_with("short_title")).collect::<Vec<_>>().join("\n")
        })
    });
    assert!(errors.contains(&format!("{AGREEMENT}/agreement.toml:")), "{errors}");
    assert!(errors.contains("missing field `short_title`"), "{errors}");
    assert!(errors.contains("help: add `short_title`"), "{errors}");
}

#[test]
fn unknown_front_matter_key_points_at_the_key() {
    let errors = broken(|root| {
        edit(root, &principle(2), |t| t.replacen("number = 2\n", "number = 2\ncolour = \"red\"\n", 1))
    });
    assert!(errors.contains(&format!("{}:4:1: unknown field `colour`", principle(2))), "{errors}");
    assert!(errors.contains("colour = \"red\""), "the source line is shown: {errors}");
    assert!(errors.contains("help: remove this key or correct its spelling"), "{errors}");
}

#[test]
fn two_items_with_the_same_kind_and_number() {
    let errors = broken(|root| {
        std::fs::copy(root.join(principle(2)), root.join(format!("{AGREEMENT}/items/principle-2-copy.md")))
            .unwrap();
    });
    assert!(
        errors.contains(&format!("{AGREEMENT}/items/principle-2.md:3:10: Principle 2 is defined twice")),
        "{errors}"
    );
    assert!(errors.contains("principle-2-copy.md already defines principle 2"), "{errors}");
}

#[test]
fn broken_internal_links_to_pages_and_anchors() {
    let section = format!("{AGREEMENT}/sections/04-governance.md");
    let errors = broken(|root| {
        edit(root, &section, |t| {
            t.replace("principles/2)", "principles/9)")
                .replace("#principle-2-measure-2", "#principle-2-measure-7")
        })
    });
    assert!(errors.contains(&format!("{section}:5:9: link to `@/agreements/police-custody-2026-2029/principles/9`, a page that does not exist")), "{errors}");
    assert!(
        errors.contains("nearest existing page is @/agreements/police-custody-2026-2029/principles/"),
        "{errors}"
    );
    assert!(errors.contains(&format!("{section}:7:1: link to `#principle-2-measure-7`")), "{errors}");
    assert!(errors.contains("principle-2-measure-2"), "the help lists real anchors: {errors}");
    assert!(errors.contains("2 errors found"), "{errors}");
}

#[test]
fn a_file_that_is_not_utf8() {
    let errors = broken(|root| {
        let path = root.join(principle(3));
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.len() - 5;
        bytes[at] = 0xE9; // "é" in Latin-1
        std::fs::write(&path, bytes).unwrap();
    });
    assert!(errors.contains(&format!("{}:", principle(3))), "{errors}");
    assert!(errors.contains("file is not valid UTF-8"), "{errors}");
    assert!(errors.contains("save the file as UTF-8"), "{errors}");
}

#[test]
fn every_error_is_reported_in_one_run() {
    let errors = broken(|root| {
        edit(root, &principle(1), |t| t.replacen("number = 1\n", "number = 1\ntitel = \"x\"\n", 1));
        edit(root, &format!("{AGREEMENT}/agreement.toml"), |t| {
            t.replacen("partners = [", "partners = [\"nobody\", ", 1)
        });
        edit(root, &principle(3), |t| t.replacen("+++\n", "+++\nkind = \n", 1));
        edit(root, &format!("{AGREEMENT}/sections/01-purpose.md"), |t| format!("{t}\n\n## Too high\n"));
    });
    assert!(errors.contains("unknown field `titel`"), "{errors}");
    assert!(errors.contains("unknown partner `nobody`"), "{errors}");
    assert!(errors.contains(&format!("{}:2:", principle(3))), "{errors}");
    assert!(errors.contains("a level-2 heading is not allowed here"), "{errors}");
    assert!(errors.contains("4 errors found"), "{errors}");
}

#[test]
fn front_matter_that_never_closes() {
    let errors = broken(|root| edit(root, &principle(1), |t| t.replace("+++\nThis", "This")));
    assert!(errors.contains(&format!("{}:1:1: front matter is never closed", principle(1))), "{errors}");
}

#[test]
fn items_no_section_lists() {
    let errors = broken(|root| {
        edit(root, &format!("{AGREEMENT}/sections/03-principles.md"), |t| {
            t.replace("items = \"principle\"\n", "")
        })
    });
    assert!(errors.contains("no section lists the agreement's principles"), "{errors}");
}

#[test]
fn the_command_line_exits_non_zero_and_prints_locations() {
    let site = copy_site(&fixture("fourth-agreement"));
    edit(site.path(), &principle(2), |t| t.replacen("number = 2\n", "number = 2\ncolour = 1\n", 1));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:4:1: unknown field `colour`", principle(2))), "{stderr}");
    assert!(stderr.contains("was left unchanged"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn no_panic_on_any_truncation_of_any_file() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .collect();
    for path in files {
        let original = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for cut in [0, 1, 3, 4, original.len() / 3, original.len() / 2, original.len() - 1] {
            std::fs::write(&path, &original[..cut]).unwrap();
            // A build that fails says so naming the file cut short (a panic fails the test too);
            // some cuts leave a file that still reads, and those build.
            if let Err(errors) = accord::build(site.path(), &out.path().join("public")) {
                let errors = errors.render();
                assert!(
                    errors.contains(&name),
                    "{name} cut at byte {cut}, and the errors do not name it:\n{errors}"
                );
            }
        }
        std::fs::write(&path, &original).unwrap();
    }
}

#[test]
fn a_template_that_fails_while_pages_are_written_leaves_the_site_as_it_was() {
    // Pages stream to disk as they render, so this error comes after some are
    // written: into the staging folder, never into public/.
    let errors = broken(|root| {
        let theme = std::fs::read_to_string(repo().join("themes/default/templates/item.html")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(
            root.join("templates/item.html"),
            theme.replacen("{{ item.label }}", "{{ item.no_such_field }}", 1),
        )
        .unwrap();
    });
    assert!(errors.contains("templates/item.html") && errors.contains("no_such_field"), "{errors}");
    // Found while rendering, and still placed on its line of the template.
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/item.html")).unwrap();
    let line = theme.lines().position(|l| l.contains("{{ item.label }}")).unwrap() + 1;
    assert!(errors.contains(&format!("templates/item.html:{line}:")), "{errors}");
}

#[test]
fn symbolic_links_that_lead_nowhere_loop_or_leave_the_site_are_named() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"Not the site's\"\n+++\nMade up.\n")
        .unwrap();
    let errors = broken(|root| {
        let pages = root.join("content/pages");
        symlink("no-such-file.md", pages.join("dangling.md")).unwrap();
        symlink("loop-b.md", pages.join("loop-a.md")).unwrap();
        symlink("loop-a.md", pages.join("loop-b.md")).unwrap();
        symlink(outside.path().join("secret.md"), pages.join("outside.md")).unwrap();
        symlink("/no/such/organisations.toml", root.join("content/organisations-elsewhere.toml")).unwrap();
        std::fs::remove_file(root.join("content/organisations.toml")).unwrap();
        symlink("organisations-elsewhere.toml", root.join("content/organisations.toml")).unwrap();
    });
    assert!(
        errors.contains(
            "content/pages/dangling.md:1:1: a symbolic link to no-such-file.md, which does not exist"
        ),
        "{errors}"
    );
    assert!(errors.contains("content/pages/loop-a.md:1:1: a symbolic link in a loop"), "{errors}");
    assert!(errors.contains("content/pages/loop-b.md:1:1: a symbolic link in a loop"), "{errors}");
    assert!(
        errors.contains("content/pages/outside.md:1:1: a symbolic link to")
            && errors.contains("outside the site folder"),
        "{errors}"
    );
    assert!(errors.contains("content/organisations.toml:1:1: a symbolic link to organisations-elsewhere.toml, which does not exist"), "{errors}");
    assert!(
        !errors.contains("unknown partner"),
        "a missing organisations.toml echoed as unknown partners:\n{errors}"
    );
    assert!(errors.contains("5 errors found"), "{errors}");
}

#[test]
fn a_symbolic_link_inside_the_site_is_followed() {
    use std::os::unix::fs::symlink;
    let site = copy_site(&fixture("fourth-agreement"));
    std::fs::create_dir_all(site.path().join("shared-notes")).unwrap();
    std::fs::write(
        site.path().join("shared-notes/made-up-note.md"),
        "+++\ntitle = \"A made-up linked note\"\n+++\nMade up for a test.\n",
    )
    .unwrap();
    symlink("../../shared-notes/made-up-note.md", site.path().join("content/pages/made-up-note.md")).unwrap();
    let built = BuiltSite::build(site.path());
    assert_eq!(built.page("/made-up-note/").text_of("h1"), "A made-up linked note");
}

#[test]
fn a_responsibility_under_the_wrong_organisation_explains_the_toml_rule() {
    let errors = broken(|root| {
        edit(root, "content/organisations.toml", |t| {
            format!("{t}\n[[organisation]]\nid = \"made-up-bystander\"\nname = \"Made-up Bystander\"\n\n[[organisation.responsibility]]\nagreement = \"police-custody-2026-2029\"\ntext = \"Made up for a test.\"\n")
        })
    });
    assert!(errors.contains("content/organisations.toml:22:13: a responsibility in Police custody 2026–29 for `made-up-bystander`, which that agreement does not name as a partner"), "{errors}");
    assert!(errors.contains("belongs to the [[organisation]] written last above it"), "{errors}");
}

#[test]
fn one_mistake_is_one_error_and_the_root_cause_comes_first() {
    // A typo in a section's front matter: not also "no section lists the principles".
    let errors = broken(|root| {
        edit(root, &format!("{AGREEMENT}/sections/03-principles.md"), |t| t.replacen("title =", "titel =", 1))
    });
    assert!(errors.contains("03-principles.md:2:1: unknown field `titel`"), "{errors}");
    assert!(errors.contains("1 error found"), "{errors}");

    // An unclosed string in organisations.toml: not also one error per partner.
    let errors = broken(|root| {
        edit(root, "content/organisations.toml", |t| {
            t.replacen("name = \"Fixture Health Board\"", "name = \"Fixture Health Board", 1)
        })
    });
    assert!(errors.contains("content/organisations.toml:5:"), "{errors}");
    assert!(errors.contains("1 error found"), "{errors}");

    // With an independent error in a file that sorts earlier, the file that
    // did not load is still listed first.
    let errors = broken(|root| {
        edit(root, "content/organisations.toml", |t| {
            t.replacen("name = \"Fixture Health Board\"", "name = \"Fixture Health Board", 1)
        });
        edit(root, &principle(2), |t| format!("{t}\nSee [nothing](@/no-such-page).\n"));
    });
    let first = errors.find("content/organisations.toml:5:").expect("the root cause is reported");
    let second = errors.find("a page that does not exist").expect("the independent error is reported");
    assert!(first < second, "the root cause is not listed first:\n{errors}");
    assert!(errors.contains("2 errors found"), "{errors}");
}

#[test]
fn an_unclosed_if_is_reported_at_its_opening_tag() {
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/item.html")).unwrap();
    let line = theme.lines().position(|l| l.contains("{% if item.mentions %}")).unwrap() + 1;
    let errors = broken(|root| {
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let broken =
            theme.replacen("{% if item.mentions %}", "{% if item.mentions %}{% if item.topics %}", 1);
        std::fs::write(root.join("templates/item.html"), broken).unwrap();
    });
    assert!(
        errors.contains(&format!(
            "templates/item.html:{line}:1: template error: `{{% if item.mentions %}}` is never closed"
        )),
        "{errors}"
    );
    assert!(errors.contains("add {% endif %}"), "{errors}");
}

#[test]
fn a_build_that_adds_urls_says_which_and_check_says_so_first() {
    let site = copy_site(&fixture("fourth-agreement"));
    std::fs::write(
        site.path().join("content/pages/made-up-new-page.md"),
        "+++\ntitle = \"A made-up new page\"\n+++\nMade up for a test.\n",
    )
    .unwrap();
    let run = |command: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args([command, "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let checked = run("check");
    assert!(
        checked.contains("urls.lock:1:1: the next build adds 1 new URL: /made-up-new-page/"),
        "{checked}"
    );
    let built = run("build");
    assert!(built.contains("urls.lock records 1 new URL: /made-up-new-page/"), "{built}");
    let again = run("build");
    assert!(!again.contains("new URL"), "{again}");
}

#[test]
fn a_broken_link_in_any_markdown_field_names_its_file_and_line() {
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/agreements/irc-2022-2025/scrutiny.toml", |t| {
            t.replacen(
                "publishing public reports on their findings.",
                "publishing [reports](@/made-up-reports).",
                1,
            )
        });
        edit(root, "content/organisations.toml", |t| {
            t.replacen(
                "Health protection expertise, advice/guidance and support",
                "Health protection [expertise](@/made-up-expertise)",
                1,
            )
        });
        edit(root, "content/figures.toml", |t| {
            t.replacen("access to 28 days supply.\"", "access to [28 days](@/made-up-supply) supply.\"", 1)
        });
    });
    for (file, line, target) in [
        ("content/agreements/irc-2022-2025/scrutiny.toml", 6, "made-up-reports"),
        ("content/organisations.toml", 18, "made-up-expertise"),
        ("content/figures.toml", 13, "made-up-supply"),
    ] {
        let wanted = format!("{file}:{line}:");
        let at = errors.find(&wanted).unwrap_or_else(|| panic!("nothing at {wanted}:\n{errors}"));
        assert!(
            errors[at..]
                .lines()
                .next()
                .unwrap()
                .contains(&format!("link to `@/{target}`, a page that does not exist")),
            "{errors}"
        );
    }
    // In a progress update's narrative too.
    let errors = broken(|root| {
        edit(root, "content/updates/2026-q1.toml", |t| {
            t.replacen("work has not begun.", "work has not [begun](@/made-up-begun).", 1)
        })
    });
    assert!(errors.contains("content/updates/2026-q1.toml:10:"), "{errors}");
    assert!(errors.contains("link to `@/made-up-begun`, a page that does not exist"), "{errors}");
}

#[test]
fn fixed_pages_are_link_targets_only_where_the_site_builds_them() {
    // The fixture has no figures, people or scrutiny bodies, so no such pages.
    let errors = broken(|root| {
        edit(root, &principle(2), |t| {
            format!("{t}\nSee [the figures](@/figures) and [the people](@/people/).\n")
        })
    });
    assert!(errors.contains("link to `@/figures`, a page that does not exist"), "{errors}");
    assert!(errors.contains("link to `@/people`, a page that does not exist"), "{errors}");
    // Its updates page exists, and so does a template's own anchor on an item page.
    let site = copy_site(&fixture("fourth-agreement"));
    edit(site.path(), &principle(2), |t| {
        format!("{t}\nSee [updates](@/updates) and [how to cite principle 1](@/agreements/police-custody-2026-2029/principles/1#cite-this).\n")
    });
    BuiltSite::build(site.path());
}

#[test]
fn a_section_cannot_take_an_id_its_page_template_writes() {
    for id in ["progress", "cite-this", "signatories"] {
        let errors = broken(|root| {
            edit(root, &format!("{AGREEMENT}/sections/04-governance.md"), |t| {
                t.replacen("+++\n", &format!("+++\nid = \"{id}\"\n"), 1)
            })
        });
        assert!(errors.contains(&format!("`{id}` cannot be a section id")), "{id}: {errors}");
    }
}

#[test]
fn accord_serve_reports_every_error_accord_build_reports() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let mut session = accord::rebuild::Session::new(site.path(), &out.path().join("site"), |_| {});
    session.rebuild(&[]).expect("the fixture builds before it is broken");

    // A template and a front matter broken in one save: an editor must see both at once.
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/item.html")).unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let template = theme.replacen("{% if item.mentions %}", "{% if item.mentions %}{% if x %}", 1);
    std::fs::write(site.path().join("templates/item.html"), template).unwrap();
    let item = principle(2);
    edit(site.path(), &item, |t| t.replacen("number = 2", "number = \"two", 1));

    let built = accord::build(site.path(), &site.path().join("public")).expect_err("a broken site").render();
    let changed = [PathBuf::from("templates/item.html"), PathBuf::from(&item)];
    let served = session.rebuild(&changed).expect_err("a broken site").render();
    assert!(built.contains("templates/item.html:") && built.contains("principle-2.md:"), "{built}");
    assert_eq!(served, built, "accord serve reports other errors than accord build");
}

#[test]
fn a_template_asking_for_a_page_the_site_has_no_name_for_is_told_the_names() {
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/404.html")).unwrap();
    let line = theme.lines().position(|l| l.contains("url(page=\"agreements\")")).unwrap() + 1;
    let errors = broken(|root| {
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let typo = theme.replacen("url(page=\"agreements\")", "url(page=\"agreement\")", 1);
        std::fs::write(root.join("templates/404.html"), typo).unwrap();
    });
    assert!(errors.contains(&format!("templates/404.html:{line}:")), "{errors}");
    assert!(
        errors.contains("there is no page named `agreement`; the names are home, agreements"),
        "{errors}"
    );
}

#[test]
fn the_nhs_areas_source_must_be_a_context_page() {
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/nhs-priority-areas.toml", |t| {
            t.replace("source = \"@/nhs-england-health-and-justice\"", "source = \"@/no-such-page\"")
        })
    });
    assert!(
        errors.contains("nhs-priority-areas.toml:3:10: `@/no-such-page` is not a context page"),
        "{errors}"
    );
}

#[test]
fn the_default_theme_spells_no_site_path() {
    for entry in std::fs::read_dir(repo().join("themes/default/templates")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let spelled = line.contains("{{ site.base_path }}")
                || line.contains("href=\"/")
                || line.contains("src=\"/");
            assert!(
                !spelled,
                "{}:{}: a site path spelled out; ask for it with url(…): {line}",
                path.display(),
                n + 1
            );
        }
    }
}

#[test]
fn a_leftover_note_must_quote_its_sections_own_words() {
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/agreements/prisons-probation-2022-2025/sections/04-mental-health.md", |t| {
            t.replace("says = \"5x\"", "says = \"6x\"")
        })
    });
    assert!(errors.contains("04-mental-health.md:6:8: the section does not say \"6x\""), "{errors}");
}

#[test]
fn synonyms_that_cannot_help_search_are_errors_at_their_lines() {
    let added = [
        ("words = [\"medicine\"]", "a group of synonyms needs at least two words"),
        ("words = [\"jail\", \"gaol\"]", "none of these words is in the site's text"),
        ("words = [\"pills\", \"medication\"]", "`medication` is already in the group at line 9"),
        ("words = [\"care regulator\", \"CQC\"]", "`CQC` is in the glossary (CQC)"),
        ("words = [\"tablets\", \"Tablets\"]", "`Tablets` is in this group twice"),
        ("words = [\"—\", \"release\"]", "`—` has no letters or digits to search for"),
    ];
    let original = std::fs::read_to_string(repo().join("content/synonyms.toml")).unwrap();
    assert!(original.lines().nth(8).unwrap().contains("\"medication\""), "line 9 is the medication group");
    let mut text = original.clone();
    for (words, _) in added {
        text.push_str(&format!("\n[[synonym]]\n{words}\n"));
    }
    let errors =
        build_errors(&repo(), |root| std::fs::write(root.join("content/synonyms.toml"), &text).unwrap());
    for (words, message) in added {
        let line = text.lines().position(|l| l == words).unwrap() + 1;
        // The group's list for a fault of the whole group, else the word.
        let column = if message.starts_with('`') {
            let word = message.split('`').nth(1).unwrap();
            words.rfind(&format!("\"{word}\"")).unwrap() + 1
        } else {
            words.find('[').unwrap() + 1
        };
        let at = format!("content/synonyms.toml:{line}:{column}: {message}");
        assert!(errors.contains(&at), "{at}\n{errors}");
    }
    let misspelt = build_errors(&repo(), |root| {
        std::fs::write(
            root.join("content/synonyms.toml"),
            format!("{original}\n[[synonym]]\nword = [\"a\", \"b\"]\n"),
        )
        .unwrap()
    });
    assert!(misspelt.contains("content/synonyms.toml:") && misspelt.contains("word"), "{misspelt}");
}
