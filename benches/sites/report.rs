//! The benchmark's latest results as tables in the benchmark document.
//!
//! Figures written by hand into prose go stale the day after and cannot be
//! told from those of another machine. So the benchmark writes its own
//! results, between two marker lines of `docs/benchmark.md`, as tables that
//! say when and on what machine they were measured, with which versions of
//! each tool, and give each ratio as the median of the rounds' own ratios
//! with their range (accord and the others ran in the same rounds).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

pub const START: &str = "<!-- bench-results:start -->";
pub const END: &str = "<!-- bench-results:end -->";

/// What the tables are measured with, for their heading.
pub struct Setting {
    pub accord: String,
    pub hugo: Option<String>,
    pub pagefind: Option<String>,
    pub runs: usize,
    /// Where the builds wrote, if not the system's temporary folder.
    pub outputs_in: Option<String>,
}

/// Replaces what is between the markers in `doc` with tables of `rows` (the
/// rows of `results.json`). A document without the markers is left alone,
/// and said so.
pub fn write(doc: &Path, setting: &Setting, rows: &[Value]) -> std::io::Result<()> {
    let text = std::fs::read_to_string(doc)?;
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        return Err(std::io::Error::other(format!("{} has no {START} … {END} lines", doc.display())));
    };
    let tables = tables(setting, rows);
    let updated = format!("{}{START}\n{tables}{}", &text[..start], &text[end..]);
    std::fs::write(doc, updated)
}

fn tables(setting: &Setting, rows: &[Value]) -> String {
    let mut out = String::new();
    let versions = [Some(setting.accord.clone()), setting.hugo.clone(), setting.pagefind.clone()];
    let versions: Vec<String> = versions.into_iter().flatten().collect();
    let written = setting
        .outputs_in
        .as_ref()
        .map_or("the system's temporary folder".to_owned(), |dir| format!("`{dir}`"));
    out += &format!(
        "\nMeasured {} on {}, with {}; medians of {} interleaved rounds after 2 warm-up rounds; builds written into {written}.\n\n",
        today(),
        machine(),
        versions.join(", "),
        setting.runs
    );
    out += "### Full builds\n\n";
    out += "Ratios are accord's time over the other's, the median of the rounds' ratios (lowest to highest). \
        Beside each time, the CPU time the process spent itself and in the kernel (on every core, so it can exceed the time): \
        a time well above both over the cores is time spent waiting, most often for the disk.\n\n";
    out += "| site | pages | output folder | accord | accord's CPU (itself + kernel) | accord's peak memory | Hugo | Hugo's CPU | accord / Hugo | Hugo + Pagefind | its CPU | accord / (Hugo + Pagefind) |\n";
    out += "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for row in rows {
        for (key, what) in [("with_output_kept", "kept"), ("from_nothing", "from nothing")] {
            let race = &row[key];
            out += &format!(
                "| {} | {} | {what} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                row["site"].as_str().unwrap_or("?"),
                thousands(row["pages"].as_f64().unwrap_or(f64::NAN)),
                seconds(race["accord"]["ms_median"].as_f64()),
                cpu(&race["accord"]),
                megabytes(max(&race["accord"]["peak_memory_mb"])),
                seconds(race["hugo"]["ms_median"].as_f64()),
                cpu(&race["hugo"]),
                ratio(&race["ratio_to_hugo_by_round"]),
                seconds(race["hugo_plus_pagefind"]["ms_median"].as_f64()),
                cpu(&race["hugo_plus_pagefind"]),
                ratio(&race["ratio_to_hugo_plus_pagefind_by_round"]),
            );
        }
    }
    out += "\n### What each build writes\n\n";
    out += "| site | tool | bytes | files | largest file |\n| --- | --- | ---: | ---: | ---: |\n";
    for row in rows {
        for (key, tool) in [("accord", "accord"), ("hugo", "Hugo"), ("hugo_plus_pagefind", "Hugo + Pagefind")]
        {
            let output = &row["output"][key];
            if output.is_null() {
                continue;
            }
            out += &format!(
                "| {} | {tool} | {} | {} | {} |\n",
                row["site"].as_str().unwrap_or("?"),
                megabytes(output["bytes"].as_f64().map(|b| b / 1e6)),
                thousands(output["files"].as_f64().unwrap_or(f64::NAN)),
                megabytes(output["largest_bytes"].as_f64().map(|b| b / 1e6)),
            );
        }
    }
    out += "\n### A saved edit under `accord serve`, and a first search\n\n";
    out += "| site | edit | to the reload | rest of the pages | search index | site data | first query |\n";
    out += "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
    for row in rows {
        for (key, edit) in
            [("sentence_appended", "a sentence at the end"), ("first_sentence", "the first sentence")]
        {
            let i = &row["incremental"][key];
            if i.is_null() {
                continue;
            }
            let query = &row["search_first_query"];
            let first = query["accord"]["kb"].as_f64().map_or("–".to_owned(), |kb| {
                let cli = query["pagefind_cli_api"]["kb"].as_f64();
                let against =
                    cli.map_or(String::new(), |c| format!(" ({:.2}× Pagefind CLI's index)", kb / c));
                format!("{kb:.0} KB{against}")
            });
            out += &format!(
                "| {} | {edit} | {} | {} | {} | {} | {first} |\n",
                row["site"].as_str().unwrap_or("?"),
                milliseconds(i["rebuild_ms_median"].as_f64()),
                milliseconds(i["rest_pages_ms_median"].as_f64()),
                milliseconds(i["search_refresh_ms_median"].as_f64()),
                milliseconds(i["data_refresh_ms_median"].as_f64()),
            );
        }
    }
    out
}

