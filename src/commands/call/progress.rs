//! The progress line of `call --paginate` and `batch` on stderr: `1,200 / 5,000 devices`.
//!
//! It is a line of its own at the bottom of the terminal: drawn from the start of the row
//! (`\r`, then ECMA-48 "erase in line", `ESC [ 2K`), taken away before any other message is
//! written to stderr and drawn again after it, and taken away for good when the walk ends, however
//! it ends (`Drop`). It is drawn only where nothing else writes to that terminal meanwhile
//! ([`Progress::where_watched`]): a line drawn where stdout's text also goes would be torn by it,
//! or tear it.
//!
//! Why not indicatif, which the project would rather use than code of its own: it was tried again,
//! and it can draw this line (with an adapter of its `TermLike`, as it starts the first draw after
//! a message wherever the cursor is and pads the line with spaces up to the terminal's width), but
//! its rate estimator calls `f64::powf`, which makes every oauthctl binary load `libm.so.6` at
//! start. Loading and relocating that library cost each process about 37,000 instructions, 3.6% of
//! a warm `oauthctl token` (BENCHMARKS.md's first row), whose budget for this change was 2%; and a
//! hidden `ProgressBar`, which every `call` creates, cost another 10,000. This line needs none of
//! that: about fifty lines, no library.
//!
//! The line is shared by threads (the pages of `--parallel`, the requests of `batch`): the loop
//! draws it, and a thread that says something (a retry) takes it away meanwhile, so its state is
//! behind a lock.

use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, MutexGuard};

/// ECMA-48: back to the start of the row, and erase the whole row.
const CLEAR: &str = "\r\x1b[2K";

/// The line may be shared by threads (`batch`'s requests): each message, and each update, takes
/// the line for as long as it writes, so that no two tear each other.
pub struct Progress {
    /// False: nothing is ever drawn.
    on: bool,
    line: Mutex<Line>,
}

struct Line {
    /// What the line says now, drawn or not.
    text: String,
    /// Whether the line is on the screen now.
    drawn: bool,
}

impl Progress {
    /// A line that is never drawn.
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// The line for people watching: drawn when stderr is a terminal, not in logs, not when
    /// `quiet` (`-s`, `-v`), and only where the command's output cannot meet it on the screen
    /// (see `body::Destination::may_reach_terminal`); hidden otherwise.
    pub fn where_watched(output_may_reach_terminal: bool, quiet: bool) -> Progress {
        Progress::new(io::stderr().is_terminal() && !quiet && !output_may_reach_terminal)
    }

    fn new(on: bool) -> Progress {
        Progress {
            on,
            line: Mutex::new(Line {
                text: String::new(),
                drawn: false,
            }),
        }
    }

    /// The line, for one writer at a time. A writer that panicked left nothing half-done that
    /// matters: the worst is a line drawn twice.
    fn lock(&self) -> MutexGuard<'_, Line> {
        self.line.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Says `text` now: every update is drawn, so the line never lags behind the items.
    pub fn show(&self, text: String) {
        if !self.on {
            return;
        }
        let mut line = self.lock();
        line.text = text;
        line.draw();
    }

    /// Runs `f`, which writes to stderr, with the line taken away meanwhile. `f` must not use
    /// this line itself.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        if !self.on {
            return f();
        }
        let mut line = self.lock();
        let was_drawn = line.drawn;
        line.clear();
        let result = f();
        if was_drawn {
            line.draw();
        }
        result
    }

    /// Takes the line away, leaving the cursor at the start of the empty row.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

impl Line {
    fn clear(&mut self) {
        if std::mem::replace(&mut self.drawn, false) {
            let mut err = io::stderr().lock();
            let _ = err.write_all(CLEAR.as_bytes());
            let _ = err.flush();
        }
    }

    fn draw(&mut self) {
        let mut err = io::stderr().lock();
        let _ = write!(err, "{CLEAR}{}", self.text);
        let _ = err.flush();
        self.drawn = true;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `1,200 / 5,000 devices`, or `1,200 devices` without a total.
pub fn count_text(taken: u64, total: Option<u64>, noun: &str) -> String {
    match total {
        Some(total) => format!("{} / {} {noun}", grouped(taken), grouped(total)),
        None => format!("{} {noun}", grouped(taken)),
    }
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count_text(0, None, "items"), "0 items");
        assert_eq!(count_text(999, Some(1000), "events"), "999 / 1,000 events");
        assert_eq!(
            count_text(1_234_567, Some(u64::MAX), "devices"),
            "1,234,567 / 18,446,744,073,709,551,615 devices"
        );
    }
}
