//! A loopback stand-in for Strata Cloud Manager's token service and API, for `bench/run`.
//!
//! It answers as docs/providers.md §1 says SCM does: a form POST with HTTP Basic client
//! authentication (RFC 6749 §2.3.1, §4.4) gets `{"access_token":<JWT>,"scope":"profile tsg_id:N
//! email","token_type":"Bearer","expires_in":899}`, a wrong client gets 400 `invalid_client`, and the
//! API pages security rules by `offset`/`limit` in the `{"data":[...],"limit","offset","total"}`
//! envelope, answering a missing or unknown bearer token with 401 `E016`.
//!
//! One thread per connection, HTTP/1.1 with keep-alive, every answer written in one `write` with
//! `TCP_NODELAY`: the benchmarks measure oauthctl and curl, so the server must not be what they
//! wait for. Lists are rendered once and kept, so a page costs a copy. Plain HTTP needs nothing
//! but std; `--https` uses rustls (with ring) and rcgen, for a throwaway CA made at start.
//!
//! `--rtt-ms N` puts a latency proxy in front (see [`proxy`]): every chunk of bytes, in each
//! direction, is held N/2 ms, and the first chunk of a connection a whole round trip more, as
//! TCP's handshake costs one. Connection set-up, TLS handshakes and every page then pay the
//! round trip of a distant API, which loopback alone never shows.
//!
//! Routes:
//! - `POST /oauth2/access_token` (also `/auth/v1/oauth2/access_token`): the token endpoint.
//! - `GET /config/security/v1/security-rules?folder=bench-N&offset=O&limit=L`: a list of N rules.
//! - `GET /config/security/v1/security-rules/<id>?folder=F`: one rule.
//! - `POST /config/objects/v1/addresses?folder=F` with a JSON object: 201 with the object as
//!   created (an `id` and the `folder` added), as SCM answers.
//! - `GET /_stats`: `{"token_requests":N,"api_requests":N,"connections":N}` since the last reset.
//! - `POST /_reset`: sets the counters to 0.
//! - `GET /_last_token_request`: the last token request as received (method, target, headers
//!   sorted, body), the client secret replaced, so `bench/run` can check that curl sends the
//!   same request as oauthctl.
//!
//! Usage: `BENCH_CLIENT_SECRET=... oauthctl-bench-server --client-id ID --tsg-id N
//! [--listen 127.0.0.1:0] [--max-items 100000] [--https --ca-out CA.pem] [--rtt-ms N]`. It prints
//! its base URL on stdout (the proxy's, with `--rtt-ms`), then serves until killed. With
//! `--https` its certificate names `127.0.0.1` and `localhost`, issued by a CA made at start,
//! whose certificate (PEM) it writes to `--ca-out` before it prints the URL.

mod proxy;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// SCM's default page size (docs/providers.md §1).
const DEFAULT_LIMIT: usize = 200;
/// SCM tokens live 15 minutes.
const EXPIRES_IN: u64 = 899;
const RULES_PATH: &str = "/config/security/v1/security-rules";
const ADDRESSES_PATH: &str = "/config/objects/v1/addresses";

struct Server {
    client_id: String,
    client_secret: String,
    tsg_id: String,
    max_items: usize,
    token_requests: AtomicU64,
    api_requests: AtomicU64,
    connections: AtomicU64,
    /// Address objects created, for their ids.
    created: AtomicU64,
    /// Every token handed out; the API accepts these and no others.
    issued: Mutex<HashSet<String>>,
    last_token_request: Mutex<String>,
    /// Rendered rules per folder, rendered on the first request for it.
    lists: Mutex<HashMap<String, Arc<Vec<String>>>>,
}

struct Request {
    method: String,
    target: String,
    /// Names in lower case, in the order received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    keep_alive: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    fn query(&self) -> HashMap<String, String> {
        self.target
            .split_once('?')
            .map(|(_, q)| parse_form(q))
            .unwrap_or_default()
    }
}

struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(status: u16, reason: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            reason,
            headers: vec![("Content-Type", "application/json".into())],
            body: body.into(),
        }
    }
}

