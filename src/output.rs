//! One file of the built site: where it goes and its bytes. The stages that
//! make files (render, search) hand these to the one that writes them
//! (write), so the type lives below all three.

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `agreements/irc-2022-2025/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}
