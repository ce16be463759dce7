//! Where a call goes: a path under the profile's `api_base` (RFC 3986 paths) or a URL on an
//! origin the profile allows (RFC 6454 origins), with its query; and whether the token may travel
//! there (over https, or plain http to a loopback host).

use anyhow::{Result, bail};
use reqwest::Method;
use url::{Url, form_urlencoded};

use crate::error::Failure;

/// An HTTP method as typed, in any case. Methods are case-sensitive on the wire and every
/// registered one is upper case, so that is what is sent.
pub fn parse_method(text: &str) -> Result<Method> {
    Method::from_bytes(text.to_ascii_uppercase().as_bytes())
        .map_err(|_| Failure::Usage(format!("`{text}` is not an HTTP method")).into())
}

/// Where a call goes: a path joined to `api_base`, or an absolute URL whose origin is `api_base`'s
/// or one of `allowed`. Any other origin is refused before anything is sent, so that a typo in a
/// URL never hands the profile's token to a stranger.
pub fn resolve_target(
    profile: &str,
    target: &str,
    api_base: Option<&Url>,
    allowed: &[Url],
) -> Result<Url> {
    if !target.starts_with('/') {
        match Url::parse(target) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                check_origin(profile, &url, api_base, allowed)?;
                return Ok(url);
            }
            Ok(_) => {
                return Err(Failure::Usage(format!(
                    "`{target}` is neither a path nor an http(s) URL\nhint: start a path under api_base with /"
                ))
                .into());
            }
            // No scheme: a path without its leading slash.
            Err(_) => {}
        }
    }
    match api_base {
        Some(base) => Ok(join_path(base, target)),
        None => bail!(
            "profile {profile} has no api_base to join `{target}` to\nhint: set api_base in [profiles.{profile}], or give a full URL"
        ),
    }
}

/// `path` (with any query it carries) under `base`, keeping the path prefix `base` has:
/// `https://api.asgardeo.io/t/myorg` + `/scim2/Users` is `https://api.asgardeo.io/t/myorg/scim2/Users`.
/// Only the path and query are set on a copy of `base`, so nothing in `path` (`//host/x`, `..`)
/// can change the host.
pub fn join_path(base: &Url, path: &str) -> Url {
    let path = path.split('#').next().unwrap_or("");
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let prefix = base.path().trim_end_matches('/');
    let joined = if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    };
    let mut url = base.clone();
    url.set_path(&joined);
    url.set_query(query);
    url.set_fragment(None);
    url
}

fn check_origin(profile: &str, url: &Url, api_base: Option<&Url>, allowed: &[Url]) -> Result<()> {
    let origin = url.origin();
    if api_base
        .into_iter()
        .chain(allowed)
        .any(|u| u.origin() == origin)
    {
        return Ok(());
    }
    let mut known: Vec<String> = api_base
        .into_iter()
        .chain(allowed)
        .map(|u| u.origin().ascii_serialization())
        .collect();
    known.dedup();
    let known = if known.is_empty() {
        "the profile allows none".to_string()
    } else {
        format!("the profile allows {}", known.join(", "))
    };
    let shown = origin.ascii_serialization();
    Err(Failure::Usage(format!(
        "refusing to send profile {profile}'s token to {shown}: {known}\nhint: if {shown} is yours, add it to allowed_origins in [profiles.{profile}]"
    ))
    .into())
}

/// Appends the items to the URL's query, after any query it already has. Both halves are
/// percent-encoded, a space as `%20` rather than the form encoding's `+`, which not every API
/// reads as a space (SCIM filters are full of spaces).
pub fn append_query(url: &mut Url, items: &[(String, String)]) {
    if items.is_empty() {
        return;
    }
    let added: Vec<String> = items
        .iter()
        .map(|(n, v)| format!("{}={}", encode_component(n), encode_component(v)))
        .collect();
    let query = match url.query().filter(|q| !q.is_empty()) {
        Some(existing) => format!("{existing}&{}", added.join("&")),
        None => added.join("&"),
    };
    url.set_query(Some(&query));
}

/// The value of the query parameter `name`, decoded; the last one when it is there twice.
pub fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .filter(|(n, _)| n == name)
        .last()
        .map(|(_, v)| v.into_owned())
}

/// Sets the query parameters `items`: any already there of those names go, the rest of the query
/// stays as it was, byte for byte, and the items are appended as [`append_query`] does.
pub fn set_query(url: &mut Url, items: &[(String, String)]) {
    let replaced = |piece: &str| {
        let name = piece.split('=').next().unwrap_or("");
        let name: String = form_urlencoded::parse(name.as_bytes())
            .map(|(n, _)| n.into_owned())
            .collect();
        items.iter().any(|(n, _)| *n == name)
    };
    let kept: Vec<&str> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|piece| !piece.is_empty() && !replaced(piece))
        .collect();
    let kept = kept.join("&");
    url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    append_query(url, items);
}