fn main() {
    if let Err(err) = run() {
        eprintln!("oauthctl-bench-server: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut listen = "127.0.0.1:0".to_string();
    let mut client_id = None;
    let mut tsg_id = None;
    let mut max_items = 100_000usize;
    let mut https = false;
    let mut ca_out = None;
    let mut rtt = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--listen" => listen = value()?,
            "--client-id" => client_id = Some(value()?),
            "--tsg-id" => tsg_id = Some(value()?),
            "--max-items" => {
                max_items = value()?
                    .parse()
                    .map_err(|_| "--max-items takes a number".to_string())?
            }
            "--https" => https = true,
            "--ca-out" => ca_out = Some(PathBuf::from(value()?)),
            "--rtt-ms" => {
                let ms: u64 = value()?
                    .parse()
                    .map_err(|_| "--rtt-ms takes a number of milliseconds".to_string())?;
                rtt = Some(Duration::from_millis(ms));
            }
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    let server = Arc::new(Server {
        client_id: client_id.ok_or("--client-id is required")?,
        tsg_id: tsg_id.ok_or("--tsg-id is required")?,
        // From the environment, as oauthctl reads it: never in a process's arguments.
        client_secret: std::env::var("BENCH_CLIENT_SECRET")
            .map_err(|_| "set BENCH_CLIENT_SECRET")?,
        max_items,
        token_requests: AtomicU64::new(0),
        api_requests: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        created: AtomicU64::new(0),
        issued: Mutex::new(HashSet::new()),
        last_token_request: Mutex::new(String::new()),
        lists: Mutex::new(HashMap::new()),
    });
    let tls = match (https, ca_out) {
        (false, None) => None,
        (true, Some(path)) => Some(tls_config(&path)?),
        (true, None) => return Err("--https needs --ca-out PATH for the CA's certificate".into()),
        (false, Some(_)) => return Err("--ca-out goes with --https".into()),
    };
    // With a round trip to simulate, clients connect to the proxy and the server listens on a
    // port of its own behind it.
    let public =
        TcpListener::bind(&listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = public.local_addr().map_err(|e| e.to_string())?;
    let listener = match rtt {
        None => public,
        Some(rtt) => {
            let behind = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
            let upstream = behind.local_addr().map_err(|e| e.to_string())?;
            std::thread::spawn(move || proxy::run(public, upstream, rtt));
            behind
        }
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("{scheme}://{addr}");
    io::stdout().flush().map_err(|e| e.to_string())?;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let server = Arc::clone(&server);
        let tls = tls.clone();
        server.connections.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || {
            // A client that goes away mid-request, or fails the handshake, is its own business.
            if stream.set_nodelay(true).is_err() {
                return;
            }
            let _ = match tls {
                None => serve(&server, stream),
                Some(config) => match rustls::ServerConnection::new(config) {
                    Ok(conn) => serve(&server, rustls::StreamOwned::new(conn, stream)),
                    Err(_) => return,
                },
            };
        });
    }
    Ok(())
}

/// A throwaway CA, its certificate written to `ca_out`, and a server certificate it issued for
/// `127.0.0.1` and `localhost` (ECDSA P-256, rcgen's default, as many APIs serve).
fn tls_config(ca_out: &std::path::Path) -> Result<Arc<ServerConfig>, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair,
    };
    let err = |e: rcgen::Error| format!("cannot make the test certificates: {e}");
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "oauthctl bench CA (throwaway)");
    let issuer =
        CertifiedIssuer::self_signed(ca, KeyPair::generate().map_err(err)?).map_err(err)?;
    let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .map_err(err)?;
    leaf.distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let key = KeyPair::generate().map_err(err)?;
    let cert = leaf.signed_by(&key, &issuer).map_err(err)?;
    std::fs::write(ca_out, issuer.pem())
        .map_err(|e| format!("cannot write {}: {e}", ca_out.display()))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .map_err(|e| e.to_string())?;
    // HTTP/1.1 only, as the plain server: a client offering h2 is told http/1.1.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Answers requests on one connection until the client closes it or asks to.
fn serve<S: Read + Write>(server: &Server, stream: S) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader)? {
        let response = route(server, &request);
        let mut out = Vec::with_capacity(response.body.len() + 256);
        write!(
            out,
            "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
            response.status,
            response.reason,
            response.body.len()
        )?;
        for (name, value) in &response.headers {
            write!(out, "{name}: {value}\r\n")?;
        }
        if !request.keep_alive {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&response.body);
        let writer = reader.get_mut();
        writer.write_all(&out)?;
        writer.flush()?;
        if !request.keep_alive {
            break;
        }
    }
    Ok(())
}

