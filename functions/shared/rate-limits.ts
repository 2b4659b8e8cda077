/**
 * The contract's rate limits as plain data, and the one admission rule both stores use (DynamoDB
 * for users, tenants and source addresses; memory for the sandbox's stage throttle). No AWS SDK
 * import here: the CDK app and the sandbox read these numbers too.
 *
 * The rule is GCRA, a token bucket kept as one number: the "theoretical arrival time" (TAT) at
 * which the bucket would be full again. A request is admitted when the TAT is at most
 * `(burst - 1) * interval` ahead of now, and moves it one interval on.
 *
 * @example
 * const decision = admit(storedTat, Date.now(), contractRateLimits.user);
 */
import type { TableDefinition } from './service-definition.js';

/** `requests` per `perSeconds` on average, with up to `burst` at once from a rested bucket. */
export interface RateLimit {
  requests: number;
  perSeconds: number;
  burst: number;
}

export interface RateLimits {
  /** The whole stage (API Gateway's stage throttling in AWS). */
  stage: RateLimit;
  /** Each tenant across the REST API. */
  tenant: RateLimit;
  /** Each user across the REST API. */
  user: RateLimit;
  /** Each source address on a route that declares `limitedAsSignUp`. */
  sourceIp: RateLimit;
  /**
   * The whole stage, all addresses together, on a route that declares `limitedAsSignUp`: each
   * sign-up sends an email, and the user directory's daily email quota is the stage's.
   */
  signUp: RateLimit;
}

/** The platform's limits; the README's Rate limits section explains each. */
export const contractRateLimits: RateLimits = {
  stage: { requests: 1000, perSeconds: 1, burst: 2000 },
  tenant: { requests: 100, perSeconds: 1, burst: 200 },
  user: { requests: 10, perSeconds: 1, burst: 20 },
  sourceIp: { requests: 5, perSeconds: 60, burst: 5 },
  signUp: { requests: 100, perSeconds: 3600, burst: 100 },
};

/** Every limit's rate and burst multiplied by `factor` (the sandbox's load tests; never in AWS). */
export function scaledRateLimits(limits: RateLimits, factor: number): RateLimits {
  return Object.fromEntries(
    Object.entries(limits).map(([scope, limit]) => [
      scope,
      { ...limit, requests: limit.requests * factor, burst: limit.burst * factor },
    ]),
  ) as unknown as RateLimits;
}

/**
 * How HTTP functions learn where buckets live and which limits apply: the table name, and the
 * tenant, user and source-address limits as JSON. Unset means no limits (handler unit tests);
 * a cdk test proves every deployed route function has both.
 */
export const rateLimitVariables = { table: 'RATE_LIMIT_TABLE_NAME', limits: 'RATE_LIMITS' } as const;

/** Those variables' values, as CDK and the sandbox set them: the stage limit is the gateway's. */
export function rateLimitEnvironment(tableName: string, limits: RateLimits): Record<string, string> {
  const { tenant, user, sourceIp, signUp } = limits;
  return {
    [rateLimitVariables.table]: tableName,
    [rateLimitVariables.limits]: JSON.stringify({ tenant, user, sourceIp, signUp }),
  };
}

/** Buckets are single items that expire on their own; nothing queries them. */
export const rateLimitTable: TableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
};

export type Admission = { admitted: true; tat: number } | { admitted: false; retryAfterSeconds: number };

/** Milliseconds between requests at the average rate. */
export const intervalOf = (limit: RateLimit): number => (limit.perSeconds * 1000) / limit.requests;

/** GCRA: `tat` is the stored theoretical arrival time in epoch ms (undefined for a fresh bucket). */
export function admit(tat: number | undefined, now: number, limit: RateLimit): Admission {
  const interval = intervalOf(limit);
  const tolerance = (limit.burst - 1) * interval;
  const start = Math.max(tat ?? now, now);
  if (start - now > tolerance) {
    // Retry-After is whole seconds (RFC 9110); never 0, which would invite an immediate retry.
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((start - tolerance - now) / 1000)) };
  }
  return { admitted: true, tat: start + interval };
}

/** An in-memory bucket per key: the sandbox's stand-in for API Gateway's stage throttling. */
export function memoryRateLimiter(limit: RateLimit, clock: () => number = Date.now) {
  const tats = new Map<string, number>();
  return (key: string): Admission => {
    const decision = admit(tats.get(key), clock(), limit);
    if (decision.admitted) tats.set(key, decision.tat);
    return decision;
  };
}