fn encode_component(text: &str) -> String {
    // byte_serialize writes a literal '+' as %2B, so every '+' it leaves stands for a space.
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `host` or `host:port` when the port is not the scheme's default.
pub fn host_with_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// True for 127.0.0.0/8, ::1 and `localhost`: hosts where plain http never leaves the machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Refuses a URL that the token would reach in the clear: the token goes over https only, or
/// plain http to a loopback host, where it never leaves the machine. Every URL that is to carry
/// the token is checked here: the command's, each page's, each redirect's.
pub fn check_cleartext(profile: &str, url: &Url) -> Result<()> {
    if url.scheme() == "https" || is_loopback(url) {
        return Ok(());
    }
    Err(Failure::Usage(format!(
        "refusing to send profile {profile}'s token to {url}: bearer tokens go over https only (plain http is allowed for loopback hosts)"
    ))
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn paths_join_under_the_base_keeping_its_prefix() {
        let scm = url("https://api.strata.paloaltonetworks.com");
        assert_eq!(
            join_path(&scm, "/config/security/v1/security-rules?folder=Shared").as_str(),
            "https://api.strata.paloaltonetworks.com/config/security/v1/security-rules?folder=Shared"
        );
        for base in [
            "https://api.asgardeo.io/t/myorg",
            "https://api.asgardeo.io/t/myorg/",
        ] {
            for path in ["/scim2/Users", "scim2/Users"] {
                assert_eq!(
                    join_path(&url(base), path).as_str(),
                    "https://api.asgardeo.io/t/myorg/scim2/Users",
                    "{base} + {path}"
                );
            }
        }
    }

    #[test]
    fn a_path_cannot_change_the_host() {
        let base = url("https://api.example.com/t/org");
        let joined = join_path(&base, "//evil.example/x");
        assert_eq!(joined.host_str(), Some("api.example.com"));
        let joined = join_path(&base, "/../../x#frag");
        assert_eq!(joined.host_str(), Some("api.example.com"));
        assert_eq!(joined.fragment(), None);
    }

    #[test]
    fn absolute_urls_need_an_allowed_origin() {
        let base = url("https://api.strata.paloaltonetworks.com");
        let allowed = [url("https://accounts.example.com")];
        let ok = |t: &str| resolve_target("p", t, Some(&base), &allowed);
        assert!(ok("https://api.strata.paloaltonetworks.com/x").is_ok());
        assert!(ok("https://api.strata.paloaltonetworks.com:443/x").is_ok());
        assert!(ok("https://accounts.example.com/v1/x").is_ok());
        for foreign in [
            "https://api.strata.paloaltonetworks.com.evil.example/x",
            "http://api.strata.paloaltonetworks.com/x",
            "https://api.strata.paloaltonetworks.com:8443/x",
            "https://accounts.example.com.evil/x",
        ] {
            let err = ok(foreign).unwrap_err();
            assert!(
                matches!(err.downcast_ref::<Failure>(), Some(Failure::Usage(_))),
                "{foreign}"
            );
            assert!(err.to_string().starts_with("refusing to send"), "{err}");
        }
        let err = ok("ftp://api.strata.paloaltonetworks.com/x").unwrap_err();
        assert!(err.to_string().contains("neither a path nor"), "{err}");
        let err = resolve_target("p", "/x", None, &[]).unwrap_err();
        assert!(err.to_string().contains("has no api_base"), "{err}");
    }

    #[test]
    fn set_query_replaces_parameters_and_keeps_the_rest_as_it_was() {
        let mut u =
            url("https://api.example.com/x?filter=userName%20sw%20ki&offset=5&limit=2&offset=9");
        assert_eq!(query_value(&u, "offset").as_deref(), Some("9"));
        assert_eq!(query_value(&u, "filter").as_deref(), Some("userName sw ki"));
        assert_eq!(query_value(&u, "count"), None);
        let items = [("offset".to_string(), "200".to_string())];
        set_query(&mut u, &items);
        assert_eq!(
            u.query(),
            Some("filter=userName%20sw%20ki&limit=2&offset=200")
        );
        let mut u = url("https://api.example.com/x?offset=1");
        set_query(&mut u, &items);
        assert_eq!(u.query(), Some("offset=200"));
    }

    #[test]
    fn methods_in_any_case() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method("Patch").unwrap(), Method::PATCH);
        assert_eq!(parse_method("propfind").unwrap().as_str(), "PROPFIND");
        assert!(parse_method("GE T").is_err());
    }
}
