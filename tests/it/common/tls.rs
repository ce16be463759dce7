//! HTTPS in front of httpmock: a test CA, certificates for the vendors' real host names, and a
//! TLS terminator that relays the plain bytes to an httpmock server, optionally requiring a client
//! certificate (mutual TLS). With `OAUTHCTL_RESOLVE` pointing a preset's host at it, a test sees
//! the request that oauthctl really sends to that host, Host header included.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa, KeyPair,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};

/// A certificate and its key.
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

/// A throwaway certificate authority.
pub struct Pki {
    pub ca_pem: String,
    ca_der: CertificateDer<'static>,
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Pki {
    pub fn new() -> Pki {
        Pki::named("oauthctl test CA")
    }

    /// A CA whose name (its subject's common name) is `name`.
    pub fn named(name: &str) -> Pki {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Pki {
            ca_pem: issuer.pem(),
            ca_der: issuer.der().clone(),
            issuer,
        }
    }

    /// A server certificate for `names`, or a client certificate when `client` is set.
    pub fn issue(&self, names: &[&str], client: bool) -> Issued {
        self.issue_with(names, client, |_| {})
    }

    /// A server certificate for `names` that expired in 2020.
    pub fn issue_expired(&self, names: &[&str]) -> Issued {
        self.issue_with(names, false, |params| {
            params.not_before = rcgen::date_time_ymd(2019, 1, 1);
            params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        })
    }

    fn issue_with(
        &self,
        names: &[&str],
        client: bool,
        adjust: impl FnOnce(&mut CertificateParams),
    ) -> Issued {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        adjust(&mut params);
        params.extended_key_usages = vec![if client {
            ExtendedKeyUsagePurpose::ClientAuth
        } else {
            ExtendedKeyUsagePurpose::ServerAuth
        }];
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            names.first().copied().unwrap_or("client"),
        );
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().clone(),
            key_der: key.serialize_der(),
        }
    }
}

/// A TLS front on loopback; it stops with the test process.
pub struct TlsFront {
    pub port: u16,
}

impl TlsFront {
    /// Serves `server` (a certificate from `pki`) and relays to `upstream_port`. With
    /// `require_client_cert`, a client must present a certificate issued by `pki`.
    pub fn start(
        pki: &Pki,
        server: &Issued,
        require_client_cert: bool,
        upstream_port: u16,
    ) -> TlsFront {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if require_client_cert {
            let mut roots = RootCertStore::empty();
            roots.add(pki.ca_der.clone()).unwrap();
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.key_der.clone()));
        let config = Arc::new(
            builder
                .with_single_cert(vec![server.cert_der.clone()], key)
                .unwrap(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                let config = config.clone();
                std::thread::spawn(move || relay(tcp, config, upstream_port));
            }
        });
        TlsFront { port }
    }

    /// `OAUTHCTL_RESOLVE` sending `host` here.
    pub fn resolve(&self, host: &str) -> String {
        format!("{host}=127.0.0.1:{}", self.port)
    }
}

fn would_block(err: &std::io::Error) -> bool {
    matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// Copies bytes both ways until either side closes, a TLS error (such as a missing client
/// certificate) ends the handshake, or ten seconds pass.
fn relay(tcp: TcpStream, config: Arc<ServerConfig>, upstream_port: u16) {
    let tick = Some(Duration::from_millis(5));
    tcp.set_read_timeout(tick).unwrap();
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port)).unwrap();
    upstream.set_read_timeout(tick).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        match tls.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if upstream.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(err) if would_block(&err) => {}
            Err(_) => return,
        }
        match upstream.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tls.write_all(&buf[..n]).and_then(|_| tls.flush()).is_err() {
                    return;
                }
            }
            Err(err) if would_block(&err) => {}
            Err(_) => return,
        }
    }
}
