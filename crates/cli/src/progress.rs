//! A progress bar on stderr that appears only for runs longer than a second.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts documents; draws on stderr once the run has lasted a second, never on stdout, and
/// never when stderr is not a terminal or `--quiet` was given.
pub(crate) struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    visible: bool,
}

const DELAY: Duration = Duration::from_secs(1);

impl Progress {
    /// A hidden counter that may show itself later.
    pub(crate) fn new(quiet: bool, message: &'static str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg}: {human_pos} documents, {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message(message);
        Progress {
            bar,
            started: Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            visible: false,
        }
    }

    /// Counts `n` more documents.
    pub(crate) fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if self.enabled && !self.visible && self.started.elapsed() >= DELAY {
            self.visible = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Prints a message above the bar (or plainly when it is hidden).
    pub(crate) fn println(&self, line: &str) {
        if self.visible {
            self.bar.suspend(|| eprintln!("{line}"));
        } else {
            eprintln!("{line}");
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
