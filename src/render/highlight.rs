//! The style sheet for highlighted code, legible on the theme's code background.

/// Colours for highlighted code, from a light syntect theme, each darkened
/// where it needs to be to reach WCAG's 4.5:1 contrast on the code block's
/// background (the theme's `--panel`, `#f3f2f1`): the theme's own colours
/// fall short for some kinds of token.
pub(super) fn syntax_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::{css_for_theme_with_class_style, ClassStyle};
    let themes = ThemeSet::load_defaults();
    let css = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, ClassStyle::Spaced).ok())
        .unwrap_or_default();
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(at) = rest.find(" color: #") {
        let (before, after) = rest.split_at(at + " color: #".len());
        out.push_str(before);
        let hex = &after[..after.len().min(6)];
        match u32::from_str_radix(hex, 16) {
            Ok(rgb) if hex.len() == 6 => {
                out.push_str(&format!("{:06x}", legible_on(rgb, CODE_BACKGROUND)));
                rest = &after[6..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// The background of a code block, as the theme's style sheet sets it (`--panel`).
const CODE_BACKGROUND: u32 = 0xf3f2f1;

/// `rgb`, darkened step by step until its contrast with `background` is at least 4.5:1.
fn legible_on(rgb: u32, background: u32) -> u32 {
    let channels = |rgb: u32| {
        [(rgb >> 16) as f64 / 255.0, ((rgb >> 8) & 0xff) as f64 / 255.0, (rgb & 0xff) as f64 / 255.0]
    };
    let luminance = |c: [f64; 3]| {
        let lin = |v: f64| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let back = luminance(channels(background));
    let mut c = channels(rgb);
    while (back + 0.05) / (luminance(c) + 0.05) < 4.6 {
        c = c.map(|v| v * 0.9);
    }
    let byte = |v: f64| (v * 255.0).round() as u32;
    (byte(c[0]) << 16) | (byte(c[1]) << 8) | byte(c[2])
}
