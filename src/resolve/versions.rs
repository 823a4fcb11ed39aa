//! What keeps published URLs alive: aliases (old URLs that now redirect),
//! withdrawals (URLs taken down on purpose, explained), and the lineage of
//! agreements (what replaced what), so a reader always learns where to go.

use toml::Spanned;

use super::Resolver;
use crate::load::{RawRecord, RawWithdrawn, SourceFile};
use crate::model::*;

impl Resolver {
    /// Checks `aliases = [...]` entries and records a redirect for each.
    pub(super) fn aliases(
        &mut self,
        file: &SourceFile,
        offset: usize,
        aliases: &[Spanned<String>],
        to: &str,
        title: &str,
    ) {
        for alias in aliases {
            match site_path(alias.get_ref()) {
                Some(from) => self.redirects.push(Redirect { from, to: to.to_owned(), title: title.to_owned() }),
                None => self.diags.push(
                    file.error(offset + alias.span().start..offset + alias.span().end, format!("`{}` is not a URL path of this site", alias.get_ref()))
                        .with_help("write the old URL's path, starting with / (e.g. \"/agreements/irc-2022-2025/priorities/11/\")"),
                ),
            }
        }
    }

    pub(super) fn withdrawn(&mut self, raw: Vec<(SourceFile, RawWithdrawn)>) -> Vec<Withdrawn> {
        let mut out = Vec::new();
        for (file, w) in raw {
            let Some(path) = site_path(w.url.get_ref()) else {
                self.diags.push(
                    file.error(w.url.span(), format!("`{}` is not a URL path of this site", w.url.get_ref()))
                        .with_help("write the withdrawn URL's path, starting with /"),
                );
                continue;
            };
            let see_also =
                w.see_also.as_ref().and_then(|s| match crate::paths::from_reference(s.get_ref()) {
                    Some(t) if self.anchors.contains_key(&t) => {
                        Some(Backlink { title: t.clone(), url: self.url(&t) })
                    }
                    _ => {
                        self.diags.push(
                            file.error(s.span(), format!("`{}` is not a page of this site", s.get_ref()))
                                .with_help("write see_also as an @/ path to a page that exists"),
                        );
                        None
                    }
                });
            out.push(Withdrawn {
                path,
                title: w.title,
                date: w.date.to_string(),
                reason: w.reason,
                see_also,
            });
        }
        out
    }

    pub(super) fn records(
        &mut self,
        raw: Vec<(SourceFile, RawRecord)>,
        agreements: &[Agreement],
    ) -> Vec<Record> {
        raw.into_iter()
            .map(|(file, r)| Record {
                superseded_by: r
                    .superseded_by
                    .as_ref()
                    .and_then(|s| self.agreement_link(&file, s, agreements)),
                title: r.title,
                period: Period { start: r.period.start, end: r.period.end },
                status: r.status,
                source: r.source,
            })
            .collect()
    }

    /// An agreement named by folder name, or an error at that name.
    pub(super) fn agreement_link(
        &mut self,
        file: &SourceFile,
        slug: &Spanned<String>,
        agreements: &[Agreement],
    ) -> Option<AgreementLink> {
        match agreements.iter().find(|a| &a.slug == slug.get_ref()) {
            Some(a) => Some(AgreementLink::from(a)),
            None => {
                self.unknown(
                    super::DefinedIn::Page(&crate::paths::agreement(slug.get_ref())),
                    file.error(slug.span(), format!("no agreement `{}`", slug.get_ref()))
                        .with_help("use the folder name of an agreement under content/agreements/"),
                );
                None
            }
        }
    }
}

/// `/a/b` or `/a/b/` → `/a/b/`; `/x.html` stays; anything else is not a path of this site.
fn site_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.contains("..")
        && !raw.contains('#')
        && !raw.contains('?')
        && !raw.contains("//")
        && raw.chars().all(|c| c.is_ascii_graphic());
    if !ok {
        return None;
    }
    if raw.ends_with('/') || raw.ends_with(".html") {
        Some(raw.to_owned())
    } else {
        Some(format!("{raw}/"))
    }
}
