//! Exit codes, the few failures whose exit code is not 1, and how an error reaches stderr.
//!
//! The work returns `anyhow::Error`; [`exit`] prints it once, as `oauthctl: <message>: <cause>`
//! with the chain's `hint:` lines last, and asks [`exit_code`] for the code, which looks for a
//! [`Failure`] anywhere in the chain. A command that ends without an error but with a code other
//! than 0 (`token --check`'s "no", `doctor`'s failed checks, `exec`'s child's code, `batch`'s
//! worst answer) returns an [`Exit`] instead, as fd and ripgrep do: such an end is an answer, not
//! a failure. The codes are public interface (README, `oauthctl man`).

use std::process::ExitCode;

/// Documented, stable exit codes.
pub mod code {
    pub const OK: u8 = 0;
    /// Any failure without a code of its own: network, files, configuration.
    pub const FAILURE: u8 = 1;
    /// The command line was wrong (clap's code).
    pub const USAGE: u8 = 2;
    /// The token endpoint refused the request (its 400 or 401), a sign-in was needed and could not
    /// be done, or `call` could not get a token.
    pub const TOKEN_REFUSED: u8 = 3;
    /// `call`: the API answered 4xx (the body still went to stdout); `batch`: one answer was.
    pub const HTTP_CLIENT_ERROR: u8 = 4;
    /// `call`: the API answered 5xx (the body still went to stdout); `batch`: one answer was.
    pub const HTTP_SERVER_ERROR: u8 = 5;
    /// `exec`: the command was found but cannot be executed, as shells exit for it.
    pub const CANNOT_EXECUTE: u8 = 126;
    /// `exec`: the command was not found, as shells exit for it.
    pub const NOT_FOUND: u8 = 127;
}

/// Every exit code with what it means, for `oauthctl man` (the README's "Exit codes" says the
/// same in more words).
pub const EXIT_CODES: &[(&str, &str)] = &[
    (
        "0",
        "success; for call, a response 1xx-3xx; for batch, every response 1xx-3xx",
    ),
    (
        "1",
        "any other failure: network, files, configuration, a token endpoint answering 5xx or something that is not a token response; token --check: a fetch would be needed; doctor: a check failed; batch: a bad line, a request without a response, or a body over 16 MiB left out (and no 3, 4 or 5)",
    ),
    (
        "2",
        "usage: the command line was wrong (a --set naming a key the profile cannot have, or a value of the wrong type; for call also a malformed -q, -H, -f or -F, a --jq expression that does not parse or names an unknown filter, an unknown -w variable, or a URL on an origin the profile does not allow)",
    ),
    (
        "3",
        "the token endpoint refused the request (its 400 or 401: bad client id or secret, bad scope, a refused refresh token); a person must sign in and cannot here (no terminal: run oauthctl login), or the sign-in timed out or was refused, or a device sign-in was denied or its code expired; for call and batch, no token could be had, whatever the reason",
    ),
    (
        "4",
        "call: the API answered 4xx (the body is on stdout); batch: a response was 4xx, and none 5xx",
    ),
    (
        "5",
        "call: the API answered 5xx (the body is on stdout); batch: a response was 5xx",
    ),
    (
        "126, 127",
        "exec: the command cannot be executed, or is not found, as in a shell; otherwise exec exits with its command's code (128 + the signal when a signal ended it)",
    ),
];

/// How a command that did its work ends: with 0, or with a code that says "no" without an error
/// message (`token --check`, `doctor`, `exec`'s child).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub u8);

impl Exit {
    pub const SUCCESS: Exit = Exit(code::OK);
}

