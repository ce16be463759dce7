// A certified OpenID Provider (panva's oidc-provider, OpenID Certified) for oauthctl's integration
// tests, on loopback only. `tests/it/common/oidc.rs` starts it with `node tests/oidc/server.js`;
// it listens on a free port of 127.0.0.1 (or OIDC_PORT) and prints its issuer, one line on
// stdout, once it answers. Everything else it says goes to stderr.
//
// The clients (their ids and secrets are mirrored in tests/it/common/oidc.rs):
// - `oauthctl-basic` (client_secret_basic) and `oauthctl-post` (client_secret_post), confidential,
//   secret `s3cr&t/pa:ss+word` (characters that need form-urlencoding): client_credentials, and
//   also authorization_code, refresh_token and device_code, so that every client authentication
//   can be tried with the sign-in grants.
// - `oauthctl-public` (token_endpoint_auth_method none): authorization_code, refresh_token and
//   device_code.
// - `oauthctl-pkjwt-rs`, `oauthctl-pkjwt-ps`, `oauthctl-pkjwt-es` (private_key_jwt) and
//   `oauthctl-csjwt` (client_secret_jwt): see "Client assertions" below.
// Every client is a native application (RFC 8252) with loopback redirect URIs registered without a
// port, `http://127.0.0.1{path}`, `http://[::1]{path}` and `http://localhost{path}` for each path
// of OIDC_REDIRECT_PATHS (default `/,/callback`): oidc-provider then accepts any port (RFC 8252
// §7.3), and the path must match exactly. PKCE with S256 is required of every authorization
// request. Every code and device-code exchange by a client that may refresh gets a refresh token
// (no `offline_access` needed), rotated on every use (a reused one revokes the whole grant).
//
// - `oauthctl-dpop` (client_secret_basic, secret as above, `dpop_bound_access_tokens`): DPoP
//   (RFC 9449) only, see the DPoP block below.
//
// Features: the device flow (RFC 8628), revocation (RFC 7009), introspection (RFC 7662),
// userinfo, client credentials, and the development login and consent pages (any login name,
// any password), which the test scripts in this folder walk with curl. Resource indicators are
// off, so a plain client_credentials request gets an (opaque) access token without `resource`.
//
// Besides oidc-provider's own routes, two for the tests:
// - `GET /api/whoami`: a tiny API that accepts the provider's access tokens as `Bearer` (RFC 6750)
//   and answers what it knows about them: {"client_id", "sub", "scope"}; 401 otherwise. A
//   DPoP-bound token it takes only as `DPoP`, with a valid proof (see the DPoP block).
// - `GET /_test/events`: what the provider did, in order (grants issued or refused, revocations,
//   requests by method and path); never a token, code or secret.
//
// Environment:
// - OIDC_PORT: the port (default: a free one).
// - OIDC_TTL_<NAME>: seconds for oidc-provider's `ttl.<Name>` (ACCESS_TOKEN, AUTHORIZATION_CODE,
//   CLIENT_CREDENTIALS, DEVICE_CODE, GRANT, ID_TOKEN, INTERACTION, REFRESH_TOKEN, SESSION).
// - OIDC_DEVICE_INTERVAL: the `interval` the device authorization response announces (seconds;
//   default: none, which RFC 8628 §3.2 says means 5).
// - OIDC_REDIRECT_PATHS: comma-separated paths of the loopback redirect URIs.

import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

// jose is oidc-provider's own dependency (it verifies DPoP proofs with it too).
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';
import Provider from 'oidc-provider';

const SECRET = 's3cr&t/pa:ss+word';
const SIGN_IN_GRANTS = [
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
];

const redirectPaths = (process.env.OIDC_REDIRECT_PATHS ?? '/,/callback')
  .split(',')
  .filter(Boolean);
const redirectUris = ['127.0.0.1', '[::1]', 'localhost']
  .flatMap((host) => redirectPaths.map((path) => `http://${host}${path}`));

const clientDefaults = {
  application_type: 'native',
  redirect_uris: redirectUris,
  response_types: ['code'],
};

const clients = [
  {
    ...clientDefaults,
    client_id: 'oauthctl-basic',
    client_secret: SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', ...SIGN_IN_GRANTS],
  },
  {
    ...clientDefaults,
    client_id: 'oauthctl-post',
    client_secret: SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials', ...SIGN_IN_GRANTS],
  },
  {
    ...clientDefaults,
    client_id: 'oauthctl-public',
    token_endpoint_auth_method: 'none',
    grant_types: SIGN_IN_GRANTS,
  },
];

