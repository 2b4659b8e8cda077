import { getIntrospectionQuery } from 'graphql';
import type { OrderView } from '../../../functions/reporting/domain/order-view.js';
import type { ProductView } from '../../../functions/reporting/domain/reporting-port.js';
import type { ReportingUseCases } from '../../../functions/reporting/domain/reporting-use-cases.js';
import {
  type GraphqlRequest,
  graphqlBody,
  graphqlExecutor,
} from '../../../functions/reporting/graphql/execute.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { BadRequestError } from '../../../functions/shared/errors.js';

const admin: Caller = { tenantId: 't1', userId: 'a1', roles: ['admin'] };
const member: Caller = { tenantId: 't1', userId: 'm1', roles: ['member'] };

const view = (orderId: string, userId: string, productIds: string[]): OrderView => ({
  orderId,
  userId,
  status: 'CONFIRMED',
  totalCents: 100,
  currency: 'EUR',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:01.000Z',
  items: productIds.map((productId) => ({ productId, quantity: 1, unitPriceCents: 50 })),
  invoice: { invoiceId: `inv-${orderId}`, amountCents: 100, currency: 'EUR', status: 'PAID' },
  history: [
    { status: 'PENDING', at: '2026-11-29T10:00:00.000Z' },
    { status: 'CONFIRMED', at: '2026-11-29T10:00:01.000Z' },
  ],
  appliedEventIds: [],
});

const views = [view('o1', 'm1', ['p1', 'p2']), view('o2', 'm1', ['p2', 'p3']), view('o3', 'other', ['p1'])];
const products: ProductView[] = ['p1', 'p2', 'p3'].map((productId) => ({
  productId,
  sku: `SKU-${productId}`,
  name: `Name ${productId}`,
  version: 1,
}));

let productBatches: string[][];

/** The use cases over fixed views, with the visibility rule of the real ones. */
const reporting = {
  orderView: async (caller: Caller, orderId: string) =>
    views.find(
      (v) => v.orderId === orderId && (caller.roles.includes('admin') || v.userId === caller.userId),
    ),
  orderViews: async (caller: Caller, query: { cursor?: string }) => {
    if (query.cursor === 'stolen') throw new BadRequestError('The cursor is not valid for this request.');
    return { items: views.filter((v) => caller.roles.includes('admin') || v.userId === caller.userId) };
  },
  productViews: async (_: string, productIds: readonly string[]) => {
    productBatches.push([...productIds]);
    return products.filter((product) => productIds.includes(product.productId));
  },
  salesReport: async () => [{ date: '2026-11-29', currency: 'EUR', orders: 3, revenueCents: 300 }],
} as unknown as ReportingUseCases;

const withRequestId =
  (executor: ReturnType<typeof graphqlExecutor>) =>
  (caller: Caller, request: Omit<GraphqlRequest, 'requestId'>) =>
    executor(caller, { ...request, requestId: 'req-1' });
const development = withRequestId(graphqlExecutor(reporting, { introspection: true }));
const production = withRequestId(graphqlExecutor(reporting, { introspection: false }));

beforeEach(() => {
  productBatches = [];
});

