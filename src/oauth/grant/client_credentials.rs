//! The client credentials grant (RFC 6749 §4.4): the client asks for a token for itself, and
//! proves itself with its client authentication alone.

pub(super) fn fields() -> Vec<(&'static str, &'static str)> {
    vec![("grant_type", "client_credentials")]
}
