/**
 * Billing's Stripe adapter end to end, offline: a sandbox of its own charges through a local fake
 * of Stripe's API (SANDBOX_PAYMENT_GATEWAY=stripe), with the adapter's secret key read from the
 * sandbox's Secrets Manager, as deployed. Against LocalStack or AWS (E2E_BASE_URL) the stage's own
 * gateway is whatever it configures, so this file runs offline only.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type SpawnedSandbox, spawnSandbox } from '../support/spawn-sandbox.js';

const describeOffline = process.env.E2E_OFFLINE ? describe : describe.skip;

let sandbox: SpawnedSandbox;
let admin: string;

async function token(tenantId: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: `u-${randomUUID()}`, tenantId, roles: ['admin'] }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function call<T>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

interface Order {
  orderId: string;
  status: string;
  statusReason?: string;
  totalCents?: number;
}

async function settledOrder(paymentToken: string, productId: string): Promise<Order> {
  const placed = await call<Order>('POST', '/orders', { items: [{ productId, quantity: 2 }], paymentToken });
  expect(placed.status).toBe(202);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await call<Order>('GET', `/orders/${placed.body.orderId}`);
    if (body.status !== 'PENDING') return body;
    if (Date.now() > deadline) throw new Error(`order ${placed.body.orderId} still PENDING`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeOffline('payments through Stripe (the sandbox with a fake of its API)', () => {
  let productId: string;

  beforeAll(async () => {
    sandbox = await spawnSandbox(join(__dirname, '..', '..'), {
      SANDBOX_PAYMENT_GATEWAY: 'stripe',
      SANDBOX_RATE_LIMIT_SCALE: '100',
    });
    admin = await token(`t-${randomUUID()}`);
    const product = await call<{ productId: string }>('POST', '/products', {
      sku: `SKU-${randomUUID()}`,
      name: 'Kettle',
      priceCents: 1250,
      currency: 'EUR',
      stock: 10,
    });
    expect(product.status).toBe(201);
    productId = product.body.productId;
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("confirms an order paid with Stripe's test card and invoices its total", async () => {
    const order = await settledOrder('pm_card_visa', productId);

    expect(order).toMatchObject({ status: 'CONFIRMED', totalCents: 2500 });
    const invoices = await call<{ items: { amountCents: number; status: string }[] }>(
      'GET',
      `/invoices?orderId=${order.orderId}`,
    );
    expect(invoices.body.items).toEqual([expect.objectContaining({ amountCents: 2500, status: 'PAID' })]);
  });

  it.each([
    ['a card Stripe declines', 'pm_card_chargeDeclined'],
    ['a test-gateway token, which Stripe does not know', 'tok_ok'],
  ])('cancels an order paid with %s and gives its stock back', async (_, paymentToken) => {
    const before = (await call<{ stock: number }>('GET', `/products/${productId}`)).body.stock;

    const order = await settledOrder(paymentToken, productId);

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'PAYMENT_DECLINED' });
    expect((await call<{ stock: number }>('GET', `/products/${productId}`)).body.stock).toBe(before);
  });
});