/// "0.53 (0.50–0.58)" from the rounds' ratios.
fn ratio(by_round: &Value) -> String {
    let Some(ratios) = by_round.as_array() else { return "–".to_owned() };
    let mut ratios: Vec<f64> = ratios.iter().filter_map(Value::as_f64).filter(|r| r.is_finite()).collect();
    if ratios.is_empty() {
        return "–".to_owned();
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    format!("{median:.2} ({:.2}–{:.2})", ratios[0], ratios[ratios.len() - 1])
}

/// "19.6 + 4.3 s": a contender's median CPU time in itself and in the kernel.
fn cpu(side: &Value) -> String {
    match (side["user_ms_median"].as_f64(), side["system_ms_median"].as_f64()) {
        (Some(user), Some(system)) if user.is_finite() && system.is_finite() => {
            format!("{:.2} + {:.2} s", user / 1000.0, system / 1000.0)
        }
        _ => "–".to_owned(),
    }
}

fn max(values: &Value) -> Option<f64> {
    values.as_array()?.iter().filter_map(Value::as_f64).filter(|v| v.is_finite()).reduce(f64::max)
}

fn seconds(ms: Option<f64>) -> String {
    ms.filter(|ms| ms.is_finite()).map_or("–".to_owned(), |ms| format!("{:.2} s", ms / 1000.0))
}

fn milliseconds(ms: Option<f64>) -> String {
    ms.filter(|ms| ms.is_finite()).map_or("–".to_owned(), |ms| format!("{ms:.0} ms"))
}

fn megabytes(mb: Option<f64>) -> String {
    mb.filter(|mb| mb.is_finite()).map_or("–".to_owned(), |mb| format!("{mb:.1} MB"))
}

fn thousands(n: f64) -> String {
    if !n.is_finite() {
        return "–".to_owned();
    }
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The day of the run (UTC), as the system's `date` gives it.
fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "(date unknown)".to_owned())
}

/// "2 cores (AMD EPYC …), 24 GB of memory, Linux 6.1": what the machine is, as the system says.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|m| format!(" ({})", m.trim()))
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| format!(", {:.0} GB of memory", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|r| format!(", Linux {}", r.trim()))
        .unwrap_or_default();
    format!("{cores} cores{model}{memory}{kernel}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ratios_are_the_median_and_range_of_the_rounds() {
        assert_eq!(super::ratio(&serde_json::json!([0.6, 0.5, 0.7])), "0.60 (0.50–0.70)");
        assert_eq!(super::ratio(&serde_json::Value::Null), "–");
        assert_eq!(super::thousands(10494.0), "10,494");
    }
}
