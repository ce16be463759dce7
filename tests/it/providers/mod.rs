//! Each provider's preset on the wire, one file per provider: the vendor's real host name
//! (through a local TLS front and `OAUTHCTL_RESOLVE`), path, auth header, content type and body,
//! its success response and its documented error (docs/providers.md §3–§5). Strata Cloud
//! Manager's (§1, §2) is the profile of the `token`, `call` and `paginate` tests.

mod asgardeo;
mod identity;
mod saas_security;
mod sap_btp;

use crate::common::tls::{Pki, TlsFront};
use crate::common::*;
use httpmock::prelude::*;

/// A TLS front for `host`, relaying to a fresh httpmock server, and the CA file to trust it.
struct Vendor {
    server: MockServer,
    front: TlsFront,
    host: &'static str,
    pki: Pki,
}

impl Vendor {
    fn new(host: &'static str, require_client_cert: bool) -> Vendor {
        let server = MockServer::start();
        let pki = Pki::new();
        let cert = pki.issue(&[host], false);
        let front = TlsFront::start(&pki, &cert, require_client_cert, server.port());
        Vendor {
            server,
            front,
            host,
            pki,
        }
    }

    /// Writes the CA beside the profile file; profiles name it as `ca_file = "ca.pem"`.
    fn trust(&self, env: &TestEnv) {
        std::fs::write(env.dir.path().join("ca.pem"), &self.pki.ca_pem).unwrap();
    }

    fn cmd(&self, env: &TestEnv) -> assert_cmd::Command {
        self.trust(env);
        let mut cmd = env.cmd();
        cmd.env("OAUTHCTL_RESOLVE", self.front.resolve(self.host));
        cmd
    }
}

#[test]
fn client_cert_and_key_files_work_for_any_provider() {
    let vendor = Vendor::new("auth.example.com", true);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/token")
            .header_missing("authorization")
            .body("grant_type=client_credentials&client_id=svc");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let client = vendor.pki.issue(&["svc"], true);
    let env = TestEnv::new(
        "[profiles.m]\ntoken_url = \"https://auth.example.com/token\"\nclient_id = \"svc\"\nclient_auth = \"tls_client_auth\"\nclient_cert = \"client.pem\"\nclient_key = \"client.key\"\nca_file = \"ca.pem\"\n",
    );
    std::fs::write(env.dir.path().join("client.pem"), &client.cert_pem).unwrap();
    std::fs::write(env.dir.path().join("client.key"), &client.key_pem).unwrap();
    vendor
        .cmd(&env)
        .arg("token")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
}

// ---- Plain http and TLS in one command ----

/// TLS is set up only when a request goes to an https URL, so a plain-http loopback API uses a
/// client without root certificates; a redirect from it to an https host must still be followed
/// over verified TLS, trusting the profile's ca_file.
#[test]
fn an_http_api_redirecting_to_https_is_followed_over_tls() {
    const DOWNLOADS: &str = "downloads.example.com";
    let api = MockServer::start();
    let token = token_endpoint(&api);
    api.mock(|when, then| {
        when.method(GET).path("/export");
        then.status(302).header(
            "location",
            format!("https://{DOWNLOADS}/bucket/export.json"),
        );
    });
    let vendor = Vendor::new(DOWNLOADS, false);
    let download = vendor.server.mock(|when, then| {
        when.method(GET)
            .path("/bucket/export.json")
            .header_missing("authorization");
        then.status(200).body("exported");
    });
    let env = TestEnv::new(&generic_profile(
        "scm",
        &api.url(TOKEN_PATH),
        &format!("api_base = \"{}\"\nca_file = \"ca.pem\"\n", api.base_url()),
    ));
    vendor
        .cmd(&env)
        .args(["call", "GET", "/export", "-L"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("exported");
    download.assert_calls(1);
    token.assert_calls(1);
}
