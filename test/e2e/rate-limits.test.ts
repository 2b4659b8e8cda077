/**
 * The contract's rate limits, black box: a user's burst, and sign-ups per source address, where the
 * refused one provably writes nothing (its admin cannot sign in). Writes in general are too slow
 * in the sandbox (DynamoDB Local serializes them near 10 a second) to outrun a user's refill; the
 * handler factory's unit tests prove a refused request never reaches its handler. The shared sandbox runs with relaxed limits for the rest of the
 * suite, so this file starts one with the contract's own; against LocalStack or AWS
 * (E2E_BASE_URL) it runs on the deployment as it is.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type SpawnedSandbox, spawnSandbox } from '../support/spawn-sandbox.js';

let sandbox: SpawnedSandbox | undefined;
let baseUrl: string;
let tokenUrl: string;

beforeAll(async () => {
  if (process.env.E2E_RATE_LIMIT_SCALE) {
    sandbox = await spawnSandbox(join(__dirname, '..', '..'), { SANDBOX_RATE_LIMIT_SCALE: '1' });
    baseUrl = sandbox.url;
    tokenUrl = `${sandbox.url}/_dev/token`;
  } else {
    baseUrl = process.env.E2E_BASE_URL as string;
    tokenUrl = process.env.E2E_TOKEN_URL as string;
  }
});

afterAll(async () => {
  await sandbox?.stop();
});

async function token(claims: Record<string, unknown>): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

const user = (tenantId: string, roles: string[] = ['member']) =>
  token({ sub: `u-${randomUUID()}`, tenantId, roles });

const send = (method: string, path: string, options: { token?: string; json?: unknown } = {}) =>
  fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      'x-correlation-id': `rate-${randomUUID()}`,
    },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectRateLimitedProblem(response: Response): Promise<number> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('x-correlation-id')).toMatch(/^rate-/);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(await response.json()).toMatchObject({
    type: 'urn:serverless-saas:problem:rate-limited',
    title: 'Too Many Requests',
    status: 429,
  });
  return retryAfter;
}

describe('rate limits', () => {
  it("admits a user's burst of 20 and refuses the rest with Retry-After, while another user of the tenant is served", async () => {
    const tenantId = `t-${randomUUID()}`;
    const [busy, other] = await Promise.all([user(tenantId), user(tenantId)]);

    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => send('GET', '/products', { token: busy })),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const admitted = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status !== 200);

    // 20 at once, plus what 10 a second refill while the 30 are in flight.
    expect(admitted.length).toBeGreaterThanOrEqual(20);
    expect(admitted.length).toBeLessThanOrEqual(20 + Math.ceil(elapsedSeconds * 10));
    const waits = await Promise.all(refused.map(expectRateLimitedProblem));
    expect((await send('GET', '/products', { token: other })).status).toBe(200);

    await sleep(Math.max(...waits) * 1000);
    expect((await send('GET', '/products', { token: busy })).status).toBe(200);
  });

  it('lets 5 sign-ups a minute through from one address; the sixth is refused and creates no tenant', async () => {
    const signUp = (email: string) =>
      send('POST', '/tenants', { json: { name: 'Limited Ltd', adminEmail: email } });
    const emails = Array.from({ length: 6 }, () => `owner-${randomUUID()}@example.com`);

    const statuses: number[] = [];
    let last: Response | undefined;
    for (const email of emails) {
      last = await signUp(email);
      statuses.push(last.status);
      if (last.status === 429) break;
    }

    // A deployment shares the address's minute with the suite's other sign-ups; a sandbox of our own does not.
    if (sandbox) expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(statuses.filter((status) => status === 201).length).toBeLessThanOrEqual(5);
    const retryAfter = await expectRateLimitedProblem(last as Response);
    expect(retryAfter).toBeLessThanOrEqual(12);
    if (sandbox) {
      // The sandbox's issuer signs in only users the identity service created.
      await expect(token({ email: emails[5] })).rejects.toThrow(/answered 4\d\d/);
      await expect(token({ email: emails[4] })).resolves.toEqual(expect.any(String));
    }
  });
});
