//! Synthetic sites for the benchmark: deterministic (a seeded generator),
//! written in the documented content format, and plainly marked as made up;
//! and the same pages as a Hugo site.

use std::fmt::Write as _;
use std::path::Path;

/// A tiny deterministic generator (xorshift): the same seed gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The words a synthetic corpus is written in: every word of the real
/// content's Markdown, drawn as often as the agreements use it. A page of
/// prose repeats a few words often and many rarely, and a search index is
/// shaped by that: how long each word's list of pages is, so how large the
/// chunk a query fetches, and how many distinct words there are to stem and
/// store. A short list of words drawn evenly made every word common and a
/// page's index unlike a real one's.
pub struct Vocabulary {
    /// Distinct words in name order, with the running total of their counts.
    words: Vec<(String, u64)>,
}

impl Vocabulary {
    /// The words of every `.md` file under `root/content`, front matter and
    /// link targets left out.
    pub fn of_site(root: &Path) -> std::io::Result<Vocabulary> {
        let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
        for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
            let entry = entry?;
            if entry.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path())?;
            for word in words_of(&after_front_matter(&text)) {
                *counts.entry(word).or_default() += 1;
            }
        }
        let mut total = 0;
        let words: Vec<(String, u64)> = counts
            .into_iter()
            .map(|(word, n)| {
                total += n;
                (word, total)
            })
            .collect();
        if words.len() < 500 {
            return Err(std::io::Error::other(format!(
                "{} has {} distinct words in its content/ Markdown, too few to write a corpus in:                  run from the project's folder (or give --root the folder of the real content)",
                root.display(),
                words.len()
            )));
        }
        Ok(Vocabulary { words })
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let total = self.words.last().map_or(1, |(_, t)| *t);
        let at = rng.next() % total;
        let i = self.words.partition_point(|(_, running)| *running <= at);
        &self.words[i.min(self.words.len() - 1)].0
    }
}

/// The words of a Markdown text: runs of letters, digits and inner hyphens,
/// with a capital that only starts a sentence lowered ("NHS" stays);
/// a link's target is not text.
fn words_of(markdown: &str) -> Vec<String> {
    let mut text = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        text.push_str(&rest[..at]);
        rest = rest[at..].find(')').map_or("", |end| &rest[at + end + 1..]);
    }
    text.push_str(rest);
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first_only = chars.next().is_some_and(char::is_uppercase) && !chars.any(char::is_uppercase);
            if first_only {
                w.to_lowercase()
            } else {
                w.to_owned()
            }
        })
        .collect()
}

/// The generator and the words: what a corpus's prose is made of.
struct Prose<'a> {
    rng: Rng,
    vocabulary: &'a Vocabulary,
}

impl Prose<'_> {
    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.vocabulary.pick(&mut self.rng)).collect();
        let first = s[0].to_owned();
        let mut chars = first.chars();
        let capital: String = chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
        s[0] = &capital;
        format!("{}.", s.join(" "))
    }

    fn paragraph(&mut self) -> String {
        let count = 3 + self.below(3);
        (0..count)
            .map(|_| {
                let words = 12 + self.below(14);
                self.sentence(words)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const TOPICS: &[&str] =
    &["data-sharing", "continuity-of-care", "mental-health", "substance-misuse", "workforce"];

/// How long a synthetic page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// About 90 words an item, like the agreements' priorities.
    Short,
    /// 600 to 1,000 words an item, with headings, lists, a table and links
    /// to other pages: documentation-length pages.
    Docs,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Short => "short items",
            Shape::Docs => "docs-length pages",
        }
    }
}

