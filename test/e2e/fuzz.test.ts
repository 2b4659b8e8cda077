/**
 * Property-based fuzzing of every declared write route with fast-check: random and near-valid
 * bodies, content types, query strings and headers. Whatever arrives, the API never answers 5xx,
 * every error is problem+json, and a request that fails writes nothing.
 */
import fc from 'fast-check';
import { services } from '../../functions/services.js';
import type { RouteDefinition } from '../../functions/shared/service-definition.js';
import { call } from './support/api-client.js';
import { type PopulatedTenant, populatedTenant, settledOrder } from './support/tenant-fixture.js';

const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 40);

const writeRoutes = services
  .flatMap((service) => Object.values(service.routes) as RouteDefinition[])
  .filter((route) => route.method !== 'GET');

/** A valid body per write route, which the fuzzer then mutates. */
const validBodies: Record<string, () => Record<string, unknown>> = {
  'POST /tenants': () => ({
    name: 'Fuzz shop',
    adminEmail: `fuzz-${Math.random().toString(36).slice(2)}@example.com`,
  }),
  'POST /users': () => ({ email: `fuzz-${Math.random().toString(36).slice(2)}@example.com`, role: 'member' }),
  // Takes no body: what the fuzzer sends is ignored, and its path names no user of the tenant.
  'DELETE /users/{userId}': () => ({}),
  'POST /products': () => ({
    sku: `FUZZ-${Math.random().toString(36).slice(2)}`,
    name: 'Fuzz',
    priceCents: 100,
    currency: 'EUR',
    stock: 3,
  }),
  'PATCH /products/{id}': () => ({ name: 'Fuzzed', priceCents: 200 }),
  'POST /orders': () => ({
    items: [{ productId: tenant.productIds[0], quantity: 1 }],
    paymentToken: 'tok_ok',
  }),
  'POST /graphql': () => ({
    query: `{ me { userId } orders(first: 5) { items { orderId items { name } } } order(id: "${tenant.orderIds[0]}") { status } }`,
  }),
};

let tenant: PopulatedTenant;

/** GraphQL over HTTP answers a document that does not parse or validate with its own `errors` body. */
const isGraphqlDocumentError = (key: string, response: { status: number; headers: Headers }) =>
  key === 'POST /graphql' &&
  response.status === 400 &&
  response.headers.get('content-type') === 'application/json';

/** The tenant's state once two reads 150 ms apart agree (events still in flight change it). */
async function quiescentState(timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let previous = await tenant.state();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const current = await tenant.state();
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    if (Date.now() > deadline) throw new Error(`the tenant's state kept changing for ${timeoutMs} ms`);
    previous = current;
  }
}

beforeAll(async () => {
  tenant = await populatedTenant('fuzz');
}, 60_000);

const validBody = (route: RouteDefinition) =>
  (validBodies[`${route.method} ${route.path}`] as () => Record<string, unknown>)();

/** Mostly absent: each optional part is present in one case of `1 + absentWeight`. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absentWeight = 3) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: absentWeight }, { arbitrary, weight: 1 });

const body = (route: RouteDefinition) =>
  fc.oneof(
    { arbitrary: fc.constant(null).map(() => JSON.stringify(validBody(route))), weight: 3 },
    {
      arbitrary: fc
        .record({
          drop: sometimes(fc.nat(10), 1),
          set: sometimes(fc.tuple(fc.nat(10), fc.jsonValue({ maxDepth: 2 })), 1),
          extra: sometimes(
            fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })),
          ),
        })
        .map(({ drop, set, extra }) => {
          const mutated = validBody(route);
          const keys = Object.keys(mutated);
          if (drop !== null) delete mutated[keys[drop % keys.length] as string];
          if (set !== null) mutated[keys[set[0] % keys.length] as string] = set[1];
          if (extra !== null) mutated[extra[0]] = extra[1];
          return JSON.stringify(mutated);
        }),
      weight: 4,
    },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );

const requestParts = (route: RouteDefinition) =>
  fc.record({
    body: body(route),
    contentType: fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 6 },
      {
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'application/problem+json',
          'text/plain',
          'application/x-www-form-urlencoded',
          undefined,
        ),
        weight: 2,
      },
    ),
    query: sometimes(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 2 }),
      6,
    ),
    idempotencyKey: sometimes(fc.string({ maxLength: 160 })),
    ifMatch: sometimes(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.nat(5).map((n) => `"${n}"`),
      ),
    ),
    pathId: sometimes(fc.string({ minLength: 1, maxLength: 80 })),
  });

describe.each(writeRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
  'fuzzing %s',
  (key, route) => {
    it(`never answers 5xx, answers every error as problem+json and writes nothing on a 4xx (${runsPerRoute} cases)`, async () => {
      let stateBefore = await tenant.state();
      await fc.assert(
        fc.asyncProperty(requestParts(route), async (parts) => {
          const headers: Record<string, string> = {};
          if (parts.contentType) headers['content-type'] = parts.contentType;
          if (parts.idempotencyKey !== null) headers['idempotency-key'] = parts.idempotencyKey;
          if (parts.ifMatch !== null) headers['if-match'] = parts.ifMatch;
          const path = route.path.replace(
            /\{[^}]+\}/,
            encodeURIComponent(parts.pathId ?? (tenant.productIds[1] as string)),
          );
          const query = parts.query ? `?${new URLSearchParams(parts.query)}` : '';
          const response = await call(route.method, `${path}${query}`, {
            ...(route.access === 'public' ? {} : { token: tenant.admin.token }),
            headers,
            ...(parts.body === undefined ? {} : { body: parts.body }),
          }).catch((error: unknown) => {
            // Header values fetch itself refuses (control characters) never reach the API.
            if (error instanceof TypeError) return undefined;
            throw error;
          });
          if (!response) return;

          expect(response.status).toBeLessThan(500);
          if (response.status < 400) {
            // An accepted order changes stock and status once its saga settles it, and the read
            // models after that: wait until the tenant's state stops changing.
            const { orderId } = response.body as { orderId?: string };
            if (orderId) await settledOrder(tenant.admin.token, orderId);
            stateBefore = await quiescentState();
            return;
          }
          if (isGraphqlDocumentError(key, response)) {
            expect(response.body).toEqual({
              errors: expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
            });
          } else {
            expect(response.headers.get('content-type')).toBe('application/problem+json');
            expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
          }
          expect(await tenant.state()).toEqual(stateBefore);
          if (key === 'POST /tenants' && parts.body !== undefined) {
            const email = (() => {
              try {
                return (JSON.parse(parts.body) as { adminEmail?: unknown }).adminEmail;
              } catch {
                return undefined;
              }
            })();
            if (typeof email === 'string') {
              const signIn = await call('POST', '/_dev/token', { json: { email } });
              expect(signIn.status).toBe(400);
            }
          }
        }),
        { numRuns: runsPerRoute },
      );
    });
  },
);