/// One HTTP/1.1 request (RFC 9112), or `None` when the client closed the connection.
fn read_request<S: Read + Write>(reader: &mut BufReader<S>) -> io::Result<Option<Request>> {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        // RFC 9112 §2.2: empty lines before a request line are ignored.
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad request line",
        ));
    };
    let (method, target, version) = (method.to_string(), target.to_string(), version.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v): &(String, String)| v.to_ascii_lowercase())
    };
    if header("transfer-encoding").is_some() {
        // Neither oauthctl nor curl chunk a token request or a GET.
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "chunked bodies are not supported",
        ));
    }
    if header("expect").as_deref() == Some("100-continue") {
        let writer = reader.get_mut();
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let length: usize = header("content-length")
        .map(|l| l.parse().unwrap_or(0))
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let keep_alive = match header("connection").as_deref() {
        Some("close") => false,
        Some("keep-alive") => true,
        _ => version == "HTTP/1.1",
    };
    Ok(Some(Request {
        method,
        target,
        headers,
        body,
        keep_alive,
    }))
}

fn route(server: &Server, request: &Request) -> Response {
    let path = request.path();
    match (request.method.as_str(), path) {
        ("POST", "/oauth2/access_token" | "/auth/v1/oauth2/access_token") => token(server, request),
        ("GET", "/_stats") => Response::json(
            200,
            "OK",
            format!(
                r#"{{"token_requests":{},"api_requests":{},"connections":{}}}"#,
                server.token_requests.load(Ordering::SeqCst),
                server.api_requests.load(Ordering::SeqCst),
                server.connections.load(Ordering::SeqCst)
            ),
        ),
        ("POST", "/_reset") => {
            server.token_requests.store(0, Ordering::SeqCst);
            server.api_requests.store(0, Ordering::SeqCst);
            server.connections.store(0, Ordering::SeqCst);
            Response::json(200, "OK", "{}")
        }
        ("GET", "/_last_token_request") => Response {
            status: 200,
            reason: "OK",
            headers: vec![("Content-Type", "text/plain".into())],
            body: server
                .last_token_request
                .lock()
                .unwrap()
                .clone()
                .into_bytes(),
        },
        ("GET", _) if path == RULES_PATH || path.starts_with(&format!("{RULES_PATH}/")) => {
            server.api_requests.fetch_add(1, Ordering::SeqCst);
            if let Some(refusal) = check_bearer(server, request) {
                return refusal;
            }
            match path.strip_prefix(&format!("{RULES_PATH}/")) {
                Some(id) => one_rule(request, id),
                None => list_rules(server, request),
            }
        }
        ("POST", ADDRESSES_PATH) => {
            server.api_requests.fetch_add(1, Ordering::SeqCst);
            if let Some(refusal) = check_bearer(server, request) {
                return refusal;
            }
            create_address(server, request)
        }
        _ => scm_error(404, "Not Found", "API_I00013", "Object not found", path),
    }
}

/// A new address object: the JSON object sent, with an `id` and the `folder` put first.
fn create_address(server: &Server, request: &Request) -> Response {
    let query = request.query();
    let folder = query.get("folder").map(String::as_str).unwrap_or("Shared");
    let body = String::from_utf8_lossy(&request.body);
    let Some(fields) = body.trim().strip_prefix('{') else {
        return scm_error(400, "Bad Request", "API_I00035", "Invalid object", request.path());
    };
    let n = server.created.fetch_add(1, Ordering::SeqCst);
    let separator = if fields.trim_start().starts_with('}') { "" } else { "," };
    Response::json(
        201,
        "Created",
        format!(r#"{{"id":"ad0d4e55-0000-4000-8000-{n:012}","folder":"{folder}"{separator}{fields}"#),
    )
}

/// The token endpoint, as SCM's: HTTP Basic, a form body, 400 `invalid_client` for a wrong client.
fn token(server: &Server, request: &Request) -> Response {
    let n = server.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    let credentials = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(base64_decode)
        .and_then(|raw| String::from_utf8(raw).ok());
    // RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined with a colon.
    let client = credentials.as_deref().and_then(|c| c.split_once(':'));
    *server.last_token_request.lock().unwrap() = describe(server, request, client);
    let error = |description: &str, code: &str| {
        Response::json(
            400,
            "Bad Request",
            format!(r#"{{"error_description":"{description}","error":"{code}"}}"#),
        )
    };
    let authenticated = client.is_some_and(|(id, secret)| {
        percent_decode(id) == server.client_id && percent_decode(secret) == server.client_secret
    });
    if !authenticated {
        return error("Client authentication failed", "invalid_client");
    }
    let form_type = request
        .header("content-type")
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    if form_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return error(
            "Content-Type must be application/x-www-form-urlencoded",
            "invalid_request",
        );
    }
    let form = parse_form(&String::from_utf8_lossy(&request.body));
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return error("Grant type is not supported", "unsupported_grant_type");
    }
    let expected_scope = format!("tsg_id:{}", server.tsg_id);
    if form.get("scope") != Some(&expected_scope) {
        return error("Invalid scope", "invalid_scope");
    }
    let token = jwt(server, n);
    server.issued.lock().unwrap().insert(token.clone());
    Response::json(
        200,
        "OK",
        format!(
            r#"{{"access_token":"{token}","scope":"profile tsg_id:{} email","token_type":"Bearer","expires_in":{EXPIRES_IN}}}"#,
            server.tsg_id
        ),
    )
}