/// A failure that has its own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The token endpoint answered 400 or 401: bad client id or secret, wrong scope, and so on;
    /// or a device sign-in was denied or its code expired.
    #[error("{0}")]
    TokenRefused(String),
    /// The token endpoint answered 400 `invalid_grant`: the password, code or refresh token it
    /// was given is no longer good (RFC 6749 §5.2).
    #[error("{0}")]
    GrantRefused(String),
    /// A person must sign in, and cannot here (no terminal), or the sign-in did not complete
    /// (timed out, refused in the browser).
    #[error("{0}")]
    SignIn(String),
    /// `call` found no token to send: the token endpoint, the secret or the network failed. The
    /// source says which; the exit code says "no token" whatever it was.
    #[error("no access token for profile {profile}")]
    NoToken {
        profile: String,
        #[source]
        source: anyhow::Error,
    },
    /// Something wrong on the command line that clap cannot see: a malformed `-H` or `-q` item, a
    /// URL whose origin the profile does not allow.
    #[error("{0}")]
    Usage(String),
    /// The API answered 4xx. `quiet` (`call -s`) means the summary is not printed.
    #[error("{summary}")]
    HttpClientError { summary: String, quiet: bool },
    /// The API answered 5xx. `quiet` (`call -s`) means the summary is not printed.
    #[error("{summary}")]
    HttpServerError { summary: String, quiet: bool },
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::TokenRefused(_)
            | Failure::GrantRefused(_)
            | Failure::SignIn(_)
            | Failure::NoToken { .. } => code::TOKEN_REFUSED,
            Failure::Usage(_) => code::USAGE,
            Failure::HttpClientError { .. } => code::HTTP_CLIENT_ERROR,
            Failure::HttpServerError { .. } => code::HTTP_SERVER_ERROR,
        }
    }
}

/// The end of the program: the command's own exit code, or its error printed on stderr (unless
/// it is a closed stdout or a status `call -s` keeps quiet) and the code for it.
pub fn exit(result: anyhow::Result<Exit>) -> ExitCode {
    match result {
        Ok(Exit(code)) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(code::OK),
        Err(err) if is_quiet(&err) => ExitCode::from(exit_code(&err)),
        Err(err) => {
            eprintln!("{}", render_error(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// The exit code for an error: the first [`Failure`] in its chain decides, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map(Failure::exit_code)
        .unwrap_or(code::FAILURE)
}

/// True when the error asks not to be printed: an HTTP status under `call -s`, where the exit code
/// says it all, as with curl's `-s`.
fn is_quiet(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<Failure>(),
            Some(
                Failure::HttpClientError { quiet: true, .. }
                    | Failure::HttpServerError { quiet: true, .. }
            )
        )
    })
}

/// True when the error is a closed stdout (`oauthctl ... | head`), which is not worth a message.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `oauthctl: <message>: <cause>: ...`, then every `hint:` line of the chain at the end, as cargo
/// does.
pub fn render_error(err: &anyhow::Error) -> String {
    render(err, "oauthctl: ", "")
}

/// A problem that does not stop the command, as [`render_error`] shows an error:
/// `oauthctl: warning: <message>; <what oauthctl does instead>`, then the hints.
pub fn render_warning(err: &anyhow::Error, instead: &str) -> String {
    render(err, "oauthctl: warning: ", &format!("; {instead}"))
}

/// `<head><messages><tail>`, then the chain's `hint:` lines, one per line.
fn render(err: &anyhow::Error, head: &str, tail: &str) -> String {
    let (message, hints) = message_and_hints(err);
    let mut out = format!("{head}{message}{tail}");
    for hint in hints {
        out.push('\n');
        out.push_str(&hint);
    }
    out
}

/// The chain's messages joined with `: ` (each once), and its `hint:` lines.
fn message_and_hints(err: &anyhow::Error) -> (String, Vec<String>) {
    let mut messages = Vec::new();
    let mut hints = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let mut main = Vec::new();
        for line in text.lines() {
            if line.starts_with("hint:") {
                hints.push(line.to_string());
            } else {
                main.push(line);
            }
        }
        let main = main.join("\n");
        if !main.is_empty() && !messages.contains(&main) {
            messages.push(main);
        }
    }
    (messages.join(": "), hints)
}

/// Whitespace collapsed, cut at `max` characters. The text is the server's and goes to a terminal:
/// a control character (an escape sequence would recolour or rewrite the screen) is shown as �.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}