/// An item's body in `shape`: one paragraph, or a page of documentation
/// length that links to two other items (`links` gives their `@/` paths).
fn body(prose: &mut Prose, shape: Shape, links: [String; 2]) -> String {
    if shape == Shape::Short {
        return prose.paragraph();
    }
    let mut text = String::new();
    let words = |text: &str| text.split_whitespace().count();
    let target = 600 + prose.below(400);
    let mut part = 0;
    while words(&text) < target {
        let _ = write!(
            text,
            "{}\n\n#### {}\n\n{}\n\n",
            prose.paragraph(),
            prose.sentence(4).trim_end_matches('.'),
            prose.paragraph()
        );
        match part % 3 {
            0 => {
                for _ in 0..4 {
                    let _ = writeln!(text, "- {}", prose.sentence(8));
                }
                text.push('\n');
            }
            1 => {
                text.push_str("| Measure | Baseline | Target |\n| --- | ---: | ---: |\n");
                for _ in 0..4 {
                    let _ = writeln!(
                        text,
                        "| {} | {} | {} |",
                        prose.sentence(3).trim_end_matches('.'),
                        prose.below(100),
                        prose.below(100)
                    );
                }
                text.push('\n');
            }
            _ => {
                let _ = write!(
                    text,
                    "See [this related priority]({}) and [another]({}).\n\n",
                    links[0], links[1]
                );
            }
        }
        part += 1;
    }
    text
}

/// Writes a synthetic site: `agreements` agreements of `items` priorities each
/// (plus sections, signatories, scrutiny, figures), and `updates` quarterly updates per agreement.
pub fn corpus(
    out: &Path,
    shape: Shape,
    agreements: usize,
    items: usize,
    updates: usize,
    seed: u64,
    vocabulary: &Vocabulary,
) -> std::io::Result<()> {
    let mut prose = Prose { rng: Rng(seed.max(1)), vocabulary };
    let w = |rel: &str, text: &str| write_file(out, rel, text);
    w("accord.toml", "# MADE UP: a synthetic benchmark corpus written by the benchmark (`cargo bench --bench sites`).\ntitle = \"Synthetic corpus\"\nbase_url = \"https://bench.example/\"\nminify = true\n")?;
    w("content/_index.md", "+++\ntitle = \"Synthetic corpus\"\n+++\nMade-up text for benchmarking.\n")?;
    w("content/organisations.toml", "# MADE UP\n[[organisation]]\nid = \"made-up-health\"\nname = \"Made-up Health\"\n\n[[organisation]]\nid = \"made-up-justice\"\nname = \"Made-up Justice\"\n")?;
    w("content/people.toml", "# MADE UP\n[[person]]\nid = \"made-up-person\"\nname = \"Made-up Person\"\n")?;
    w(
        "content/scrutiny-bodies.toml",
        "# MADE UP\n[[body]]\nid = \"made-up-inspectorate\"\nname = \"Made-up Inspectorate\"\n",
    )?;
    let mut topics = String::from("# MADE UP\n");
    for t in TOPICS {
        let _ = write!(
            topics,
            "[[topic]]\nid = \"{t}\"\ntitle = \"{t}\"\ndescription = \"{}\"\n\n",
            prose.sentence(20)
        );
    }
    w("content/topics.toml", &topics)?;
    let mut figures = String::from("# MADE UP\n");
    for a in 0..agreements {
        let slug = format!("synthetic-{a:04}");
        w(&format!("content/agreements/{slug}/agreement.toml"), &format!(
            "# MADE UP\ntitle = \"Made-up agreement {a}\"\nshort_title = \"Synthetic {a}\"\nperiod = {{ start = 2026, end = 2029 }}\npartners = [\"made-up-health\", \"made-up-justice\"]\n\n[[signatories]]\nperson = \"made-up-person\"\nname = \"Made-up Person\"\nrole = \"Made-up role\"\n"
        ))?;
        w(&format!("content/agreements/{slug}/scrutiny.toml"), &format!(
            "[[description]]\nbody = \"made-up-inspectorate\"\nheading = \"Made-up Inspectorate\"\ntext = \"{}\"\n", prose.sentence(30)
        ))?;
        for (i, title) in ["Purpose", "How we work together", "Who scrutinises what we do"].iter().enumerate()
        {
            let extra = if i == 2 { "scrutiny = true\n" } else { "" };
            w(
                &format!("content/agreements/{slug}/sections/0{i}-s{i}.md"),
                &format!(
                    "+++\ntitle = \"{title}\"\n{extra}+++\n{}\n\n### Detail\n\n{}\n",
                    prose.paragraph(),
                    prose.paragraph()
                ),
            )?;
        }
        w(
            &format!("content/agreements/{slug}/sections/03-priorities.md"),
            "+++\ntitle = \"Our priorities\"\nitems = \"priority\"\n+++\nMade-up introduction.\n",
        )?;
        for n in 1..=items {
            let topic = TOPICS[prose.below(TOPICS.len())];
            let related = if a > 0 && n == 1 {
                format!("related = [\"@/agreements/synthetic-{:04}/priorities/1\"]\n", a - 1)
            } else {
                String::new()
            };
            let links = [
                format!("@/agreements/{slug}/priorities/{}", n % items + 1),
                format!("@/agreements/synthetic-{:04}/priorities/{n}", (a + 1) % agreements),
            ];
            let text = body(&mut prose, shape, links);
            w(
                &format!("content/agreements/{slug}/items/priority-{n}.md"),
                &format!(
                    "+++\nkind = \"priority\"\nnumber = {n}\ntopics = [\"{topic}\"]\n{related}+++\n{text}\n"
                ),
            )?;
        }
        let _ = write!(figures, "[[figure]]\nid = \"figure-{a}\"\nlabel = \"Made-up figure {a}\"\nunit = \"percent\"\nkind = \"series\"\nsource = \"{slug}\"\nsentence = \"Made up.\"\n[[figure.value]]\nperiod = \"2026\"\nvalue = {}\n[[figure.value]]\nperiod = \"2027\"\nvalue = {}\n\n", prose.below(100), prose.below(100));
        for q in 0..updates {
            let mut update = format!(
                "# MADE UP\nagreement = \"{slug}\"\nperiod = \"{}-Q{}\"\npublished = 2027-01-01\n",
                2026 + q / 4,
                q % 4 + 1
            );
            for n in 1..=items.min(5) {
                let _ = write!(update, "\n[[status]]\nitem = \"@/agreements/{slug}/priorities/{n}\"\nstatus = \"on-track\"\nnarrative = \"{}\"\n", prose.sentence(15));
            }
            w(&format!("content/updates/{slug}-{q}.toml"), &update)?;
        }
    }
    w("content/figures.toml", &figures)
}

