//! Scopes: space-separated lists (RFC 6749 §3.3), and which of the scopes asked for a token lacks.

/// The scopes of a space-separated `scope`. A scope that ends in `:` takes the word after it:
/// SCM's token service writes the granted TSG as `tsg_id: 0123456789` (the IoT Security page),
/// the same grant as the `tsg_id:0123456789` asked for.
pub fn scopes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let mut scope = word.to_string();
        if scope.ends_with(':')
            && let Some(value) = words.next()
        {
            scope.push_str(value);
        }
        out.push(scope);
    }
    out
}

/// The scopes of `wanted` that `granted` does not hold, in `wanted`'s order: what a token response
/// left out of the request's scope, or what a 403 `insufficient_scope` asks for beyond the
/// token's.
pub fn missing(wanted: &str, granted: &str) -> Vec<String> {
    let granted = scopes(granted);
    scopes(wanted)
        .into_iter()
        .filter(|s| !granted.contains(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_after_a_colon_is_the_same_scope() {
        assert_eq!(
            scopes("profile tsg_id: 0123456789 email"),
            ["profile", "tsg_id:0123456789", "email"]
        );
        assert_eq!(scopes("tsg_id:1  a:"), ["tsg_id:1", "a:"]);
        assert_eq!(scopes(""), Vec::<String>::new());
    }

    #[test]
    fn missing_is_what_was_wanted_less_what_was_granted() {
        assert_eq!(missing("a b tsg_id:1", "b tsg_id: 1"), ["a"]);
        assert_eq!(missing("a", ""), ["a"]);
        assert_eq!(missing("", "a"), Vec::<String>::new());
    }
}