/// The request as received, for comparing two clients' requests: the method and target, the
/// headers sorted by name, and the body. The client secret is replaced by its length as sent
/// (form-urlencoded or not) and whether it is right.
fn describe(server: &Server, request: &Request, client: Option<(&str, &str)>) -> String {
    let mut headers: Vec<String> = request
        .headers
        .iter()
        .map(|(name, value)| match (name.as_str(), client) {
            ("authorization", Some((id, secret))) => {
                let right = percent_decode(secret) == server.client_secret;
                format!(
                    "authorization: Basic base64({id}:<secret, {} bytes as sent, {}>)",
                    secret.len(),
                    if right { "right" } else { "wrong" }
                )
            }
            ("authorization", None) => "authorization: <not Basic credentials>".to_string(),
            _ => format!("{name}: {value}"),
        })
        .collect();
    headers.sort();
    format!(
        "{} {}\n{}\n\n{}\n",
        request.method,
        request.target,
        headers.join("\n"),
        String::from_utf8_lossy(&request.body)
    )
}

/// A token the shape and size of SCM's: an RS256 JWT of about 1 KB, unique per request.
fn jwt(server: &Server, n: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let header = r#"{"typ":"JWT","kid":"bench-key-1","alg":"RS256"}"#;
    let claims = format!(
        r#"{{"sub":"{id}","aud":"{id}","scope":"profile tsg_id:{tsg} email","iss":"https://auth.apps.paloaltonetworks.com/am/oauth2","tsg_id":"{tsg}","exp":{exp},"iat":{now},"jti":"bench-{n:08}-{now:x}","client_id":"{id}"}}"#,
        id = server.client_id,
        tsg = server.tsg_id,
        exp = now + EXPIRES_IN,
    );
    // A 2048-bit signature's worth of bytes, different for every token.
    let mut state = (n ^ now).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let signature: Vec<u8> = (0..256)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    format!(
        "{}.{}.{}",
        base64url(header.as_bytes()),
        base64url(claims.as_bytes()),
        base64url(&signature)
    )
}

/// `None` when the request carries a token this server issued; else SCM's 401.
fn check_bearer(server: &Server, request: &Request) -> Option<Response> {
    let token = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "));
    if token.is_some_and(|t| server.issued.lock().unwrap().contains(t)) {
        return None;
    }
    let mut response = scm_error(
        401,
        "Unauthorized",
        "E016",
        "Not Authenticated",
        request.path(),
    );
    response.headers.push((
        "WWW-Authenticate",
        r#"Bearer error="invalid_token", error_description="The access token is missing, expired or unknown""#
            .into(),
    ));
    Some(response)
}

fn scm_error(status: u16, reason: &'static str, code: &str, message: &str, path: &str) -> Response {
    Response::json(
        status,
        reason,
        format!(
            r#"{{"_errors":[{{"code":"{code}","message":"{message}","details":{{"path":"{path}"}}}}],"_request_id":"bench-{status}"}}"#
        ),
    )
}

/// `folder=bench-N`: a list of N rules; any other folder is an error naming the right form.
fn folder_size(server: &Server, folder: &str) -> Option<usize> {
    folder
        .strip_prefix("bench-")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n <= server.max_items)
}

