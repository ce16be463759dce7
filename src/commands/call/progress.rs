//! The progress line of `call --paginate` on stderr: `1,200 / 5,000 devices`.
//!
//! It is a line of its own at the bottom of the terminal: drawn from the start of the row
//! (`\r`, then ECMA-48 "erase in line", `ESC [ 2K`), taken away before any other message is
//! written to stderr and drawn again after it, and taken away for good when the walk ends, however
//! it ends (`Drop`). Whoever creates one checks that nothing else writes to that terminal
//! meanwhile (see `paginate::walk_pages`): a line drawn where stdout's text also goes would be torn
//! by it, or tear it.
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
//! The line is shared by the threads of `--parallel`: the page loop draws it, and a thread that
//! says something (a retry) takes it away meanwhile, so its state is behind a lock.

use std::io::{self, Write};
use std::sync::{Mutex, MutexGuard};

/// ECMA-48: back to the start of the row, and erase the whole row.
const CLEAR: &str = "\r\x1b[2K";

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

    /// A line drawn on stderr, which the caller has made sure is a terminal of its own.
    pub fn on_stderr() -> Progress {
        Progress::new(true)
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

    fn lock(&self) -> MutexGuard<'_, Line> {
        // A thread that panicked while drawing left a line that is at worst out of date.
        self.line
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Says `text` now: every update is drawn, so the line never lags behind the items.
    pub fn show(&self, text: String) {
        if !self.on {
            return;
        }
        let mut line = self.lock();
        line.text = text;
        draw(&mut line);
    }

    /// Runs `f`, which writes to stderr, with the line taken away meanwhile. Other threads' lines
    /// wait for it, so that two messages never tear each other either.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        let mut line = self.lock();
        let was_drawn = line.drawn;
        clear(&mut line);
        let result = f();
        if was_drawn {
            draw(&mut line);
        }
        result
    }

    /// Takes the line away, leaving the cursor at the start of the empty row.
    pub fn clear(&self) {
        clear(&mut self.lock());
    }
}

fn clear(line: &mut Line) {
    if std::mem::replace(&mut line.drawn, false) {
        let mut err = io::stderr().lock();
        let _ = err.write_all(CLEAR.as_bytes());
        let _ = err.flush();
    }
}

fn draw(line: &mut Line) {
    let mut err = io::stderr().lock();
    let _ = write!(err, "{CLEAR}{}", line.text);
    let _ = err.flush();
    line.drawn = true;
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
