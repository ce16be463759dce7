//! The progress line of `call --paginate` on stderr: `1,200 / 5,000 devices`, drawn by indicatif.
//!
//! It is a line of its own at the bottom of the terminal: drawn again after every page (so it
//! never lags behind the items), taken away before any other message is written to stderr and
//! drawn again after it, and taken away for good when the walk ends, however it ends (`Drop`).
//! Whoever creates one checks that nothing else writes to that terminal meanwhile (see
//! `paginate::walk_pages`): a line drawn where stdout's text also goes would be torn by it, or
//! tear it. It is text only: no bar, no spinner.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use console::Term;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle, TermLike};

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A line that is never drawn.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// A line drawn on stderr, which the caller has made sure is a terminal of its own.
    pub fn on_stderr() -> Progress {
        // No rate limit: each page's count is drawn when its items are in. A term-like target
        // draws on every update, and pages come seldom enough.
        let target = ProgressDrawTarget::term_like(Box::new(Row::stderr()));
        let bar = ProgressBar::with_draw_target(None, target)
            .with_style(ProgressStyle::with_template("{msg}").expect("the template is valid"))
            // Dropped (an error, a closed pipe): the line goes, as at the end of the walk.
            .with_finish(ProgressFinish::AndClear);
        Progress { bar }
    }

    /// Says `text` now.
    pub fn show(&self, text: String) {
        self.bar.set_message(text);
    }

    /// Runs `f`, which writes to stderr, with the line taken away meanwhile.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Takes the line away for good, leaving the cursor at the start of the empty row.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// stderr as indicatif draws on it, with the line always drawn over a row erased first (`ESC [2K`,
/// console's `clear_line`), and without the spaces indicatif pads it with up to the terminal's
/// width.
///
/// indicatif erases the row before every draw but the first (or the first after a message), which
/// it starts wherever the cursor is; and as every draw erases the row, the padding changes nothing
/// on the screen, while on a terminal narrower than the width indicatif was told (one resized, or
/// one whose width cannot be read) it wraps onto a row of its own.
#[derive(Debug)]
struct Row {
    term: Term,
    /// Whether the row has been erased since the line was last drawn.
    erased: AtomicBool,
}

impl Row {
    fn stderr() -> Row {
        Row {
            term: Term::stderr(),
            erased: AtomicBool::new(false),
        }
    }
}

impl TermLike for Row {
    fn width(&self) -> u16 {
        self.term.size().1
    }

    fn height(&self) -> u16 {
        self.term.size().0
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.term.move_cursor_up(n)
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.term.move_cursor_down(n)
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.term.move_cursor_right(n)
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.term.move_cursor_left(n)
    }

    fn write_line(&self, s: &str) -> io::Result<()> {
        self.term.write_line(s)
    }

    fn write_str(&self, s: &str) -> io::Result<()> {
        if s.is_empty() || s.bytes().all(|b| b == b' ') {
            return Ok(());
        }
        if !self.erased.swap(false, Ordering::Relaxed) {
            self.term.clear_line()?;
        }
        self.term.write_str(s)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.erased.store(true, Ordering::Relaxed);
        self.term.clear_line()
    }

    fn flush(&self) -> io::Result<()> {
        self.term.flush()
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