fn list_rules(server: &Server, request: &Request) -> Response {
    let query = request.query();
    let folder = query.get("folder").map(String::as_str).unwrap_or("");
    let Some(total) = folder_size(server, folder) else {
        return scm_error(
            400,
            "Bad Request",
            "E003",
            &format!("folder must be bench-N with N at most {}", server.max_items),
            request.path(),
        );
    };
    let number = |name: &str, default: usize| -> Option<usize> {
        match query.get(name) {
            None => Some(default),
            Some(text) => text.parse().ok(),
        }
    };
    let (Some(offset), Some(limit)) = (number("offset", 0), number("limit", DEFAULT_LIMIT)) else {
        return scm_error(
            400,
            "Bad Request",
            "E003",
            "offset and limit must be whole numbers",
            request.path(),
        );
    };
    let rules = {
        let mut lists = server.lists.lock().unwrap();
        Arc::clone(
            lists
                .entry(folder.to_string())
                .or_insert_with(|| Arc::new((0..total).map(|i| rule(folder, i)).collect())),
        )
    };
    let page = &rules[offset.min(total)..offset.saturating_add(limit).min(total)];
    let mut body = Vec::with_capacity(page.iter().map(|r| r.len() + 1).sum::<usize>() + 64);
    body.extend_from_slice(b"{\"data\":[");
    for (i, item) in page.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(item.as_bytes());
    }
    let _ = write!(
        body,
        "],\"limit\":{limit},\"offset\":{offset},\"total\":{total}}}"
    );
    Response::json(200, "OK", body)
}

fn one_rule(request: &Request, id: &str) -> Response {
    let query = request.query();
    let folder = query.get("folder").map(String::as_str).unwrap_or("Shared");
    match id
        .strip_prefix("5ec0e1a7-0000-4000-8000-")
        .and_then(|n| n.parse::<usize>().ok())
    {
        Some(i) => Response::json(200, "OK", rule(folder, i)),
        None => scm_error(
            404,
            "Not Found",
            "API_I00013",
            "Object not found",
            request.path(),
        ),
    }
}

/// One security rule as SCM lists them (about 600 bytes).
fn rule(folder: &str, i: usize) -> String {
    let mut out = String::with_capacity(640);
    let _ = write!(
        out,
        r#"{{"id":"5ec0e1a7-0000-4000-8000-{i:012}","name":"allow-web-{i:06}","folder":"{folder}","position":"pre","action":"allow","from":["trust"],"to":["untrust"],"source":["10.{}.{}.0/24"],"negate_source":false,"source_user":["any"],"destination":["any"],"negate_destination":false,"service":["application-default"],"application":["web-browsing","ssl"],"category":["any"],"source_hip":["any"],"destination_hip":["any"],"disabled":false,"log_setting":"Cortex Data Lake","log_start":false,"log_end":true,"profile_setting":{{"group":["best-practice"]}},"tag":["bench","web"],"description":"Rule {} of the bench folder: outbound web for one branch subnet"}}"#,
        (i / 256) % 256,
        i % 256,
        i + 1
    );
    out
}

/// `a=b&c=d` with `+` and percent escapes decoded; a repeated name keeps its last value.
fn parse_form(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("0");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64url without padding (RFC 7515 §2), as JWTs use.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            let c = ALPHABET[(n >> (18 - 6 * i) & 63) as usize];
            out.push(match c {
                b'+' => '-',
                b'/' => '_',
                c => c as char,
            });
        }
    }
    out
}

/// Standard base64 (RFC 4648 §4), padding optional; `None` when it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut n) = (0u32, 0);
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|a| *a == c)? as u32;
        bits = bits << 6 | value;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_url_alphabet() {
        assert_eq!(base64_decode("Zm9vOmJhcg==").unwrap(), b"foo:bar");
        assert_eq!(base64_decode("Zm9vOmJhcg").unwrap(), b"foo:bar");
        assert_eq!(base64url(b"foo:bar"), "Zm9vOmJhcg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert!(base64_decode("no!").is_none());
    }

    #[test]
    fn forms_decode_escapes() {
        let form = parse_form("grant_type=client_credentials&scope=tsg_id%3A123&x=a+b&bad=%zz%4");
        assert_eq!(form["scope"], "tsg_id:123");
        assert_eq!(form["x"], "a b");
        assert_eq!(form["bad"], "%zz%4");
        assert_eq!(percent_decode("bench%40example.com"), "bench@example.com");
    }

    #[test]
    fn rules_are_json_objects_of_their_folder() {
        let text = rule("bench-1000", 41);
        assert!(text.starts_with(r#"{"id":"5ec0e1a7-0000-4000-8000-000000000041","name":"allow-web-000041","folder":"bench-1000""#));
        assert!(
            text.ends_with(r#"Rule 42 of the bench folder: outbound web for one branch subnet"}"#)
        );
    }
}
