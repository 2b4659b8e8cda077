import { call } from './support/api-client.js';
import { eventually } from './support/eventually.js';
import { type PopulatedTenant, populatedTenant } from './support/tenant-fixture.js';

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let shop: PopulatedTenant;
let other: PopulatedTenant;

const graphql = (token: string, query: string, variables?: Record<string, unknown>) =>
  call<GraphqlBody>('POST', '/graphql', { token, json: { query, ...(variables ? { variables } : {}) } });

/** The order view is built from events: wait until it shows the invoice. */
async function orderWithInvoice(token: string, orderId: string): Promise<GraphqlBody> {
  return eventually(async () => {
    const response = await graphql(
      token,
      'query Order($id: ID!) { order(id: $id) { orderId status totalCents currency items { productId sku name quantity unitPriceCents } invoice { invoiceId status amountCents } history { status at } } }',
      { id: orderId },
    );
    const order = response.body.data?.order as { invoice?: unknown } | null;
    return order?.invoice ? response.body : undefined;
  }, `the view of order ${orderId} with its invoice`);
}

beforeAll(async () => {
  [shop, other] = await Promise.all([populatedTenant('graphql'), populatedTenant('graphql-other')]);
}, 60_000);

describe('POST /graphql', () => {
  it('returns an order with its product names, invoice and history', async () => {
    const body = await orderWithInvoice(shop.member.token, shop.orderIds[0] as string);

    expect(body.errors).toBeUndefined();
    expect(body.data?.order).toMatchObject({
      orderId: shop.orderIds[0],
      status: 'CONFIRMED',
      currency: 'EUR',
      items: [
        { productId: shop.productIds[0], sku: 'graphql-MUG', name: 'MUG', quantity: 1, unitPriceCents: 1500 },
      ],
      invoice: { status: 'PAID', amountCents: 1500 },
      history: [{ status: 'PENDING' }, { status: 'CONFIRMED' }],
    });
  });

  it("answers null for another tenant's order, and lists only the caller's tenant", async () => {
    const response = await graphql(
      other.admin.token,
      `{ order(id: "${shop.orderIds[0]}") { orderId } orders(first: 100) { items { orderId } } }`,
    );

    expect(response.status).toBe(200);
    expect(response.body.data?.order).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain(shop.orderIds[1] as string);
  });

  it("answers a member's salesReport with FORBIDDEN", async () => {
    const response = await graphql(
      shop.member.token,
      '{ salesReport(from: "2026-01-01", to: "2026-12-31") { date } }',
    );

    expect(response.status).toBe(200);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a document that may return over 10,000 objects (400, QUERY_TOO_COMPLEX) and one that does not parse', async () => {
    const page = 'orders(first: 100) { items { orderId items { productId sku name } } }';
    const aliased = Array.from({ length: 50 }, (_, index) => `o${index}: ${page}`).join(' ');

    const costly = await graphql(shop.admin.token, `{ ${aliased} }`);
    const broken = await graphql(shop.admin.token, '{ orders { items ');

    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(broken.status).toBe(400);
    expect(broken.body.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  it('answers an oversized id and a forged cursor as BAD_USER_INPUT, with no text of DynamoDB', async () => {
    const forged = Buffer.from(
      JSON.stringify({ t: shop.tenantId, k: { PK: `T#${shop.tenantId}`, SK: 'ORDER#x', extra: 'y' } }),
    ).toString('base64url');

    const longId = await graphql(shop.admin.token, `{ order(id: "${'x'.repeat(1100)}") { orderId } }`);
    const cursor = await graphql(
      shop.admin.token,
      'query ($after: String) { orders(after: $after) { nextCursor } }',
      {
        after: forged,
      },
    );

    for (const response of [longId, cursor]) {
      expect(response.status).toBe(200);
      expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(response.body)).not.toMatch(/Exclusive Start Key|primary key|2048 bytes/i);
    }
  });
});
