//! Who signed, who is party, who scrutinises: people, organisations and
//! scrutiny bodies, each defined once in content and joined to the
//! signatures, responsibilities and descriptions that every agreement prints
//! in its own words.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::{is_slug, DefinedIn, Resolver};
use crate::load::{RawBody, RawOrganisation, RawPerson, RawScrutiny, RawSignatory, SourceFile};
use crate::markdown::{IdSet, ParagraphLinks};
use crate::model::*;
use crate::paths;

/// Organisations as defined, with what each agreement makes them responsible for (checked later).
pub struct OrgDefs {
    pub links: Vec<OrgLink>,
    /// (file, organisation id, agreement, Markdown text).
    responsibilities: Vec<(SourceFile, String, Spanned<String>, Spanned<String>)>,
}

/// Everything parties need from the resolved agreements, gathered into pages.
pub struct Parties {
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub bodies: Vec<ScrutinyBody>,
}

impl Resolver {
    /// A definition's id, checked to be URL-safe and unique among `seen`.
    pub(super) fn claim_id(
        &mut self,
        seen: &mut HashSet<String>,
        file: &SourceFile,
        id: &Spanned<String>,
        what: &str,
    ) -> Option<String> {
        let value = id.get_ref();
        if !is_slug(value) {
            self.diags.push(
                file.error(id.span(), format!("{what} id `{value}` is not a valid id"))
                    .with_help("use lower-case letters, digits and hyphens, e.g. \"nhs-england\""),
            );
            None
        } else if !seen.insert(value.clone()) {
            self.diags.push(
                file.error(id.span(), format!("{what} `{value}` is defined twice"))
                    .with_help("remove one of the two entries"),
            );
            None
        } else {
            Some(value.clone())
        }
    }

    pub(super) fn organisations(&mut self, raw: Vec<(SourceFile, RawOrganisation)>) -> OrgDefs {
        let mut seen = HashSet::new();
        let mut defs = OrgDefs { links: Vec::new(), responsibilities: Vec::new() };
        for (file, org) in raw {
            let Some(id) = self.claim_id(&mut seen, &file, &org.id, "organisation") else { continue };
            let path = paths::organisation(&id);
            self.anchors.insert(path.clone(), self.template_ids.of(paths::PageKind::Organisation));
            for r in org.responsibility {
                defs.responsibilities.push((file.clone(), id.clone(), r.agreement, r.text));
            }
            defs.links.push(OrgLink {
                id,
                name: org.name,
                abbreviation: org.abbreviation,
                url: self.url(&path),
            });
        }
        defs
    }

    pub(super) fn people(&mut self, raw: Vec<(SourceFile, RawPerson)>) -> HashMap<String, PersonLink> {
        let mut seen = HashSet::new();
        let mut out = HashMap::new();
        for (file, person) in raw {
            let Some(id) = self.claim_id(&mut seen, &file, &person.id, "person") else { continue };
            let path = paths::person(&id);
            self.anchors.insert(path.clone(), self.template_ids.of(paths::PageKind::Person));
            out.insert(id.clone(), PersonLink { id, name: person.name, url: self.url(&path) });
        }
        out
    }

