//! `accord init DIR`: a new site for another partnership programme, ready
//! for `accord serve --root DIR`. The example agreement's text says plainly
//! that it is example text, so it is never mistaken for a real agreement.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "accord.toml",
        "# Site settings. SETTINGS.md describes every one.\ntitle = \"Example partnership agreements\"\n# Replace with the address the site will be published at.\nbase_url = \"https://example.org/\"\nlanguage = \"en-GB\"\nminify = true\n",
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Example partnership agreements\"\n+++\nThis is example text written by `accord init`. Replace it with an introduction to your agreements.\n",
    ),
    (
        "content/organisations.toml",
        "# Example organisations written by `accord init`: replace them with the real partners.\n\n[[organisation]]\nid = \"example-health-body\"\nname = \"Example Health Body\"\n\n[[organisation]]\nid = \"example-justice-body\"\nname = \"Example Justice Body\"\n",
    ),
    (
        "content/agreements/example-2026-2029/agreement.toml",
        "# An example agreement written by `accord init`. None of it is a real agreement.\ntitle = \"Example national partnership agreement 2026 to 2029 (example text)\"\nshort_title = \"Example 2026–29\"\nperiod = { start = 2026, end = 2029 }\npartners = [\"example-health-body\", \"example-justice-body\"]\n\n[[signatories]]\nname = \"Example Signatory\"\nrole = \"Example role\"\norganisation = \"Example Health Body\"\n",
    ),
    (
        "content/agreements/example-2026-2029/sections/01-purpose.md",
        "+++\ntitle = \"Purpose of this agreement\"\n+++\nThis is example text written by `accord init`. Each file in `sections/` is one section of the agreement, in file-name order.\n",
    ),
    (
        "content/agreements/example-2026-2029/sections/02-priorities.md",
        "+++\ntitle = \"Our priorities\"\nitems = \"priority\"\n+++\nThis is example text. The priorities in `items/` are listed here.\n",
    ),
    (
        "content/agreements/example-2026-2029/items/priority-1.md",
        "+++\nkind = \"priority\"\nnumber = 1\n+++\nThis is an example priority written by `accord init`. It appears at /agreements/example-2026-2029/priorities/1/.\n",
    ),
    ("templates/.gitkeep", ""),
    // The built site, and the hidden folder each build keeps for the next one.
    (".gitignore", "/public\n/.accord-*\n"),
];

const README: &str = include_str!("../docs/content-format.md");
const SETTINGS: &str = include_str!("../docs/configuration.md");

/// Writes the new site; refuses to touch a folder that already has a site in it.
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.join("accord.toml").exists() || dir.join("content").exists() {
        return Err(format!(
            "{} already holds a site (accord.toml or content/); choose an empty folder",
            dir.display()
        ));
    }
    let write = |rel: &str, text: &str| -> Result<(), String> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    for (rel, text) in FILES {
        write(rel, text)?;
    }
    write("README.md", README)?;
    write("SETTINGS.md", SETTINGS)
}
