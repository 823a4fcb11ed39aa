//! Static SVG charts for figures: drawn at build time, readable without
//! JavaScript, coloured by the site's CSS (so they follow its palette) and
//! labelled with their values, so they print legibly in greyscale. Each has
//! a text alternative saying what it shows.

use crate::model::{Figure, FigureKind};

const WIDTH: f64 = 640.0;

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
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        escape(&f.label),
        escape(&alt_text(f))
    )
}

fn bars(f: &Figure) -> String {
    let row = 44.0;
    let label_w = 220.0;
    let max = f.values.iter().map(|v| v.value).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let height = row * f.values.len() as f64 + 10.0;
    let mut svg = open(f, height);
    for (i, v) in f.values.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let len = (WIDTH - label_w - 110.0) * v.value / max;
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar\" x=\"{label_w}\" y=\"{:.0}\" width=\"{len:.1}\" height=\"{:.0}\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            label_w - 10.0,
            y + row / 2.0 + 5.0,
            escape(&v.label),
            y + 6.0,
            row - 14.0,
            label_w + len + 8.0,
            y + row / 2.0 + 5.0,
            escape(&v.display)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn line(f: &Figure) -> String {
    let height = 300.0;
    let (left, right, top, bottom) = (60.0, 60.0, 40.0, 50.0);
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
            height - bottom + 28.0,
            escape(&v.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
