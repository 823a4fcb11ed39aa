//! Integration tests: build real content and fixture sites into temporary
//! folders and assert on the files that come out. One test binary, so it
//! links once.

mod browser;
mod check;
mod cite;
mod common;
mod crossref;
mod errors;
mod figures;
mod fixture_site;
mod fuzz;
mod paragraphs;
mod parties;
mod progress;
mod quality;
mod real_content;
mod safety;
mod search;
mod serve;
mod swap;
mod truth;
mod urls;
mod versions;
