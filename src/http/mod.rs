//! HTTP for the token request and for `call`: building clients ([`client`]), where a call may go
//! and whether the token may travel there ([`target`]), the `-q` and `-H` items ([`items`]), when
//! to send again ([`retry`]), how fast requests may go and the pause a 429 puts on all of them
//! ([`rate`]), one request as the user sees it with retries, a new token after a
//! 401, redirects and a body sent again ([`exchange`], [`payload`]), what an error response says
//! ([`error_response`]), a request that got no response ([`no_response`]), and `-v`
//! ([`verbose`]).
//!
//! Nothing here knows a profile file or a token cache: the command around an exchange gives its
//! token and gets a refused one back through [`exchange::Caller`].

pub mod client;
pub mod error_response;
pub mod exchange;
pub mod items;
pub mod no_response;
pub mod payload;
pub mod rate;
pub mod retry;
pub mod target;
pub mod verbose;

// What fuzz/ feeds, by the names its targets use.
pub use error_response::{BearerChallenge, error_summary, parse_bearer_challenge};
pub use items::{HeaderItem, apply_header_items, parse_header_item, parse_query_item};
pub use retry::{MAX_WAIT, Retry, RetryPolicy, parse_retry_after};
pub use target::{append_query, query_value, resolve_target, set_query};
