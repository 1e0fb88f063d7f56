//! A progress bar on stderr: only when stderr is a terminal, and only once
//! a run has lasted about a second.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Draws `label [####    ] 45% done/total` on one stderr line.
pub struct Progress {
    label: String,
    total: u64,
    started: Instant,
    enabled: bool,
    drawn: bool,
    last: Option<Instant>,
}

impl Progress {
    /// A bar counting to `total` units.
    pub fn new(label: &str, total: u64) -> Self {
        Progress {
            label: label.to_owned(),
            total: total.max(1),
            started: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            drawn: false,
            last: None,
        }
    }

    /// The same bar never drawn (an embedding program's stderr is its own).
    pub fn hidden(mut self) -> Self {
        self.enabled = false;
        self
    }

    /// Shows `done` units once the run has lasted a second (at most 10 redraws a second).
    pub fn update(&mut self, done: u64) {
        if !self.enabled || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        if self.last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        self.last = Some(Instant::now());
        let done = done.min(self.total);
        let width = 30u64;
        let filled = (done * width / self.total) as usize;
        let bar: String = "#".repeat(filled) + &" ".repeat(width as usize - filled);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{bar}] {:>3}% {done}/{} simulated minutes ({:.1} s)",
            self.label,
            done * 100 / self.total,
            self.total,
            self.started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
        self.drawn = true;
    }

    /// Clears the bar if one was drawn.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}
