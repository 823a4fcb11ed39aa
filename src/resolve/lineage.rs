//! What keeps published URLs alive: aliases (old URLs that now redirect),
//! withdrawals (URLs taken down on purpose, explained), and the lineage of
//! agreements (what replaced what), so a reader always learns where to go.

use toml::Spanned;

use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::load::{AsAt, RawRecord, RawWithdrawn, SourceFile};
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

    /// Earlier agreements, each with what directly replaced it: an
    /// agreement on this site or another record, so a lineage reads as the
    /// chain it is.
    pub(super) fn records(
        &mut self,
        raw: Vec<(SourceFile, RawRecord)>,
        agreements: &[Agreement],
        as_at: &AsAt,
    ) -> Vec<EarlierAgreement> {
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<Option<String>> = raw
            .iter()
            .map(|(file, r)| r.id.as_ref().and_then(|id| self.claim_id(&mut seen, file, id, "record")))
            .collect();
        let successors: Vec<Option<Successor>> = raw
            .iter()
            .map(|(file, r)| {
                let named = r.superseded_by.as_ref()?;
                let by_record =
                    raw.iter().zip(&ids).find(|(_, id)| id.as_deref() == Some(named.get_ref().as_str()));
                match by_record {
                    Some(((_, record), Some(id))) => Some(Successor {
                        title: record.title.clone(),
                        short_title: record.title.clone(),
                        url: None,
                        id: id.clone(),
                    }),
                    _ => self.successor(file, named, agreements),
                }
            })
            .collect();
        raw.into_iter()
            .zip(ids)
            .zip(successors)
            .map(|(((file, r), id), superseded_by)| {
                if r.status.is_some() {
                    self.warnings.push(
                        Diagnostic::file(&file.path, format!("`status` of “{}” is no longer read", r.title))
                            .with_help("whether an agreement is current is worked out from its period and superseded_by; remove the status line")
                            .warning(),
                    );
                }
                let period = Period { start: r.period.start, end: r.period.end };
                EarlierAgreement {
                    currency: currency(period, superseded_by.as_ref(), None, as_at),
                    id,
                    superseded_by,
                    title: r.title,
                    period,
                    source: r.source,
                }
            })
            .collect()
    }

    /// An agreement named by folder name as what replaced another, or an error at that name.
    pub(super) fn successor(
        &mut self,
        file: &SourceFile,
        slug: &Spanned<String>,
        agreements: &[Agreement],
    ) -> Option<Successor> {
        match agreements.iter().find(|a| &a.slug == slug.get_ref()) {
            Some(a) => Some(Successor {
                title: a.title.clone(),
                short_title: a.short_title.clone(),
                url: Some(a.url.clone()),
                id: a.slug.clone(),
            }),
            None => {
                self.unknown(
                    super::DefinedIn::Page(&crate::paths::agreement(slug.get_ref())),
                    file.error(slug.span(), format!("no agreement or record `{}`", slug.get_ref())).with_help(
                        "use the folder name of an agreement under content/agreements/, or the id of a [[record]] in content/records.toml",
                    ),
                );
                None
            }
        }
    }
}

/// What the site says of an agreement's currency as at `as_at`: its period
/// has not begun, is running, has ended (and whether anything is recorded
/// as having replaced it), or was extended, with the source that says so.
/// Periods are whole years, so a period is running until its last year ends.
/// Said once, in words a reader needs no help with: what the agreement
/// covers, then what the site knows of what came after.
pub fn currency(
    period: Period,
    successor: Option<&Successor>,
    extension: Option<&Extension>,
    as_at: &AsAt,
) -> Currency {
    let span = format!("{} to {}", period.start, period.end);
    let when = format!("(as at {})", as_at.long());
    let year = as_at.year();
    let no_later = format!("No later agreement is recorded on this site {when}.");
    // (state, label, what it covers, what follows, the same without the period)
    let (state, label, covers, then, detail) = match (successor, extension) {
        (Some(next), _) => (
            "superseded",
            "Superseded".to_owned(),
            format!("covered {span}"),
            format!("It was replaced by {}.", next.title),
            format!("Replaced by {}.", next.title),
        ),
        (None, Some(ext)) if year <= ext.end => (
            "extended",
            format!("Extended to {}", ext.end),
            format!("covered {span} and was extended to {} ({})", ext.end, ext.source),
            format!("The extension runs {when}."),
            format!("Extended to {} ({}); the extension runs {when}.", ext.end, ext.source),
        ),
        (None, Some(ext)) => (
            "ended",
            "Period ended".to_owned(),
            format!("covered {span} and was extended to {} ({})", ext.end, ext.source),
            no_later.clone(),
            format!("Extended to {} ({}), now ended. {no_later}", ext.end, ext.source),
        ),
        (None, None) if year > period.end => (
            "ended",
            "Period ended".to_owned(),
            format!("covered {span}"),
            no_later.clone(),
            format!("Its period has ended. {no_later}"),
        ),
        (None, None) if year < period.start => (
            "not-started",
            "Not yet begun".to_owned(),
            format!("covers {span}"),
            format!("Its period has not yet begun {when}."),
            format!("Its period has not yet begun {when}."),
        ),
        (None, None) => (
            "current",
            "Within its period".to_owned(),
            format!("covers {span}"),
            format!("Its period is running {when}."),
            format!("Its period is running {when}."),
        ),
    };
    let sentence = format!("This agreement {covers}. {then}");
    Currency { state, label, sentence, covers, then, detail, extension: extension.cloned() }
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

/// The records that led to the agreement `slug`, oldest first: the record
/// it replaced, the one that record replaced, and so on.
pub fn lineage(records: &[EarlierAgreement], slug: &str) -> Vec<EarlierAgreement> {
    let mut chain = Vec::new();
    let mut next = slug.to_owned();
    while let Some(before) = records.iter().find(|r| {
        r.superseded_by.as_ref().is_some_and(|s| s.id == next)
            && !chain.iter().any(|c: &EarlierAgreement| c.title == r.title)
    }) {
        chain.push(before.clone());
        match &before.id {
            Some(id) => next = id.clone(),
            None => break,
        }
    }
    // Any others replaced directly by the agreement (two records may name it).
    for r in records.iter().filter(|r| r.superseded_by.as_ref().is_some_and(|s| s.id == slug)) {
        if !chain.iter().any(|c| c.title == r.title) {
            chain.push(r.clone());
        }
    }
    chain.sort_by_key(|r| (r.period.start, r.period.end));
    chain
}
