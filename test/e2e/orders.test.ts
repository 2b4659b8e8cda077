import { randomUUID } from 'node:crypto';
import { call, type Identity, newIdentity } from './support/api-client.js';

interface Order {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  statusReason?: string;
  items: { productId: string; quantity: number; unitPriceCents?: number }[];
  totalCents?: number;
  currency?: string;
  invoiceId?: string;
  createdAt: string;
  updatedAt: string;
}

interface Invoice {
  invoiceId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: 'PAID' | 'REFUNDED';
}

let admin: Identity;
let member: Identity;

async function createProduct(stock: number, priceCents = 1000, currency = 'EUR'): Promise<string> {
  const response = await call<{ productId: string }>('POST', '/products', {
    token: admin.token,
    json: { sku: `SKU-${randomUUID()}`, name: 'Teapot', priceCents, currency, stock },
  });
  expect(response.status).toBe(201);
  return response.body.productId;
}

async function stockOf(productId: string): Promise<number> {
  const response = await call<{ stock: number }>('GET', `/products/${productId}`, { token: admin.token });
  return response.body.stock;
}

async function placeOrder(
  identity: Identity,
  items: { productId: string; quantity: number }[],
  paymentToken = 'tok_ok',
): Promise<Order> {
  const response = await call<Order>('POST', '/orders', {
    token: identity.token,
    json: { items, paymentToken },
  });
  expect(response.status).toBe(202);
  expect(response.headers.get('location')).toBe(`/orders/${response.body.orderId}`);
  return response.body;
}