    pub(super) fn bodies(&mut self, raw: Vec<(SourceFile, RawBody)>) -> Vec<(BodyLink, Option<String>)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, body) in raw {
            let Some(id) = self.claim_id(&mut seen, &file, &body.id, "scrutiny body") else { continue };
            let path = paths::scrutiny_body(&id);
            self.anchors.insert(path.clone(), self.template_ids.of(paths::PageKind::ScrutinyBody));
            out.push((BodyLink { id, name: body.name, url: self.url(&path) }, body.abbreviation));
        }
        out
    }

    /// Signature lines as printed, with their person and organisation checked.
    pub(super) fn signatories(
        &mut self,
        file: &SourceFile,
        raw: Vec<RawSignatory>,
        people: &HashMap<String, PersonLink>,
        orgs: &[OrgLink],
    ) -> Vec<Signatory> {
        raw.into_iter()
            .map(|s| {
                let person = s.person.as_ref().and_then(|p| match people.get(p.get_ref()) {
                    Some(link) => Some(link.clone()),
                    None => {
                        self.unknown(
                            DefinedIn::List("people.toml"),
                            file.error(p.span(), format!("unknown person `{}`", p.get_ref())).with_help(
                                "add a [[person]] with this id to content/people.toml, or fix the id",
                            ),
                        );
                        None
                    }
                });
                let organisation_link =
                    s.organisation_id.as_ref().and_then(|o| self.known_org(file, o, orgs));
                Signatory {
                    name: s.name,
                    role: s.role,
                    organisation: s.organisation,
                    person,
                    organisation_link,
                }
            })
            .collect()
    }

    /// The agreement's scrutiny descriptions, each naming a known body.
    pub(super) fn scrutiny(
        &mut self,
        raw: Option<(SourceFile, RawScrutiny)>,
        bodies: &[(BodyLink, Option<String>)],
        agreement: &Backlink,
        ids: &mut IdSet,
    ) -> Vec<Scrutiny> {
        let Some((file, raw)) = raw else { return Vec::new() };
        let mut out = Vec::new();
        for d in raw.description {
            let Some(body) = self.known_body(&file, &d.body, bodies) else { continue };
            let anchor = ids.claim(&format!("scrutiny-{}", body.id));
            let from = Backlink {
                title: format!("{} · {}", agreement.title, d.heading),
                url: agreement.url.at(&anchor),
            };
            // Its paragraphs are the agreement's, anchored on its page like a
            // section's; a body's page quotes it without them.
            let page = agreement.url.to_string();
            let links = ParagraphLinks { page: &page, part: &d.heading };
            let rendered = self.markdown_field_in(&file, &d.text, &from, Some(links), ids);
            let quoted = self.render_markdown(d.text.get_ref(), 7, &mut IdSet::default());
            out.push(Scrutiny {
                anchor,
                heading: d.heading,
                html: rendered.html.to_string(),
                quoted_html: quoted.html.to_string(),
                text: rendered.text.to_string(),
                paragraphs: rendered.paragraphs.to_vec(),
                body,
            });
        }
        out
    }

    /// A scrutiny body id, reported (with the known ids) if no `[[body]]` defines it.
    pub(super) fn known_body(
        &mut self,
        file: &SourceFile,
        id: &Spanned<String>,
        bodies: &[(BodyLink, Option<String>)],
    ) -> Option<BodyLink> {
        let found = bodies.iter().find(|(b, _)| &b.id == id.get_ref()).map(|(b, _)| b.clone());
        if found.is_none() {
            let mut known: Vec<&str> = bodies.iter().map(|(b, _)| b.id.as_str()).collect();
            known.sort();
            self.unknown(
                DefinedIn::List("scrutiny-bodies.toml"),
                file.error(id.span(), format!("unknown scrutiny body `{}`", id.get_ref())).with_help(
                    format!("add it to content/scrutiny-bodies.toml or use one of: {}", known.join(", ")),
                ),
            );
        }
        found
    }

    /// People, organisation and scrutiny body pages, from what the agreements say.
    pub(super) fn parties(
        &mut self,
        orgs: OrgDefs,
        people: HashMap<String, PersonLink>,
        bodies: Vec<(BodyLink, Option<String>)>,
        agreements: &[Agreement],
    ) -> Parties {
        let signatures: Vec<Signature> = agreements
            .iter()
            .flat_map(|a| {
                a.signatories
                    .iter()
                    .map(move |s| Signature { agreement: AgreementLink::from(a), signatory: s.clone() })
            })
            .collect();
        let responsibilities = self.responsibilities(orgs.responsibilities, &orgs.links, agreements);
        Parties {
            organisations: organisation_pages(orgs.links, responsibilities, &signatures, agreements),
            people: person_pages(people, &signatures),
            bodies: body_pages(bodies, agreements),
        }
    }

    /// What each agreement makes each organisation responsible for, by
    /// organisation: each checked to be in an agreement that names the
    /// organisation as a partner.
    fn responsibilities(
        &mut self,
        raw: Vec<(SourceFile, String, Spanned<String>, Spanned<String>)>,
        orgs: &[OrgLink],
        agreements: &[Agreement],
    ) -> HashMap<String, Vec<Responsibility>> {
        let mut responsibilities: HashMap<String, Vec<Responsibility>> = HashMap::new();
        for (file, org, agreement, text) in raw {
            match agreements.iter().find(|a| &a.slug == agreement.get_ref()) {
                Some(a) if !a.partners.iter().any(|p| p.id == org) => self.diags.push(
                    file.error(
                        agreement.span(),
                        format!("a responsibility in {} for `{org}`, which that agreement does not name as a partner", a.short_title),
                    )
                    .with_help(format!(
                        "in TOML, a [[organisation.responsibility]] block belongs to the [[organisation]] written \
                         last above it: move this block under the organisation it describes, or add \"{org}\" \
                         to partners in content/agreements/{}/agreement.toml",
                        a.slug
                    )),
                ),
                Some(a) => {
                    let from = orgs
                        .iter()
                        .find(|o| o.id == org)
                        .map(|o| Backlink { title: o.name.clone(), url: o.url.clone() })
                        .unwrap_or_else(|| Backlink { title: org.clone(), url: crate::paths::Link::default() });
                    let rendered = self.markdown_field(&file, 0, &text, &from);
                    responsibilities.entry(org).or_default().push(Responsibility {
                        agreement: AgreementLink::from(a),
                        html: rendered.html.to_string(),
                        text: rendered.text.to_string(),
                    });
                }
                None => self.unknown(
                    DefinedIn::Page(&paths::agreement(agreement.get_ref())),
                    file.error(agreement.span(), format!("no agreement `{}`", agreement.get_ref()))
                        .with_help("use the folder name of an agreement under content/agreements/"),
                ),
            }
        }
        responsibilities
    }
}

