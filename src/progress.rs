//! What a long build shows while it runs.
//!
//! A build of a few thousand pages runs for seconds; on a terminal an editor
//! should see what it is doing and how far it has got, as `cargo` shows its
//! crates, rather than silence until the summary. Nothing is drawn until the
//! work has run for a second, so a quick build stays a summary line, and
//! nothing at all when standard error is not a terminal (a log, CI), where
//! only the summary belongs. The bars are gone before the summary prints.
//!
//! A stage is an `indicatif` bar: counting it from any thread is an atomic
//! add, and a hidden one (every bar, when nothing is drawn) costs no more.

use std::io::IsTerminal as _;
use std::sync::mpsc;
use std::time::Duration;

pub use indicatif::ProgressBar;
use indicatif::{MultiProgress, ProgressDrawTarget, ProgressStyle};

/// How long work runs before it shows its progress, unless
/// `ACCORD_PROGRESS_DELAY_MS` says otherwise (the tests show it at once).
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The progress of one build, rebuild or check: the stages it is in.
pub struct Progress {
    bars: Option<MultiProgress>,
    /// Dropped when the work is done, which stops the timer that would show the bars.
    done: Option<mpsc::Sender<()>>,
}

impl Progress {
    /// Shows nothing (for tests and library callers).
    pub fn hidden() -> Progress {
        Progress { bars: None, done: None }
    }

    /// [`Progress::on_terminal`] if `shown`, else [`Progress::hidden`].
    pub fn new(shown: bool) -> Progress {
        if shown {
            Progress::on_terminal()
        } else {
            Progress::hidden()
        }
    }

    /// Shows the stages on standard error if it is a terminal, once a second has passed.
    pub fn on_terminal() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let (done, stopped) = mpsc::channel::<()>();
        let shown = bars.clone();
        let after = std::env::var("ACCORD_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(SHOW_AFTER, Duration::from_millis);
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(after) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
            }
        });
        Progress { bars: Some(bars), done: Some(done) }
    }

    /// A stage of `total` steps, counted with [`ProgressBar::inc`]; a total
    /// of 0 means not yet known ([`ProgressBar::set_length`] gives it later).
    pub fn stage(&self, what: &'static str, total: usize) -> ProgressBar {
        let Some(bars) = &self.bars else { return ProgressBar::hidden() };
        let bar = bars.add(ProgressBar::new(total as u64));
        bar.set_style(
            ProgressStyle::with_template("{prefix:>28.bold} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(what);
        // Drawn on a timer too, so a stage that counts rarely (a shard is
        // seconds of work) shows from the moment the bars appear.
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A stage whose length is not known, counting what it has done: `what`
    /// is shown with the count and `unit` (e.g. "files").
    pub fn counter(&self, what: &'static str, unit: &'static str) -> ProgressBar {
        let Some(bars) = &self.bars else { return ProgressBar::hidden() };
        let bar = bars.add(ProgressBar::no_length());
        let template = format!("{{prefix:>28.bold}} {{spinner}} {{pos}} {unit}");
        bar.set_style(
            ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(what);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A stage with no count, shown with its time so far.
    pub fn working(&self, what: &'static str) -> ProgressBar {
        let Some(bars) = &self.bars else { return ProgressBar::hidden() };
        let bar = bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>28.bold} {spinner} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(what);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }
}

impl Drop for Progress {
    /// Stops the timer and clears the bars, leaving the terminal for the summary.
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(bars) = &self.bars {
            let _ = bars.clear();
        }
    }
}
