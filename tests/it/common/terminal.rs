//! oauthctl on a real terminal: a pseudo-terminal (`script` from util-linux) that is both stdout
//! and stderr, and what a person at that terminal would see on it.

// util-linux's script(1): the tests that use it run on Linux only.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use super::*;

/// Runs `args` (oauthctl's arguments, then shell redirections such as `> FILE` or `| head -n 2`)
/// in a pseudo-terminal that is both stdout and stderr, with the test's environment. Returns the
/// exit code and every byte written to the terminal.
pub fn on_terminal(env: &TestEnv, args: &[&str], shell_tail: &str) -> (i32, Vec<u8>) {
    let mut line = shell_quote(oauthctl_bin().to_str().unwrap());
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    line.push(' ');
    line.push_str(shell_tail);
    let out = env
        .wrapped("script")
        .args(["-qfec", &line, "/dev/null"])
        .env("SCM_SECRET", SECRET)
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) from util-linux runs");
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// What a terminal shows after receiving `bytes`: each row's text, trailing blanks and blank rows
/// at the end left out. It knows what oauthctl and a progress line use: characters overwrite,
/// `\r` goes to the start of the row, `\n` down a row, `ESC [ K` clears (`2K` the whole row),
/// and other escape sequences (colours) change no text.
pub fn screen(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut rows: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if rows.len() <= row {
                    rows.push(Vec::new());
                }
            }
            '\x1b' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                while let Some(&p) = chars.peek() {
                    if p.is_ascii_digit() || p == ';' || p == '?' {
                        params.push(p);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let line = &mut rows[row];
                match (chars.next(), params.as_str()) {
                    (Some('K'), "2") => line.clear(),
                    (Some('K'), "" | "0") => line.truncate(col),
                    (Some('K'), "1") => {
                        for cell in line.iter_mut().take(col + 1) {
                            *cell = ' ';
                        }
                    }
                    (Some('A'), n) => row = row.saturating_sub(n.parse().unwrap_or(1)),
                    _ => {}
                }
            }
            c => {
                let line = &mut rows[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    let mut shown: Vec<String> = rows
        .iter()
        .map(|r| r.iter().collect::<String>().trim_end().to_string())
        .collect();
    while shown.last().is_some_and(|r| r.is_empty()) {
        shown.pop();
    }
    shown
}
