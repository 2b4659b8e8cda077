/**
 * Cross-origin rules, as plain data for the handlers, CDK and the sandbox alike. A stage names the
 * browser origins that may call it; every answer to one of those (errors included) carries
 * `Access-Control-Allow-Origin` with that origin and `Vary: Origin`, an origin not named gets no
 * CORS header, and nothing is ever `*`. Tokens travel as bearer headers, never cookies, so no answer
 * allows credentials.
 *
 * @example
 * const allowed = allowedOrigins(process.env[corsOriginsVariable]); // ['https://app.example.com']
 */

/** How route functions learn the stage's origins: comma-separated, unset when it allows none. */
export const corsOriginsVariable = 'CORS_ORIGINS';

/** What a browser may send besides the CORS-safelisted headers. */
export const corsRequestHeaders = [
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'x-correlation-id',
] as const;

/** What a page may read of an answer besides the safelisted response headers. */
export const corsExposedHeaders = [
  'X-Correlation-Id',
  'Retry-After',
  'Location',
  'Idempotent-Replayed',
  'ETag',
] as const;

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
export const corsMaxAgeSeconds = 600;

/**
 * What the sandbox allows unless `CORS_ORIGINS` says otherwise: a dev server on this machine, on
 * any port. A `*` stands for the characters between two dots, so it never spans a host's labels.
 */
export const sandboxCorsOrigins = ['http://localhost:*', 'http://127.0.0.1:*'] as const;

export function allowedOrigins(variable: string | undefined): string[] {
  return (variable ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * A deployed stage names exact origins: API Gateway's preflight compares them as strings, so a
 * pattern would pass the handlers and fail the preflight. Throws on anything else.
 */
export function assertExactOrigin(origin: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
    throw new Error(
      `"${origin}" is not an origin: give scheme, host and any port, as a browser sends it (https://app.example.com)`,
    );
  }
}

/**
 * Whether an origin is one of `allowed`, with `*` matching within one label (`http://localhost:*`).
 * Built once per list: the check runs on every request.
 */
export function originMatcher(allowed: readonly string[]): (origin: string | undefined) => boolean {
  const patterns = allowed.map(
    (pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^.]*')}$`),
  );
  return (origin) => origin !== undefined && patterns.some((pattern) => pattern.test(origin));
}

/** The headers every answer to an allowed origin carries (a preflight adds its own). */
export function corsResponseHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': corsExposedHeaders.join(', '),
    Vary: 'Origin',
  };
}

/** A preflight's answer for a path that takes `methods`. */
export function corsPreflightHeaders(origin: string, methods: readonly string[]): Record<string, string> {
  return {
    ...corsResponseHeaders(origin),
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': corsRequestHeaders.join(', '),
    'Access-Control-Max-Age': String(corsMaxAgeSeconds),
  };
}
