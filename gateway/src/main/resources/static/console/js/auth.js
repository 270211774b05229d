// The user token: kept in sessionStorage (this tab only, gone when it closes), sent as Authorization: Bearer,
// never put in a URL. Three ways to get one: the dev sign-in (dev mode only), the customer's identity provider
// (OpenID Connect authorization code flow with PKCE), or pasting a token.

const TOKEN_KEY = 'playbill.console.token';
const PKCE_KEY = 'playbill.console.pkce';

/** The token's claims, read without verifying it (the gateway verifies every call). */
export function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return null;
  }
}

export function getToken() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const c = claims(token);
  if (c && typeof c.exp === 'number' && c.exp * 1000 <= Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

/** The token as kept, expired or not: a call with an expired one is answered 401, which asks to sign in again. */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  const trimmed = (token || '').trim();
  if (trimmed.split('.').length !== 3 || !claims(trimmed)) {
    throw Object.assign(new Error('This is not a JWT (three base64url parts with JSON claims).'),
      { code: 'invalid_token' });
  }
  sessionStorage.setItem(TOKEN_KEY, trimmed);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Who the token names: {id, roles, expiresAt}, or null when signed out. */
export function currentUser() {
  const token = getToken();
  if (!token) return null;
  const c = claims(token) || {};
  const roles = Array.isArray(c.roles) ? c.roles.filter((r) => typeof r === 'string') : [];
  return { id: String(c.sub ?? '?'), roles, expiresAt: typeof c.exp === 'number' ? new Date(c.exp * 1000) : null };
}

export function isStaff(user) {
  return user.roles.includes('admin') || user.roles.includes('finance');
}

/** Dev mode only: the gateway signs a development token for this user and roles. */
export async function devSignIn(user, roles) {
  const response = await fetch('/console/dev-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user, roles }),
    cache: 'no-store',
    credentials: 'omit',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.error || { code: `http_${response.status}`, message: 'The dev sign-in failed' };
    throw Object.assign(new Error(error.message), { code: error.code });
  }
  setToken(body.token);
}

function base64url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

function redirectUri() {
  return `${window.location.origin}/console/`;
}

/** Sends the browser to the identity provider (authorization code flow, PKCE S256, a fresh state). */
export async function startOidcSignIn(oidc) {
  const verifier = randomString();
  const state = randomString();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(oidc.authorizationUri);
  const params = {
    ...(oidc.parameters || {}),
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  };
  Object.entries(params).forEach(([name, value]) => url.searchParams.set(name, value));
  window.location.assign(url.toString());
}

/** The error codes of an authorization response (RFC 6749, 4.1.2.1): the only ones shown as they came. */
const OAUTH_ERRORS = new Set(['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type',
  'invalid_scope', 'server_error', 'temporarily_unavailable']);

/**
 * Back from the identity provider (?code=…&state=… or ?error=…): removes them from the address bar, checks the
 * state, exchanges the code with the PKCE verifier for tokens and keeps the access token. False when this page
 * load is not such a return.
 */
export async function completeOidcSignIn(oidc) {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return false;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
  sessionStorage.removeItem(PKCE_KEY);
  const fail = (code, message) => { throw Object.assign(new Error(message), { code }); };
  if (!oidc) fail('oidc_not_configured', 'This gateway has no identity provider configured (playbill.console.oidc).');
  // Checked before anything the address bar says is shown: a crafted link must not put its words on this page.
  if (!pending || pending.state !== params.get('state')) {
    fail('invalid_state', 'The sign-in answer does not belong to a sign-in started here; please sign in again.');
  }
  if (params.has('error')) {
    const code = OAUTH_ERRORS.has(params.get('error')) ? params.get('error') : 'sign_in_refused';
    fail(code, 'The identity provider refused the sign-in.');
  }
  const response = await fetch(oidc.tokenUri, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }),
    credentials: 'omit',
    cache: 'no-store',
  }).catch((e) => fail('token_endpoint_unreachable', `The identity provider's token endpoint could not be reached `
    + `(${e.message}); it must allow this origin (CORS).`));
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.access_token !== 'string') {
    fail(body.error || `http_${response.status}`, body.error_description || 'The code exchange failed.');
  }
  setToken(body.access_token);
  return true;
}
