// The one function keycloak-js takes from the npm package jwt-decode: a JWT's payload, unverified
// (keycloak-js reads claims from tokens it just received from the server over TLS).
export function jwtDecode(token) {
  if (typeof token !== 'string') {
    throw new Error('the token must be a string');
  }
  const part = token.split('.')[1];
  if (!part) {
    throw new Error('the token has no payload');
  }
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}
