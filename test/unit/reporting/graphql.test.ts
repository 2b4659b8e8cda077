import type { OrderView } from '../../../functions/reporting/domain/order-view.js';
import type { ProductView } from '../../../functions/reporting/domain/reporting-port.js';
import type { ReportingUseCases } from '../../../functions/reporting/domain/reporting-use-cases.js';
import { graphqlExecutor } from '../../../functions/reporting/graphql/execute.js';
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

const development = graphqlExecutor(reporting, { introspection: true });
const production = graphqlExecutor(reporting, { introspection: false });

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
    const query =
      'query { __schema { ...Types } } fragment Types on __Schema { types { fields { type { ofType { name } } } } }';

    const result = await development(admin, { query });

    expect(result.statusCode).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  it('refuses a query deeper than 6 levels with QUERY_TOO_COMPLEX before running it', async () => {
    const query =
      'query { __schema { ...Types } } fragment Types on __Schema { types { fields { type { ofType { ofType { name } } } } } }';

    const result = await development(admin, { query });

    expect(result.statusCode).toBe(400);
    expect(codesOf(result.body)).toContain('QUERY_TOO_COMPLEX');
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
