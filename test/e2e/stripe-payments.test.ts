/**
 * Billing's Stripe adapter end to end, offline: a sandbox of its own charges through a local fake
 * of Stripe's API (SANDBOX_PAYMENT_GATEWAY=stripe), with the adapter's secret key read from the
 * sandbox's Secrets Manager, as deployed. Against LocalStack or AWS (E2E_BASE_URL) the stage's own
 * gateway is whatever it configures, so this file runs offline only.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type SpawnedSandbox, spawnSandbox } from '../support/spawn-sandbox.js';
import { type Caller, callerFor } from './support/api-client.js';
import { eventually } from './support/eventually.js';

const describeOffline = process.env.E2E_OFFLINE ? describe : describe.skip;

let sandbox: SpawnedSandbox;
let api: Caller;
let token: string;

interface Order {
  orderId: string;
  status: string;
  statusReason?: string;
  totalCents?: number;
}

async function settledOrder(paymentToken: string, productId: string): Promise<Order> {
  const placed = await api<Order>('POST', '/orders', {
    token,
    json: { items: [{ productId, quantity: 2 }], paymentToken },
  });
  expect(placed.status).toBe(202);
  return eventually(
    async () => {
      const { body } = await api<Order>('GET', `/orders/${placed.body.orderId}`, { token });
      return body.status === 'PENDING' ? undefined : body;
    },
    `order ${placed.body.orderId} settled`,
    { timeoutMs: 20_000 },
  );
}

describeOffline('payments through Stripe (the sandbox with a fake of its API)', () => {
  let productId: string;

  beforeAll(async () => {
    sandbox = await spawnSandbox(join(__dirname, '..', '..'), {
      SANDBOX_PAYMENT_GATEWAY: 'stripe',
      SANDBOX_RATE_LIMIT_SCALE: '100',
    });
    api = callerFor(sandbox.url);
    const minted = await api<{ access_token: string }>('POST', '/_dev/token', {
      json: { sub: `u-${randomUUID()}`, tenantId: `t-${randomUUID()}`, roles: ['admin'] },
    });
    token = minted.body.access_token;
    const product = await api<{ productId: string }>('POST', '/products', {
      token,
      json: { sku: `SKU-${randomUUID()}`, name: 'Kettle', priceCents: 1250, currency: 'EUR', stock: 10 },
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
    const invoices = await api<{ items: { amountCents: number; status: string }[] }>(
      'GET',
      `/invoices?orderId=${order.orderId}`,
      { token },
    );
    expect(invoices.body.items).toEqual([expect.objectContaining({ amountCents: 2500, status: 'PAID' })]);
  });

  it.each([
    ['a card Stripe declines', 'pm_card_chargeDeclined'],
    ['a test-gateway token, which Stripe does not know', 'tok_ok'],
  ])('cancels an order paid with %s and gives its stock back', async (_, paymentToken) => {
    const stock = async () =>
      (await api<{ stock: number }>('GET', `/products/${productId}`, { token })).body.stock;
    const before = await stock();

    const order = await settledOrder(paymentToken, productId);

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'PAYMENT_DECLINED' });
    expect(await stock()).toBe(before);
  });
});