/** Polls the order until the saga has settled it; the saga runs asynchronously after the 202. */
async function settled(identity: Identity, orderId: string, timeoutMs = 20_000): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await call<Order>('GET', `/orders/${orderId}`, { token: identity.token });
    expect(response.status).toBe(200);
    if (response.body.status !== 'PENDING') return response.body;
    if (Date.now() > deadline) throw new Error(`order ${orderId} still PENDING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function invoicesOf(orderId: string): Promise<Invoice[]> {
  const response = await call<{ items: Invoice[] }>('GET', `/invoices?orderId=${orderId}`, {
    token: admin.token,
  });
  expect(response.status).toBe(200);
  return response.body.items;
}

beforeAll(async () => {
  admin = await newIdentity('admin');
  member = await newIdentity('member', admin.tenantId);
});

describe('the order saga over HTTP', () => {
  it('confirms a paid order, prices it and invoices it', async () => {
    const productId = await createProduct(5, 1250);

    const placed = await placeOrder(member, [{ productId, quantity: 2 }]);
    const order = await settled(member, placed.orderId);

    expect(placed.status).toBe('PENDING');
    expect(order).toMatchObject({
      status: 'CONFIRMED',
      items: [{ productId, quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
      invoiceId: expect.any(String),
    });
    expect(await stockOf(productId)).toBe(3);
    expect(await invoicesOf(order.orderId)).toEqual([
      expect.objectContaining({
        invoiceId: order.invoiceId,
        amountCents: 2500,
        currency: 'EUR',
        status: 'PAID',
      }),
    ]);
  });

  it('confirms after a transient payment failure (tok_flaky)', async () => {
    const productId = await createProduct(5);

    const order = await settled(
      member,
      (await placeOrder(member, [{ productId, quantity: 1 }], 'tok_flaky')).orderId,
    );

    expect(order.status).toBe('CONFIRMED');
    expect(await stockOf(productId)).toBe(4);
  });

  it.each([
    ['tok_declined', 'PAYMENT_DECLINED'],
    ['tok_unknown', 'PAYMENT_DECLINED'],
    ['tok_down', 'PAYMENT_UNAVAILABLE'],
  ])('cancels with %s, releases the stock and charges nothing', async (paymentToken, reason) => {
    const productId = await createProduct(5);

    const order = await settled(
      member,
      (await placeOrder(member, [{ productId, quantity: 2 }], paymentToken)).orderId,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: reason });
    expect(await stockOf(productId)).toBe(5);
    expect((await invoicesOf(order.orderId)).filter((invoice) => invoice.status === 'PAID')).toEqual([]);
  });

  it('cancels an order for an unknown product (PRODUCT_NOT_FOUND)', async () => {
    const order = await settled(
      member,
      (await placeOrder(member, [{ productId: '01JNOSUCHPRODUCT0000000000', quantity: 1 }])).orderId,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'PRODUCT_NOT_FOUND' });
  });

  it('cancels an order beyond the stock (OUT_OF_STOCK) and reserves none of it', async () => {
    const plenty = await createProduct(10);
    const scarce = await createProduct(1);

    const order = await settled(
      member,
      (
        await placeOrder(member, [
          { productId: plenty, quantity: 2 },
          { productId: scarce, quantity: 2 },
        ])
      ).orderId,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'OUT_OF_STOCK' });
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([10, 1]);
  });

  it('cancels an order mixing currencies (CURRENCY_MISMATCH)', async () => {
    const euros = await createProduct(3, 100, 'EUR');
    const dollars = await createProduct(3, 100, 'USD');

    const order = await settled(
      member,
      (
        await placeOrder(member, [
          { productId: euros, quantity: 1 },
          { productId: dollars, quantity: 1 },
        ])
      ).orderId,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'CURRENCY_MISMATCH' });
    expect([await stockOf(euros), await stockOf(dollars)]).toEqual([3, 3]);
  });

  it('confirms exactly 3 of 6 concurrent orders against a stock of 3', async () => {
    const productId = await createProduct(3);

    const placed = await Promise.all(
      Array.from({ length: 6 }, () => placeOrder(member, [{ productId, quantity: 1 }])),
    );
    const orders = await Promise.all(placed.map((order) => settled(member, order.orderId)));

    expect(orders.filter((order) => order.status === 'CONFIRMED')).toHaveLength(3);
    expect(orders.filter((order) => order.statusReason === 'OUT_OF_STOCK')).toHaveLength(3);
    expect(await stockOf(productId)).toBe(0);
  });
});

describe('POST /orders', () => {
  it('returns the first response for a repeated Idempotency-Key and creates one order', async () => {
    const productId = await createProduct(5);
    const key = randomUUID();
    const body = { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' };

    const first = await call<Order>('POST', '/orders', {
      token: member.token,
      json: body,
      headers: { 'idempotency-key': key },
    });
    const second = await call<Order>('POST', '/orders', {
      token: member.token,
      json: body,
      headers: { 'idempotency-key': key },
    });
    await settled(member, first.body.orderId);

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(await stockOf(productId)).toBe(4);
  });

  it('rejects a reused Idempotency-Key with another body (422)', async () => {
    const productId = await createProduct(5);
    const key = randomUUID();
    await call('POST', '/orders', {
      token: member.token,
      json: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' },
      headers: { 'idempotency-key': key },
    });

    const reused = await call('POST', '/orders', {
      token: member.token,
      json: { items: [{ productId, quantity: 2 }], paymentToken: 'tok_ok' },
      headers: { 'idempotency-key': key },
    });

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each([
    ['no items', { items: [], paymentToken: 'tok_ok' }],
    ['quantity 0', { items: [{ productId: 'p', quantity: 0 }], paymentToken: 'tok_ok' }],
    ['quantity 1001', { items: [{ productId: 'p', quantity: 1001 }], paymentToken: 'tok_ok' }],
    ['an unknown field', { items: [{ productId: 'p', quantity: 1 }], paymentToken: 'tok_ok', coupon: 'X' }],
    ['no payment token', { items: [{ productId: 'p', quantity: 1 }] }],
  ])('rejects %s (400) and creates no order', async (_, body) => {
    const buyer = await newIdentity('member');

    const response = await call('POST', '/orders', { token: buyer.token, json: body });
    const list = await call<{ items: Order[] }>('GET', '/orders', { token: buyer.token });

    expect(response.status).toBe(400);
    expect(list.body.items).toEqual([]);
  });
});

describe('reading orders', () => {
  it("hides another member's order (404) but shows it to an admin", async () => {
    const productId = await createProduct(5);
    const order = await placeOrder(member, [{ productId, quantity: 1 }]);
    const otherMember = await newIdentity('member', admin.tenantId);

    const asOther = await call('GET', `/orders/${order.orderId}`, { token: otherMember.token });
    const asAdmin = await call<Order>('GET', `/orders/${order.orderId}`, { token: admin.token });

    expect(asOther.status).toBe(404);
    expect(asAdmin.status).toBe(200);
    await settled(member, order.orderId);
  });

  it("answers 404 for another tenant's order", async () => {
    const productId = await createProduct(5);
    const order = await placeOrder(member, [{ productId, quantity: 1 }]);
    const stranger = await newIdentity('admin');

    const response = await call('GET', `/orders/${order.orderId}`, { token: stranger.token });

    expect(response.status).toBe(404);
    await settled(member, order.orderId);
  });

  it('lists a member their own orders newest first, filtered by status', async () => {
    const buyer = await newIdentity('member', admin.tenantId);
    const productId = await createProduct(5);
    const first = await placeOrder(buyer, [{ productId, quantity: 1 }]);
    const second = await placeOrder(buyer, [{ productId, quantity: 1 }], 'tok_declined');
    await settled(buyer, first.orderId);
    await settled(buyer, second.orderId);

    const all = await call<{ items: Order[] }>('GET', '/orders', { token: buyer.token });
    const cancelled = await call<{ items: Order[] }>('GET', '/orders?status=CANCELLED', {
      token: buyer.token,
    });

    expect(all.body.items.map((order) => order.orderId)).toEqual([second.orderId, first.orderId]);
    expect(cancelled.body.items.map((order) => order.orderId)).toEqual([second.orderId]);
  });
});
