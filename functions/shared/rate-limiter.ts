/**
 * Per-user, per-tenant and per-source-address limits, kept in one DynamoDB item per bucket and
 * checked by the handler factory on every request, before anything is read or written. They run
 * in the handler, not the authorizer, because API Gateway caches the authorizer's answer per token:
 * a limit there would stop counting while the cache holds.
 *
 * One conditional UpdateItem admits a request: it resets a rested bucket, or advances a busy one
 * within its burst. Which of the two to try comes from what this function instance last saw of the
 * bucket; a wrong guess fails its condition, returns the bucket as it is, and costs a second write.
 * A bucket it last saw past its burst is refused without a write.
 *
 * @example
 * const refused = await rateLimiter?.refusalFor(caller); // undefined when admitted
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Caller } from './auth/caller.js';
import { documentClient, isConditionFailure } from './dynamodb.js';
import { RateLimitedError } from './errors.js';
import { logger } from './powertools.js';
import { admit, intervalOf, type RateLimit, type RateLimits, rateLimitVariables } from './rate-limits.js';
import { tenantPartition } from './tenant-keys.js';

/** Writes racing at a bucket's rested edge alternate between the rested and the busy case. */
const maxAttempts = 4;

/** Beyond this many buckets the remembered arrival times start over: forgetting costs one write. */
const maxRememberedBuckets = 10_000;

type Limits = Omit<RateLimits, 'stage'>;

const positive = z.number().check(z.positive());
const limitSchema = z.object({ requests: positive, perSeconds: positive, burst: positive });
const limitsSchema = z.object({
  tenant: limitSchema,
  user: limitSchema,
  sourceIp: limitSchema,
  signUp: limitSchema,
});

export class RateLimiter {
  /**
   * Each bucket's theoretical arrival time as this instance last wrote or read it. A bucket's
   * time never goes back (a reset only happens once it has passed, and moves it past now), so a
   * remembered time is a lower bound of the stored one: a refusal judged from it is right, and an
   * admission is still decided by the conditional write.
   */
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly tableName: string,
    private readonly limits: Limits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts the request against its user and its tenant: the refusal when either is spent. */
  refusalFor(caller: Caller): Promise<RateLimitedError | undefined> {
    const partition = tenantPartition(caller.tenantId);
    // In parallel: one round trip of latency. A tenant token taken for a refused user is not returned.
    return failingOpen(async () => {
      const [user, tenant] = await Promise.all([
        this.take(`${partition}#RATE#USER#${caller.userId}`, this.limits.user),
        this.take(`${partition}#RATE#TENANT`, this.limits.tenant),
      ]);
      if (user !== undefined) return new RateLimitedError('per-user', user);
      return tenant === undefined ? undefined : new RateLimitedError('per-tenant', tenant);
    });
  }

  /**
   * Counts a sign-up against its source address, then against the stage's sign-ups on that route:
   * the refusal when either is spent. An address over its own limit spends none of the stage's.
   */
  refusalForSignUp(route: string, sourceIp: string): Promise<RateLimitedError | undefined> {
    return failingOpen(async () => {
      const addressWait = await this.take(`RATE#SOURCE#${route}#${sourceIp}`, this.limits.sourceIp);
      if (addressWait !== undefined) return new RateLimitedError('per-address', addressWait);
      const stageWait = await this.take(`RATE#STAGE#${route}`, this.limits.signUp);
      return stageWait === undefined ? undefined : new RateLimitedError('per-stage sign-up', stageWait);
    });
  }

  /**
   * Undefined when admitted, else the seconds to wait. Each write is atomic on its own, so
   * concurrent requests never overwrite each other's tokens: a rested bucket is reset (its arrival
   * time is in the past), a busy one is advanced by one interval only while it stays within its
   * burst. A failed condition returns the bucket as it is, which says which case applies instead.
   */
  async take(key: string, limit: RateLimit): Promise<number | undefined> {
    const interval = intervalOf(limit);
    let seen = this.lastSeen.get(key);
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      // Read the clock per attempt: a request that waited (a busy event loop, a slow network)
      // must not judge the bucket by the time it started.
      const now = this.clock();
      const latest = now + (limit.burst - 1) * interval;
      // Expiry cannot read the stored time, so it takes the latest an admission can leave.
      const expiresAt = Math.ceil((latest + interval) / 1000) + 60;
      const decision = admit(seen, now, limit);
      if (!decision.admitted) return decision.retryAfterSeconds;
      const rested = seen === undefined || seen <= now;
      try {
        const { Attributes } = await documentClient.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { PK: key, SK: 'BUCKET' },
            ...(rested
              ? {
                  UpdateExpression: 'SET tat = :next, expiresAt = :expiresAt',
                  ConditionExpression: 'attribute_not_exists(tat) OR tat <= :now',
                  ExpressionAttributeValues: {
                    ':next': now + interval,
                    ':now': now,
                    ':expiresAt': expiresAt,
                  },
                }
              : {
                  UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
                  ConditionExpression: 'tat > :now AND tat <= :latest',
                  ExpressionAttributeValues: {
                    ':interval': interval,
                    ':now': now,
                    ':latest': latest,
                    ':expiresAt': expiresAt,
                  },
                }),
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        this.remember(key, Number(Attributes?.tat));
        return undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // No item: it expired in between, so the bucket is rested.
        const stored = error.Item?.tat?.N;
        seen = stored === undefined ? undefined : Number(stored);
        this.remember(key, seen);
      }
    }
    // Only a bucket hovering at its rested edge gets here (a full one is refused by admit above,
    // from what the last write saw): it has room, so the request is admitted.
    return undefined;
  }

  private remember(key: string, arrival: number | undefined): void {
    if (arrival === undefined || Number.isNaN(arrival)) {
      this.lastSeen.delete(key);
      return;
    }
    if (this.lastSeen.size >= maxRememberedBuckets) this.lastSeen.clear();
    this.lastSeen.set(key, arrival);
  }
}

/** The function's limiter, from its environment; undefined where none is configured. */
export function rateLimiterFromEnvironment(): RateLimiter | undefined {
  const tableName = process.env[rateLimitVariables.table];
  const limits = process.env[rateLimitVariables.limits];
  if (!tableName || !limits) return undefined;
  // A malformed value fails the cold start, not a request.
  return new RateLimiter(tableName, limitsSchema.parse(JSON.parse(limits)));
}

/**
 * A failing limit store lets requests through (logged): availability of the API matters more than
 * a momentarily unenforced limit, and the stage throttle in front still holds.
 */
async function failingOpen(
  check: () => Promise<RateLimitedError | undefined>,
): Promise<RateLimitedError | undefined> {
  try {
    return await check();
  } catch (error) {
    logger.warn(
      'rate limit store unavailable; request admitted',
      error instanceof Error ? error : String(error),
    );
    return undefined;
  }
}
