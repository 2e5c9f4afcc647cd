// Login through the realm (authorization code + PKCE, public client nhi-console) and calls to the
// admin REST API with the user's token. The server decides what each user may see and do; the roles
// read here only choose which pages and buttons to show.
import Keycloak from './vendor/keycloak-js/keycloak.mjs';

const path = location.pathname;
const realmsAt = path.indexOf('/realms/');
export const authBase = location.origin + path.substring(0, realmsAt);
export const realm = decodeURIComponent(path.substring(realmsAt + '/realms/'.length).split('/')[0]);
const consoleUrl = `${authBase}/realms/${encodeURIComponent(realm)}/nhi/console/`;
const keycloak = new Keycloak({ url: authBase, realm, clientId: 'nhi-console' });

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Logs in (redirecting to the realm's login page when needed) and answers who the user is. */
export async function login() {
  // OAuth redirect URIs carry no fragment: the page's route waits in session storage meanwhile.
  if (location.hash) {
    sessionStorage.setItem('nhi.route', location.hash);
  }
  await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false,
    responseMode: 'query', redirectUri: consoleUrl });
  const route = sessionStorage.getItem('nhi.route');
  sessionStorage.removeItem('nhi.route');
  if (route && !location.hash) {
    history.replaceState(null, '', consoleUrl + route);
  }
  const token = keycloak.tokenParsed;
  const realmRoles = token.realm_access?.roles ?? [];
  const managementRoles = token.resource_access?.['realm-management']?.roles ?? [];
  const admin = realmRoles.includes('nhi-admin') || managementRoles.includes('realm-admin');
  return {
    id: token.sub,
    username: token.preferred_username ?? token.sub,
    admin,
    reader: admin || realmRoles.includes('nhi-auditor'),
  };
}

export function logout() {
  return keycloak.logout({ redirectUri: consoleUrl });
}

/** One admin API call below /admin/realms/{realm}/nhi; answers the parsed body, or throws an ApiError with a message for people. */
export async function api(method, pathAndQuery, body) {
  return (await call(method, pathAndQuery, body)).data;
}

/** A GET of the evidence export: its JSON Lines, and whether it stopped before the end (X-NHI-Truncated). */
export async function exportPage(pathAndQuery) {
  const { response, data } = await call('GET', pathAndQuery);
  return { text: String(data), truncated: response.headers.get('X-NHI-Truncated') === 'true' };
}

async function call(method, pathAndQuery, body) {
  try {
    await keycloak.updateToken(30);
  } catch {
    throw new ApiError(401, 'Your session has ended. Reload the page to log in again.');
  }
  let response;
  try {
    response = await fetch(`${authBase}/admin/realms/${encodeURIComponent(realm)}/nhi${pathAndQuery}`, {
      method,
      headers: { Authorization: `Bearer ${keycloak.token}`, Accept: 'application/json, application/x-ndjson',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let data = text;
  if ((response.headers.get('Content-Type') ?? '').includes('application/json') && text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, explain(response.status, data));
  }
  return { response, data };
}

function explain(status, data) {
  const detail = data && typeof data === 'object' ? (data.message ?? data.error_description ?? data.error) : null;
  const suffix = detail ? `: ${detail}` : '.';
  switch (status) {
    case 400: return `The input was refused${data?.field ? ` (${data.field})` : ''}${suffix}`;
    case 401: return 'You are not logged in any more. Reload the page to log in again.';
    case 403: return `You are not allowed to do this${suffix}`;
    case 404: return `Not found${suffix}`;
    case 409: return `Not possible in the current state${suffix}`;
    default: return `The server could not answer (HTTP ${status}). Try again later.`;
  }
}
