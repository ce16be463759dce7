//! The line on stderr for a response 4xx or 5xx, and the failure that carries it to its exit code.

use reqwest::StatusCode;

use super::bearer::{Bearer, Token};
use crate::error::Failure;
use crate::http::error_response::{BearerChallenge, error_summary};
use crate::http::exchange::{Exchange, Outcome};
use crate::http::verbose::status_text;
use crate::oauth::scope;

/// The failure for a 4xx or 5xx response, whose start is `body`; `quiet` leaves it unprinted.
pub fn failure(bearer: &Bearer, outcome: &Outcome, body: &[u8], quiet: bool) -> Failure {
    failure_with(bearer.token.as_ref(), outcome, body, quiet)
}

/// The same for a request that carried `token` (for a 403's missing scope).
pub fn failure_with(token: Option<&Token>, outcome: &Outcome, body: &[u8], quiet: bool) -> Failure {
    let exchange = &outcome.exchange;
    let summary = status_summary(
        exchange,
        body,
        token,
        outcome.refreshed,
        outcome.note.clone(),
    );
    if exchange.response.status().is_client_error() {
        Failure::HttpClientError { summary, quiet }
    } else {
        Failure::HttpServerError { summary, quiet }
    }
}

/// The line on stderr for a 4xx or 5xx: what was sent, the status, what the body or the
/// challenge says, and why it was not retried or refreshed.
fn status_summary(
    exchange: &Exchange,
    body: &[u8],
    token: Option<&Token>,
    refreshed: bool,
    note: Option<String>,
) -> String {
    let status = exchange.response.status();
    let challenge = BearerChallenge::from_headers(exchange.response.headers());
    let mut details = Vec::new();
    let mut notes = Vec::new();
    let mut hint = None;
    if matches!(status.as_u16(), 401 | 403)
        && let Some(text) = challenge.as_ref().and_then(BearerChallenge::summary)
    {
        details.push(text);
    }
    if let Some(text) = error_summary(body)
        && !details.contains(&text)
    {
        details.push(text);
    }
    if status == StatusCode::UNAUTHORIZED && refreshed {
        notes.push("a new token was refused too".to_string());
        hint = Some(
            "hint: the API refuses this profile's tokens: check that the client has a role for this API and that the profile's scope names the right tenant",
        );
    }
    if status == StatusCode::FORBIDDEN
        && let Some(challenge) = &challenge
        && challenge.error.as_deref() == Some("insufficient_scope")
    {
        let has = token.and_then(|t| t.scope.as_deref());
        details.push(missing_scope(challenge.scope.as_deref(), has));
        hint = Some(
            "hint: a new token will not help: the client needs that scope granted at the provider, and the profile's scope must ask for it",
        );
    }
    notes.extend(note);
    let mut line = format!("{} answered {}", exchange.what(), status_text(status));
    if !details.is_empty() {
        line.push_str(": ");
        line.push_str(&details.join("; "));
    }
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join("; ")));
    }
    if let Some(hint) = hint {
        line.push('\n');
        line.push_str(hint);
    }
    line
}

/// Which scope a 403 `insufficient_scope` is about: what the challenge asks for, less what the
/// token has.
fn missing_scope(needed: Option<&str>, has: Option<&str>) -> String {
    let has_text = has.map(|h| format!(" (it has `{h}`)")).unwrap_or_default();
    let Some(needed) = needed else {
        return format!("the API did not say which scope the token lacks{has_text}");
    };
    let missing = scope::missing(needed, has.unwrap_or(""));
    let missing = if missing.is_empty() {
        needed.to_string()
    } else {
        missing.join(" ")
    };
    format!("the token lacks the scope `{missing}`{has_text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_scope_is_what_the_challenge_asks_less_what_the_token_has() {
        assert_eq!(
            missing_scope(
                Some("internal_user_mgt_list internal_user_mgt_view"),
                Some("internal_user_mgt_list")
            ),
            "the token lacks the scope `internal_user_mgt_view` (it has `internal_user_mgt_list`)"
        );
        assert_eq!(
            missing_scope(Some("a"), None),
            "the token lacks the scope `a`"
        );
        assert_eq!(
            missing_scope(None, Some("api_access")),
            "the API did not say which scope the token lacks (it has `api_access`)"
        );
    }
}