/// The same pages as a Hugo site: one Markdown file per page and minimal layouts.
pub fn hugo_site(corpus_root: &Path, out: &Path) -> std::io::Result<usize> {
    let w = |rel: &str, text: &str| write_file(out, rel, text);
    w("hugo.toml", "baseURL = \"https://bench.example/\"\ntitle = \"Synthetic corpus\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n[markup.goldmark.renderer]\nunsafe = true\n")?;
    w("layouts/_default/baseof.html", "<!DOCTYPE html><html lang=\"en-GB\"><head><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>")?;
    w("layouts/_default/single.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}")?;
    w("layouts/_default/list.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}")?;
    w("layouts/index.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ end }}")?;
    let mut pages = 0;
    let agreements = corpus_root.join("content/agreements");
    for entry in std::fs::read_dir(&agreements)?.flatten() {
        let slug = entry.file_name().to_string_lossy().into_owned();
        let mut body = String::new();
        for s in std::fs::read_dir(entry.path().join("sections"))?.flatten() {
            body.push_str(&after_front_matter(&std::fs::read_to_string(s.path())?));
        }
        w(&format!("content/agreements/{slug}/_index.md"), &format!("---\ntitle: \"{slug}\"\n---\n{body}"))?;
        pages += 1;
        for item in std::fs::read_dir(entry.path().join("items"))?.flatten() {
            let stem = item.path().file_stem().unwrap_or_default().to_string_lossy().replace("priority-", "");
            let text = after_front_matter(&std::fs::read_to_string(item.path())?);
            w(
                &format!("content/agreements/{slug}/priorities/{stem}.md"),
                &format!("---\ntitle: \"Priority {stem}\"\n---\n{text}"),
            )?;
            pages += 1;
        }
    }
    Ok(pages)
}

pub fn write_file(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap_or(root))?;
    std::fs::write(path, text)
}

fn after_front_matter(text: &str) -> String {
    text.splitn(3, "+++").nth(2).unwrap_or(text).to_owned()
}
