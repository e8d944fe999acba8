/**
 * Reading `WWW-Authenticate` (RFC 9110 §11.6.1) to tell an expired or revoked access token
 * (RFC 6750 §3: `Bearer error="invalid_token"`) from other 401s.
 *
 * A tiny parser of our own: oauth4webapi 3.8.8 parses these challenges (its
 * `parseWwwAuthenticateChallenges`) but does not export the parser; it is reachable only by
 * sending the request through `protectedResourceRequest`, or by feeding a Response to a
 * `process*Response` function, which throws `WWWAuthenticateChallengeError` with the parsed
 * challenges. Integration responses are sent by src/core/integrations, not oauth4webapi, and
 * arrive as header pairs, so neither fits.
 */

/** An HTTP answer as Coffer holds it: a fetch Response, or the integrations' header pairs. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: Iterable<readonly [string, string]>;
}

/** One parsed challenge: its scheme (lower case) and auth-params (names lower case). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly parameters: Readonly<Record<string, string>>;
}

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const scheme = new RegExp(`^[\\s,]*(${token})(?=$|[\\s,])`);
const quotedParam = new RegExp(`^[\\s,]*(${token})\\s*=\\s*"((?:[^"\\\\]|\\\\[\\s\\S])*)"`);
const plainParam = new RegExp(`^[\\s,]*(${token})\\s*=\\s*(${token})(?=$|[\\s,])`);
const token68 = /^\s+([A-Za-z0-9\-._~+/]+=*)(?=$|[\s,])/;

/**
 * The challenges of one `WWW-Authenticate` value, in order; `[]` when it does not parse.
 * @example
 * parseChallenges('Basic realm="x", Bearer error="invalid_token"')[1]?.parameters.error; // 'invalid_token'
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let rest = header;
  while (rest.trim().replace(/^[\s,]+/, '') !== '') {
    const start = rest.match(scheme);
    if (!start) return [];
    rest = rest.slice(start[0].length);
    const parameters: Record<string, string> = {};
    let first = true;
    for (;;) {
      const quoted = rest.match(quotedParam);
      const plain = quoted ? null : rest.match(plainParam);
      const match = quoted ?? plain;
      if (match) {
        const value = quoted ? match[2]!.replace(/\\([\s\S])/g, '$1') : match[2]!;
        parameters[match[1]!.toLowerCase()] = value;
        rest = rest.slice(match[0].length);
        first = false;
        continue;
      }
      // A challenge carries either auth-params or one token68 (`Negotiate YII...==`), not both.
      const t68 = first ? rest.match(token68) : null;
      if (t68) rest = rest.slice(t68[0].length);
      break;
    }
    challenges.push({ scheme: start[1]!.toLowerCase(), parameters });
  }
  return challenges;
}

/**
 * True for a 401 whose `WWW-Authenticate` has a Bearer challenge with `error="invalid_token"`
 * (RFC 6750 §3.1: expired, revoked or malformed): get a new token and send the request once
 * more. False for any other answer, including a 401 without that challenge (wrong credentials:
 * a new token would not help).
 * @example
 * if (needsRetryAfter401(response)) await ensureAccessToken(deps, id, { rejected: token });
 */
export function needsRetryAfter401(response: ResponseLike): boolean {
  if (response.status !== 401) return false;
  for (const [name, value] of response.headers) {
    if (name.toLowerCase() !== 'www-authenticate') continue;
    for (const challenge of parseChallenges(value)) {
      if (challenge.scheme === 'bearer' && challenge.parameters.error === 'invalid_token') {
        return true;
      }
    }
  }
  return false;
}