const codesOf = (body: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (body.errors ?? []).map((error) => error.extensions?.code);

describe('GraphQL over the read models', () => {
  it('reads every line of every order with one product batch, not one read per line', async () => {
    const result = await development(admin, {
      query:
        '{ orders { items { orderId items { productId sku name } invoice { status } history { status } } } }',
    });

    expect(result.statusCode).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(productBatches).toEqual([['p1', 'p2', 'p3']]);
    expect(JSON.stringify(result.body.data)).toContain('"name":"Name p3"');
  });

  it("shows a member their own orders only, and null for another user's order", async () => {
    const result = await development(member, {
      query:
        '{ mine: orders { items { orderId } } theirs: order(id: "o3") { orderId } own: order(id: "o1") { orderId } }',
    });

    expect(result.body.data).toEqual({
      mine: { items: [{ orderId: 'o1' }, { orderId: 'o2' }] },
      theirs: null,
      own: { orderId: 'o1' },
    });
  });

  it("answers a member's salesReport with FORBIDDEN and an admin's with the days", async () => {
    const query = '{ salesReport(from: "2026-11-01", to: "2026-11-30") { date orders } }';

    expect(codesOf((await development(member, { query })).body)).toEqual(['FORBIDDEN']);
    expect((await development(admin, { query })).body.data).toEqual({
      salesReport: [{ date: '2026-11-29', orders: 3 }],
    });
  });

  it.each([
    ['first out of range', '{ orders(first: 101) { nextCursor } }'],
    ['a stolen cursor', '{ orders(after: "stolen") { nextCursor } }'],
    ['a bad date range', '{ salesReport(from: "2026-12-01", to: "2026-11-01") { date } }'],
  ])('answers %s with BAD_USER_INPUT (200, executed)', async (_, query) => {
    const result = await development(admin, { query });

    expect(result.statusCode).toBe(200);
    expect(codesOf(result.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a document that does not parse or validate (400)', async () => {
    expect((await development(admin, { query: '{ orders { ' })).statusCode).toBe(400);
    expect((await development(admin, { query: '{ nothing }' })).statusCode).toBe(400);
  });

  it('allows exactly 6 levels, counted through fragments', async () => {
    const query = '{ orders { ...Page } } fragment Page on OrderConnection { items { items { sku } } }';

    const result = await development(admin, { query });

    expect(result.statusCode).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  it('refuses a query deeper than 6 levels with QUERY_TOO_COMPLEX before running it', async () => {
    const query = '{ orders { items { items { a { b { c { d } } } } } } }';

    const result = await development(admin, { query });

    expect(result.statusCode).toBe(400);
    expect(codesOf(result.body)).toContain('QUERY_TOO_COMPLEX');
  });

  it("answers graphql-js's standard introspection query (15 levels) in development, exempt from the limits", async () => {
    const result = await development(admin, { query: getIntrospectionQuery() });

    expect(result.statusCode).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(JSON.stringify(result.body.data)).toContain('"OrderConnection"');
    expect((await production(admin, { query: getIntrospectionQuery() })).statusCode).toBe(400);
  });

  it('refuses a document whose aliased connections may return over 10,000 objects, reading nothing', async () => {
    const page = 'orders(first: 100) { items { orderId items { productId sku } } }';
    const aliased = Array.from({ length: 50 }, (_, index) => `o${index}: ${page}`).join(' ');
    let reads = 0;
    const counting = withRequestId(
      graphqlExecutor(
        {
          ...reporting,
          orderViews: async (...args: Parameters<ReportingUseCases['orderViews']>) => {
            reads += 1;
            return reporting.orderViews(...args);
          },
        } as ReportingUseCases,
        { introspection: true },
      ),
    );

    const huge = await counting(admin, { query: `{ ${aliased} }` });
    const two = await counting(admin, { query: `{ a: ${page} b: ${page} }` });
    const one = await counting(admin, { query: `{ ${page} }` });

    expect([huge.statusCode, two.statusCode, one.statusCode]).toEqual([400, 400, 200]);
    expect(codesOf(huge.body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(two.body.errors?.[0]?.message).toBe('The query may return 10202 objects; the limit is 10000.');
    expect(reads).toBe(1);
  });

  it('counts a page size given as a variable', async () => {
    const query =
      'query ($n: Int) { a: orders(first: $n) { items { items { sku } } } b: orders(first: $n) { items { items { sku } } } }';

    expect((await development(admin, { query, variables: { n: 100 } })).statusCode).toBe(400);
    expect((await development(admin, { query, variables: { n: 10 } })).statusCode).toBe(200);
  });

  it('masks a failure that is not ours: a generic message, the request id, never the cause', async () => {
    const failing = withRequestId(
      graphqlExecutor(
        {
          ...reporting,
          orderView: async () => {
            throw new Error('Hash primary key values must be under 2048 bytes');
          },
        } as ReportingUseCases,
        { introspection: true },
      ),
    );

    const result = await failing(admin, { query: '{ order(id: "o1") { orderId } }' });

    expect(result.statusCode).toBe(200);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: 'The field could not be resolved. It has been logged; retry later.',
        path: ['order'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' },
      }),
    ]);
    expect(JSON.stringify(result.body)).not.toContain('2048');
  });

  it('answers an order id or a cursor out of its limits with BAD_USER_INPUT, reading nothing', async () => {
    for (const query of [
      `{ order(id: "${'x'.repeat(1100)}") { orderId } }`,
      '{ order(id: "o\\u0000") { orderId } }',
    ]) {
      const result = await development(admin, { query });

      expect(codesOf(result.body)).toEqual(['BAD_USER_INPUT']);
      expect(result.body.data).toEqual({ order: null });
    }
    const cursor = await development(admin, {
      query: `{ orders(after: "${'c'.repeat(2049)}") { nextCursor } }`,
    });
    expect(codesOf(cursor.body)).toEqual(['BAD_USER_INPUT']);
  });

  it("accepts a request's extensions, a map or null, and ignores them", () => {
    for (const extensions of [{ persistedQuery: { version: 1 } }, null]) {
      expect(graphqlBody.safeParse({ query: '{ me { userId } }', extensions }).success).toBe(true);
    }
    expect(graphqlBody.safeParse({ query: '{ me { userId } }', extensions: 'yes' }).success).toBe(false);
  });

  it('refuses more than 50 root fields, more than 50 aliases, and a document over 16 KiB', async () => {
    // The same field 51 times merges into one result, but still asks for 51 root selections.
    const rootFields = Array.from({ length: 51 }, () => 'me { userId }').join(' ');
    const nestedAliases = Array.from({ length: 51 }, (_, index) => `a${index}: userId`).join(' ');
    const huge = `{ me { userId } }${' '.repeat(16 * 1024)}`;

    for (const query of [`{ ${rootFields} }`, `{ me { ${nestedAliases} } }`, huge]) {
      const result = await development(admin, { query });
      expect(result.statusCode).toBe(400);
      expect(codesOf(result.body)).toEqual(['QUERY_TOO_COMPLEX']);
    }
    expect(productBatches).toEqual([]);
  });

  it('answers introspection in development and refuses it in production', async () => {
    const query = '{ __schema { queryType { name } } }';

    expect((await development(admin, { query })).body.data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect((await production(admin, { query })).statusCode).toBe(400);
  });
});