/// Each organisation's page: the agreements it is party to or signed, its
/// responsibilities, signatures and governance roles.
fn organisation_pages(
    orgs: Vec<OrgLink>,
    mut responsibilities: HashMap<String, Vec<Responsibility>>,
    signatures: &[Signature],
    agreements: &[Agreement],
) -> Vec<Organisation> {
    orgs.into_iter()
        .map(|o| {
            let signed: Vec<Signature> = signatures
                .iter()
                .filter(|s| s.signatory.organisation_link.as_ref().is_some_and(|l| l.id == o.id))
                .cloned()
                .collect();
            let parties = agreements
                .iter()
                .filter(|a| {
                    a.partners.iter().any(|p| p.id == o.id)
                        || signed.iter().any(|s| s.agreement.slug == a.slug)
                })
                .map(AgreementLink::from)
                .collect();
            let governance = governance_roles(agreements, &o.id);
            Organisation {
                path: paths::organisation(&o.id),
                governance,
                responsibilities: responsibilities.remove(&o.id).unwrap_or_default(),
                agreements: parties,
                signatures: signed,
                id: o.id,
                name: o.name,
                abbreviation: o.abbreviation,
                url: o.url,
            }
        })
        .collect()
}

/// Each person's page, with what they signed, in directory order.
fn person_pages(people: HashMap<String, PersonLink>, signatures: &[Signature]) -> Vec<Person> {
    let mut people: Vec<Person> = people
        .into_values()
        .map(|p| Person {
            path: paths::person(&p.id),
            signatures: signatures
                .iter()
                .filter(|s| s.signatory.person.as_ref().is_some_and(|l| l.id == p.id))
                .cloned()
                .collect(),
            id: p.id,
            name: p.name,
            url: p.url,
        })
        .collect();
    people.sort_by(|a, b| surname(&a.name).cmp(&surname(&b.name)).then(a.name.cmp(&b.name)));
    people
}

/// Each scrutiny body's page: every agreement's description of it, and the
/// items that mention its work.
fn body_pages(bodies: Vec<(BodyLink, Option<String>)>, agreements: &[Agreement]) -> Vec<ScrutinyBody> {
    bodies
        .into_iter()
        .map(|(b, abbreviation)| ScrutinyBody {
            path: paths::scrutiny_body(&b.id),
            descriptions: agreements
                .iter()
                .flat_map(|a| {
                    a.scrutiny.iter().filter(|s| s.body.id == b.id).map(move |s| Description {
                        agreement: AgreementLink::from(a),
                        heading: s.heading.clone(),
                        html: s.quoted_html.clone(),
                        text: s.text.clone(),
                    })
                })
                .collect(),
            mentions: body_mentions(agreements, &b.id),
            id: b.id,
            name: b.name,
            abbreviation,
            url: b.url,
        })
        .collect()
}

/// Where the agreements tie an organisation to a board or group, for its page.
fn governance_roles(agreements: &[Agreement], org: &str) -> Vec<GovernanceRole> {
    let mut out = Vec::new();
    for a in agreements {
        for body in &a.governance {
            for l in body.organisations.iter().filter(|l| l.organisation.id == org) {
                out.push(GovernanceRole {
                    agreement: AgreementLink::from(a),
                    body: body.name.clone(),
                    url: a.url.at(&body.anchor),
                    quote: l.quote.clone(),
                });
            }
        }
    }
    out
}

/// Items that mention a scrutiny body's work without naming it, for its page.
fn body_mentions(agreements: &[Agreement], body: &str) -> Vec<BodyMention> {
    let mut out = Vec::new();
    for a in agreements {
        for item in &a.items {
            for m in item.mentions.iter().filter(|m| m.bodies.iter().any(|b| b.id == body)) {
                out.push(BodyMention {
                    agreement: AgreementLink::from(a),
                    item_label: item.label.clone(),
                    item_url: item.url.clone(),
                    text: m.text.clone(),
                    note: m.note.clone(),
                });
            }
        }
    }
    out
}

/// Lists of people read best by surname, as in a directory.
fn surname(name: &str) -> String {
    name.rsplit(' ').next().unwrap_or(name).to_lowercase()
}
