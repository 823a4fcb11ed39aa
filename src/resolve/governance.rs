//! Who oversees an agreement besides the scrutiny bodies it describes: the
//! boards and groups it names (`governance.toml`), and the places where its
//! items mention inspection or audit without naming who does it
//! (`[[mention]]` in `scrutiny.toml`).
//!
//! Both are editors' data about the agreement's text, so every name and
//! quote in them is checked against that text: data that drifts from the
//! document it describes fails the build with the file and line.

use toml::Spanned;

use super::Resolver;
use crate::load::{RawGovernance, RawMention, SourceFile};
use crate::markdown::IdSet;
use crate::model::*;

/// Where a governance body can sit, as the agreements describe their structures.
const LEVELS: &[&str] = &["national", "regional", "local", "establishment", "organisation"];

/// An agreement's plain text, place by place, for checking quotes against.
struct AgreementText {
    places: Vec<(SectionLink, String)>,
}

impl AgreementText {
    fn new(sections: &[Section], items: &[Item]) -> AgreementText {
        let mut places: Vec<(SectionLink, String)> = Vec::new();
        for s in sections {
            places.push((SectionLink { id: s.id.clone(), title: s.title.clone() }, normalise(&s.text)));
            for item in items.iter().filter(|i| i.section_id == s.id) {
                places.push((
                    SectionLink { id: item.anchor.clone(), title: item.label.clone() },
                    item_text(item),
                ));
            }
        }
        AgreementText { places }
    }

    /// The first place whose text holds `quote` (spacing aside).
    fn find(&self, quote: &str) -> Option<&SectionLink> {
        let quote = normalise(quote);
        self.places.iter().find(|(_, text)| text.contains(&quote)).map(|(place, _)| place)
    }
}

/// An item's words and its measures' words, normalised.
fn item_text(item: &Item) -> String {
    let all: Vec<&str> =
        std::iter::once(&*item.text).chain(item.measures.iter().map(|m| m.text.as_str())).collect();
    normalise(&all.join(" "))
}

/// Runs of white space as one space, so line breaks in TOML strings do not matter.
pub(super) fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Resolver {
    /// Reports `quote` if the agreement's text does not hold it; returns where it is.
    fn check_quote<'t>(
        &mut self,
        file: &SourceFile,
        quote: &Spanned<String>,
        text: &'t AgreementText,
        what: &str,
    ) -> Option<&'t SectionLink> {
        let found = text.find(quote.get_ref());
        if found.is_none() {
            self.diags.push(
                file.error(
                    quote.span(),
                    format!("{what} “{}” is not in the agreement's text", quote.get_ref()),
                )
                .with_help(
                    "copy the words exactly as the agreement prints them (emphasis aside); \
                         check spelling and punctuation against the source document",
                ),
            );
        }
        found
    }

    /// The boards and groups an agreement names, each checked against its text.
    pub(super) fn governance(
        &mut self,
        raw: Option<(SourceFile, RawGovernance)>,
        (sections, items): (&[Section], &[Item]),
        orgs: &[OrgLink],
        ids: &mut IdSet,
    ) -> Vec<GovernanceBody> {
        let Some((file, raw)) = raw else { return Vec::new() };
        // Only an agreement with a governance.toml has quotes to look for.
        let text = &AgreementText::new(sections, items);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for body in raw.body {
            let Some(id) = self.claim_id(&mut seen, &file, &body.id, "governance body") else { continue };
            let section = self.check_quote(&file, &body.name, text, "the name").cloned();
            for name in &body.also {
                self.check_quote(&file, name, text, "the name");
            }
            if let Some(role) = &body.role {
                self.check_quote(&file, role, text, "the role");
            }
            if !LEVELS.contains(&body.level.get_ref().as_str()) {
                self.diags.push(
                    file.error(body.level.span(), format!("unknown level `{}`", body.level.get_ref()))
                        .with_help(format!("use one of: {}", LEVELS.join(", "))),
                );
            }
            let organisations = body
                .organisation
                .iter()
                .filter_map(|link| {
                    self.check_quote(&file, &link.quote, text, "the quote")?;
                    let org = self.known_org(&file, &link.id, orgs)?;
                    Some(GovernanceLink { organisation: org, quote: link.quote.get_ref().clone() })
                })
                .collect();
            out.push(GovernanceBody {
                anchor: ids.claim(&crate::paths::governance_anchor(&id)),
                id,
                name: body.name.into_inner(),
                also: body.also.into_iter().map(Spanned::into_inner).collect(),
                level: body.level.into_inner(),
                role: body.role.map(Spanned::into_inner),
                section,
                organisations,
            });
        }
        out
    }

    /// Mentions of scrutiny in an agreement's items, attached to those items.
    pub(super) fn mentions(
        &mut self,
        file: &SourceFile,
        raw: Vec<RawMention>,
        items: &mut [Item],
        bodies: &[(BodyLink, Option<String>)],
    ) {
        for m in raw {
            let path = crate::paths::from_reference(m.item.get_ref());
            let Some(item) = items.iter_mut().find(|i| Some(&i.path) == path.as_ref()) else {
                self.diags.push(
                    file.error(m.item.span(), format!("no item `{}` in this agreement", m.item.get_ref()))
                        .with_help(
                        "write @/agreements/{agreement}/{kinds}/{number} for one of this agreement's items",
                    ),
                );
                continue;
            };
            if !item_text(item).contains(&normalise(m.text.get_ref())) {
                self.diags.push(
                    file.error(m.text.span(), format!("“{}” is not in {}", m.text.get_ref(), item.label))
                        .with_help("copy the words exactly as the item prints them"),
                );
                continue;
            }
            let linked = m.bodies.iter().filter_map(|b| self.known_body(file, b, bodies)).collect();
            item.mentions.push(Mention { text: m.text.into_inner(), bodies: linked, note: m.note });
        }
    }

    /// An organisation id, reported if no `[[organisation]]` defines it.
    pub(super) fn known_org(
        &mut self,
        file: &SourceFile,
        id: &Spanned<String>,
        orgs: &[OrgLink],
    ) -> Option<OrgLink> {
        let found = orgs.iter().find(|o| &o.id == id.get_ref()).cloned();
        if found.is_none() {
            self.unknown(
                super::DefinedIn::List("organisations.toml"),
                file.error(id.span(), format!("unknown organisation `{}`", id.get_ref())).with_help(
                    "add an [[organisation]] with this id to content/organisations.toml, or fix the id",
                ),
            );
        }
        found
    }
}
