//! Static SVG charts for figures: drawn at build time, readable without
//! JavaScript, coloured by the site's CSS (so they follow its palette) and
//! labelled with their values, so they print legibly in greyscale. Each has
//! a text alternative saying what it shows.

use crate::markdown::escape_html as escape;
use crate::model::{Figure, FigureKind};

/// The drawing is 360 units wide, so that on a phone 390 pixels wide, where
/// the chart fills the column, a unit is about a pixel and its text is the
/// size of the body text (16px); the page caps its width on wider screens.
const WIDTH: f64 = 360.0;
/// Text size, in the drawing's units.
const TEXT: f64 = 16.0;
/// Characters a label line holds: labels wrap rather than run off the edge.
const LINE_CHARS: usize = 36;

/// The chart for a figure: bars for a comparison, a line for a series, none for a single value.
pub fn chart(f: &Figure) -> Option<String> {
    match f.kind {
        FigureKind::Comparison => Some(bars(f)),
        FigureKind::Series => Some(line(f)),
        FigureKind::Single => None,
    }
}

/// The text alternative: every value with its label.
pub fn alt_text(f: &Figure) -> String {
    let kind = match f.kind {
        FigureKind::Comparison => "Bar chart",
        FigureKind::Series => "Line chart",
        FigureKind::Single => "Figure",
    };
    let values: Vec<String> = f.values.iter().map(|v| format!("{}: {}", v.label, v.display)).collect();
    format!("{kind} of {}. {}.", f.label.to_lowercase(), values.join("; "))
}

fn open(f: &Figure, height: f64) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        escape(&f.label),
        escape(&alt_text(f))
    )
}

/// `text` in lines of at most [`LINE_CHARS`] characters, broken between words.
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LINE_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// A horizontal bar for each value, its label above it (wrapped, never cut)
/// and its value at its end.
fn bars(f: &Figure) -> String {
    let line_h = TEXT * 1.25;
    let bar_h = 22.0;
    // The longest value shown after a bar, in characters of the text size.
    let value_w =
        f.values.iter().map(|v| v.display.chars().count()).max().unwrap_or(0) as f64 * TEXT * 0.72 + 14.0;
    let max = f.values.iter().map(|v| v.value).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let mut body = String::new();
    let mut y = 4.0;
    for v in &f.values {
        for line in wrap(&v.label) {
            y += line_h;
            body.push_str(&format!(
                "<text class=\"chart-label\" x=\"0\" y=\"{y:.0}\">{}</text>",
                escape(&line)
            ));
        }
        y += 6.0;
        let len = ((WIDTH - value_w) * v.value / max).max(1.0);
        body.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"0\" y=\"{y:.0}\" width=\"{len:.1}\" height=\"{bar_h:.0}\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            len + 6.0,
            y + bar_h - 5.0,
            escape(&v.display)
        ));
        y += bar_h + 14.0;
    }
    let mut svg = open(f, y);
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

/// A line through each period's value, values above the points and periods below.
fn line(f: &Figure) -> String {
    let height = 240.0;
    let (left, right, top, bottom) = (40.0, 40.0, 36.0, 40.0);
    let max = f.values.iter().map(|v| v.value).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE) * 1.1;
    let n = f.values.len().max(2) as f64;
    let x = |i: usize| left + (WIDTH - left - right) * i as f64 / (n - 1.0);
    let y = |v: f64| top + (height - top - bottom) * (1.0 - v / max);
    let mut svg = open(f, height);
    svg.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"{left}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\"/>",
        height - bottom,
        WIDTH - right,
        height - bottom
    ));
    let points: Vec<String> =
        f.values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v.value))).collect();
    svg.push_str(&format!("<polyline class=\"chart-line\" points=\"{}\"/>", points.join(" ")));
    for (i, v) in f.values.iter().enumerate() {
        svg.push_str(&format!(
            "<circle class=\"chart-point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"6\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text>",
            x(i),
            y(v.value),
            x(i),
            y(v.value) - 14.0,
            escape(&v.display),
            x(i),
            height - bottom + 26.0,
            escape(&v.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}
