//! The resolved site to files: every page through its Tera template, then
//! minified; plus the theme's static files and highlighting CSS.
//!
//! In: a [`Site`](crate::model::Site) and a [`Theme`]. Out: a [`Plan`] of
//! every file, whose pages render on every core and are handed over one by
//! one as each is ready (the build writes them into its staging folder,
//! never straight into the output folder), then the files made without a
//! page template.
//!
//! `plan` queues the pages and the other files; `pages` renders the queued
//! pages; `views` shapes the model into what lists and pages show; `minify`
//! and `highlight` finish pages and style code. The outputs that are not
//! pages have modules of their own: feeds, open data, citations, Akoma Ntoso.

mod akn;
mod charts;
pub mod cite;
pub mod data;
mod feeds;
mod glossary;
pub mod headers;
mod highlight;
mod minify;
mod pages;
mod plan;
pub mod theme;
mod views;

pub use pages::PageTimes;
pub use plan::{plan_site, NonPageFiles, Plan, Rendered, StreamedFile, WriteInto};
pub use theme::{compile as compile_theme, Theme};

pub use crate::output::OutputFile;
