import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../../functions/shared/dynamodb.js';
import type { RateLimitedError } from '../../../functions/shared/errors.js';
import { RateLimiter } from '../../../functions/shared/rate-limiter.js';
import { contractRateLimits, rateLimitTable } from '../../../functions/shared/rate-limits.js';
import { createTable } from '../../../sandbox/tables.js';

const client = new DynamoDBClient({});
const tableName = 'integration-rate-limits';
let now: number;
const limiter = new RateLimiter(tableName, contractRateLimits, () => now);

beforeAll(async () => {
  await createTable(client, tableName, rateLimitTable);
});

beforeEach(() => {
  // The test moves this clock itself, from the real time: DynamoDB Local deletes items whose TTL
  // has passed, so a fixed date would see its buckets vanish once the real clock passes it.
  now = Math.floor(Date.now() / 1000) * 1000;
});

afterAll(() => client.destroy());

const caller = (tenantId: string, userId = `u-${randomUUID()}`) => ({
  tenantId,
  userId,
  roles: ['member' as const],
});

async function admitted(
  attempts: Promise<RateLimitedError | undefined>[],
): Promise<{ admitted: number; refused: RateLimitedError[] }> {
  const refused = (await Promise.all(attempts)).filter((refusal) => refusal !== undefined);
  return { admitted: attempts.length - refused.length, refused };
}

describe('RateLimiter against DynamoDB Local', () => {
  it('admits exactly a burst of 20 concurrent requests per user, then 10 a second', async () => {
    const user = caller(`t-${randomUUID()}`);

    const burst = await admitted(Array.from({ length: 30 }, () => limiter.refusalFor(user)));
    expect(burst.admitted).toBe(20);
    expect(burst.refused).toHaveLength(10);
    expect(burst.refused[0]?.headers).toEqual({ 'Retry-After': '1' });
    expect(burst.refused[0]?.message).toMatch(/per-user/);

    now += 500;
    const afterHalfASecond = await admitted(Array.from({ length: 10 }, () => limiter.refusalFor(user)));
    expect(afterHalfASecond.admitted).toBe(5);
  });

  it('keeps users apart and holds their tenant to a burst of 200', async () => {
    const tenantId = `t-${randomUUID()}`;
    const users = Array.from({ length: 12 }, () => caller(tenantId));

    const attempts = users.flatMap((user) => Array.from({ length: 20 }, () => limiter.refusalFor(user)));
    const result = await admitted(attempts);

    expect(result.admitted).toBe(200);
    expect(result.refused.every((error) => /per-tenant/.test(error.message))).toBe(true);
    const otherTenant = await admitted([limiter.refusalFor(caller(`t-${randomUUID()}`))]);
    expect(otherTenant.admitted).toBe(1);
  });

  it('lets 5 sign-ups a minute through per address and says when the next one may come', async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    const signUp = () => limiter.refusalForSignUp('POST /tenants', address);

    const first = await admitted(Array.from({ length: 6 }, signUp));
    expect(first.admitted).toBe(5);
    expect(first.refused[0]?.headers).toEqual({ 'Retry-After': '12' });

    now += 11_000;
    expect((await admitted([signUp()])).admitted).toBe(0);
    now += 1_000;
    expect((await admitted([signUp()])).admitted).toBe(1);
    expect((await admitted([limiter.refusalForSignUp('POST /tenants', `${address}-other`)])).admitted).toBe(
      1,
    );
  });

  it("holds the stage's sign-ups to their own limit, across addresses", async () => {
    const stage = new RateLimiter(
      tableName,
      { ...contractRateLimits, signUp: { requests: 3, perSeconds: 3600, burst: 3 } },
      () => now,
    );
    const route = `POST /tenants-${randomUUID()}`;
    const messages: (string | undefined)[] = [];

    for (let attempt = 0; attempt < 6; attempt += 1) {
      messages.push((await stage.refusalForSignUp(route, `busy-${randomUUID()}`))?.message);
    }
    const fromAnother = await stage.refusalForSignUp(route, `other-${randomUUID()}`);

    expect(messages.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(messages.slice(3)).toEqual(Array(3).fill(expect.stringMatching(/per-stage sign-up/)));
    expect(fromAnother?.headers).toEqual({ 'Retry-After': '1200' });
  });

  it("spends none of the stage's sign-ups on a request its address was refused", async () => {
    const stage = new RateLimiter(
      tableName,
      { ...contractRateLimits, signUp: { requests: 6, perSeconds: 3600, burst: 6 } },
      () => now,
    );
    const route = `POST /tenants-${randomUUID()}`;
    const busyAddress = `busy-${randomUUID()}`;

    const fromOne = await admitted(
      Array.from({ length: 8 }, () => stage.refusalForSignUp(route, busyAddress)),
    );
    const fromAnother = await stage.refusalForSignUp(route, `other-${randomUUID()}`);

    expect(fromOne.admitted).toBe(5);
    expect(fromOne.refused.every((error) => /per-address/.test(error.message))).toBe(true);
    expect(fromAnother).toBeUndefined();
  });

  it('spends one write per bucket on each request of a user it keeps busy', async () => {
    let writes = 0;
    const counter = 'countRateLimitWrites';
    documentClient.middlewareStack.add(
      (next) => async (args) => {
        writes += 1;
        return next(args);
      },
      { step: 'initialize', name: counter },
    );
    const user = caller(`t-${randomUUID()}`);
    try {
      for (let request = 0; request < 10; request += 1) {
        expect(await limiter.refusalFor(user)).toBeUndefined();
      }
    } finally {
      documentClient.middlewareStack.remove(counter);
    }

    // Without remembering the buckets, every request after the first tried the rested write first: 38.
    expect(writes).toBe(20);
  });

  it('stores one small item per bucket, expiring a minute after the latest time it could be full again', async () => {
    const user = caller(`t-${randomUUID()}`);
    await limiter.refusalFor(user);

    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { PK: { S: `T#${user.tenantId}#RATE#USER#${user.userId}` }, SK: { S: 'BUCKET' } },
      }),
    );

    expect(Item).toEqual({
      PK: { S: `T#${user.tenantId}#RATE#USER#${user.userId}` },
      SK: { S: 'BUCKET' },
      tat: { N: String(now + 100) },
      expiresAt: { N: String(Math.ceil((now + 19 * 100 + 100) / 1000) + 60) },
    });
  });
});