// --- DPoP (RFC 9449) ---
// A client whose access tokens must be DPoP-bound, nonces required of it at the token endpoint
// (a 400 `use_dpop_nonce` first, oidc-provider's own), and an API nonce that /api/whoami requires
// in the proof of every DPoP-bound token (a 401 with `WWW-Authenticate: DPoP
// error="use_dpop_nonce"` first). The API checks the proof as RFC 9449 §7.1 and §4.3 say:
// signature by the embedded jwk, typ, alg, htm, htu, ath, iat within 5 minutes, jti never seen
// before, the nonce, and the key's thumbprint against the token's `jkt`.
const DPOP_CLIENT = 'oauthctl-dpop';
clients.push({
  ...clientDefaults,
  client_id: DPOP_CLIENT,
  client_secret: SECRET,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials', ...SIGN_IN_GRANTS],
  dpop_bound_access_tokens: true,
});
const dpopFeature = {
  enabled: true,
  nonceSecret: randomBytes(32),
  requireNonce: (ctx) => ctx.oidc?.client?.clientId === DPOP_CLIENT,
};
const apiNonce = randomBytes(16).toString('base64url');
const seenJtis = new Set();

// The reason a DPoP proof does not go with `token` for this request, or null when it does.
async function dpopRefusal(req, token, accessToken) {
  const proof = req.headers.dpop;
  if (typeof proof !== 'string') return 'no DPoP proof';
  let header;
  let payload;
  try {
    ({ protectedHeader: header, payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] }));
  } catch (err) {
    return `bad proof: ${err.message}`;
  }
  const url = new URL(req.url, issuerUrl);
  url.search = '';
  if (payload.htm !== req.method) return 'htm mismatch';
  if (payload.htu !== url.href) return 'htu mismatch';
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  if (payload.ath !== ath) return 'ath mismatch';
  if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > 300) return 'iat not recent';
  if (typeof payload.jti !== 'string' || seenJtis.has(payload.jti)) return 'jti replayed';
  if (await calculateJwkThumbprint(header.jwk) !== token.jkt) return 'jkt mismatch';
  if (payload.nonce !== apiNonce) return 'use_dpop_nonce';
  seenJtis.add(payload.jti);
  return null;
}
// --- end DPoP ---

// Client assertions (private_key_jwt and client_secret_jwt, RFC 7523): clients whose public keys
// the provider derives from the throwaway test keys in keys/ (never use them elsewhere; see
// keys/README.md), one per signing algorithm, and one that signs with its secret.
// - `oauthctl-pkjwt-rs` (RS256, keys/rsa.pem), `oauthctl-pkjwt-ps` (PS256, the same key) and
//   `oauthctl-pkjwt-es` (ES256, keys/ec.pem): private_key_jwt.
// - `oauthctl-csjwt` (HS256, secret SECRET): client_secret_jwt.
// keys/wrong-rsa.pem is registered with nobody.
const testKey = (file, kid) => ({
  ...createPublicKey(readFileSync(new URL(`keys/${file}`, import.meta.url))).export({ format: 'jwk' }),
  kid,
  use: 'sig',
});
for (const [client_id, alg, file] of [
  ['oauthctl-pkjwt-rs', 'RS256', 'rsa.pem'],
  ['oauthctl-pkjwt-ps', 'PS256', 'rsa.pem'],
  ['oauthctl-pkjwt-es', 'ES256', 'ec.pem'],
]) {
  clients.push({
    ...clientDefaults,
    client_id,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    jwks: { keys: [testKey(file, `test-${file.replace('.pem', '')}`)] },
    grant_types: ['client_credentials', ...SIGN_IN_GRANTS],
  });
}
clients.push({
  ...clientDefaults,
  client_id: 'oauthctl-csjwt',
  client_secret: SECRET,
  token_endpoint_auth_method: 'client_secret_jwt',
  token_endpoint_auth_signing_alg: 'HS256',
  grant_types: ['client_credentials', ...SIGN_IN_GRANTS],
});
// (end of client assertions)

// oidc-provider's ttl names, from the environment's OIDC_TTL_ACCESS_TOKEN and so on.
const ttl = {};
for (const name of ['AccessToken', 'AuthorizationCode', 'ClientCredentials', 'DeviceCode', 'Grant',
  'IdToken', 'Interaction', 'RefreshToken', 'Session']) {
  const variable = `OIDC_TTL_${name.replace(/(?<=.)([A-Z])/g, '_$1').toUpperCase()}`;
  const value = process.env[variable];
  if (value !== undefined) {
    if (!/^[1-9][0-9]*$/.test(value)) {
      throw new Error(`${variable} must be a number of seconds, not ${JSON.stringify(value)}`);
    }
    ttl[name] = Number(value);
  }
}
const deviceInterval = process.env.OIDC_DEVICE_INTERVAL
  ? Number(process.env.OIDC_DEVICE_INTERVAL)
  : undefined;

// A fresh signing key per run: nothing to keep, and no warning about the development keys.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', kid: 'test' };

const configuration = {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: { enabled: false },
    dPoP: dpopFeature,
  },
  pkce: { methods: ['S256'], required: () => true },
  async issueRefreshToken(ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  rotateRefreshToken: true,
  ttl,
  // Any login name is an account whose `sub` it is (the development login page takes any).
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub }; } };
  },
};

const events = [];
function record(event) {
  events.push(event);
}

let provider;
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/_test/events') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(events));
    return;
  }
  record({ event: 'request', method: req.method, path });
  if (path === '/api/whoami') {
    whoami(req, res).catch((err) => {
      console.error(err);
      res.statusCode = 500;
      res.end();
    });
    return;
  }
  provider.callback()(req, res);
});

// The tiny API: a Bearer access token the provider issued and still holds is accepted; a
// DPoP-bound one only as `DPoP` with a valid proof.
async function whoami(req, res) {
  const match = /^(Bearer|DPoP) ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
  const token = match
    && ((await provider.AccessToken.find(match[2]))
      || (await provider.ClientCredentials.find(match[2])));
  res.setHeader('content-type', 'application/json');
  let refusal = null;
  if (!token || token.isExpired) {
    refusal = 'invalid_token';
  } else if (token.jkt && match[1] !== 'DPoP') {
    refusal = 'DPoP-bound token sent as Bearer';
  } else if (token.jkt) {
    refusal = await dpopRefusal(req, token, match[2]);
  }
  if (refusal === 'use_dpop_nonce') {
    record({ event: 'api.dpop_nonce' });
    res.statusCode = 401;
    res.setHeader('www-authenticate', 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"');
    res.setHeader('dpop-nonce', apiNonce);
    res.end(JSON.stringify({ error: 'use_dpop_nonce' }));
    return;
  }
  if (refusal) {
    record({ event: 'api.refused', reason: refusal });
    res.statusCode = 401;
    res.setHeader('www-authenticate', token?.jkt ? 'DPoP error="invalid_token"' : 'Bearer error="invalid_token"');
    res.end(JSON.stringify({ error: 'invalid_token' }));
    return;
  }
  record({ event: 'api.accepted', client_id: token.clientId, token_type: match[1], jkt: token.jkt ?? null });
  res.end(JSON.stringify({
    client_id: token.clientId,
    sub: token.accountId ?? null,
    scope: token.scope ?? null,
  }));
}

let issuerUrl;
server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  issuerUrl = issuer;
  provider = new Provider(issuer, configuration);

  // oidc-provider emits no event for a revocation that worked; RFC 7009 §2.2 answers 200 for a
  // token the server does not know, too, and then token_type is null.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'revocation' && ctx.status === 200) {
      const kind = ['AccessToken', 'ClientCredentials', 'RefreshToken']
        .find((name) => ctx.oidc.entities[name]);
      record({ event: 'revocation.success', client_id: ctx.oidc.client?.clientId ?? null, token_type: kind ?? null });
    }
  });

  if (deviceInterval !== undefined) {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200) {
        ctx.body.interval = deviceInterval;
      }
    });
  }

  const clientOf = (ctx) => ctx.oidc?.client?.clientId ?? null;
  const grantTypeOf = (ctx) => ctx.oidc?.params?.grant_type ?? null;
  provider.on('grant.success', (ctx) => record({
    event: 'grant.success', grant_type: grantTypeOf(ctx), client_id: clientOf(ctx),
  }));
  provider.on('grant.error', (ctx, err) => record({
    event: 'grant.error', grant_type: grantTypeOf(ctx), client_id: clientOf(ctx), error: err.error,
  }));
  // DPoP: a token endpoint answer says the token's type and binding (`jkt`, never the token).
  provider.on('grant.success', (ctx) => {
    const entity = ctx.oidc.entities.ClientCredentials ?? ctx.oidc.entities.AccessToken;
    if (entity?.jkt) {
      record({ event: 'grant.dpop', client_id: clientOf(ctx), token_type: entity.tokenType, jkt: entity.jkt });
    }
  });
  provider.on('authorization.success', (ctx) => record({
    event: 'authorization.success', client_id: clientOf(ctx),
  }));
  provider.on('authorization.error', (ctx, err) => record({
    event: 'authorization.error', client_id: clientOf(ctx), error: err.error,
  }));
  provider.on('device_authorization.success', (ctx) => record({
    event: 'device_authorization.success', client_id: clientOf(ctx),
  }));
  provider.on('revocation.error', (ctx, err) => record({
    event: 'revocation.error', client_id: clientOf(ctx), error: err.error,
  }));
  provider.on('grant.revoked', () => record({ event: 'grant.revoked' }));
  provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));

  process.stdout.write(`${issuer}\n`);
});

// The test that started us kills us; a closed stdin (the test process died) ends us too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
