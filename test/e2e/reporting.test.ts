import { call } from './support/api-client.js';
import {
  type PopulatedTenant,
  populatedTenant,
  reportRange,
  salesReport,
  settledOrder,
} from './support/tenant-fixture.js';

let shop: PopulatedTenant;

beforeAll(async () => {
  shop = await populatedTenant('report');
}, 60_000);

describe('GET /reports/sales', () => {
  it('equals the sum of the confirmed orders, and a cancelled order adds nothing', async () => {
    const placed = [];
    for (const paymentToken of ['tok_ok', 'tok_declined', 'tok_ok']) {
      const order = await call<{ orderId: string }>('POST', '/orders', {
        token: shop.member.token,
        json: { items: [{ productId: shop.productIds[1], quantity: 2 }], paymentToken },
      });
      placed.push(order.body.orderId);
    }
    const settled = [];
    for (const orderId of placed)
      settled.push((await settledOrder(shop.member.token, orderId)) as { status: string });
    const orders = await call<{ items: { status: string; totalCents?: number; currency?: string }[] }>(
      'GET',
      '/orders?status=CONFIRMED&limit=100',
      { token: shop.admin.token },
    );
    const confirmed = orders.body.items;

    const days = await salesReport(shop.admin.token, confirmed.length);

    expect(settled.map((order) => order.status)).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED']);
    expect(days.reduce((sum, day) => sum + day.orders, 0)).toBe(confirmed.length);
    expect(days.reduce((sum, day) => sum + day.revenueCents, 0)).toBe(
      confirmed.reduce((sum, order) => sum + (order.totalCents ?? 0), 0),
    );
    expect(days.every((day) => day.currency === 'EUR')).toBe(true);
  });

  it.each([
    ['a range over 366 days', 'from=2025-01-01&to=2026-12-31'],
    ['a range that ends before it starts', 'from=2026-12-01&to=2026-11-01'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-01'],
    ['a missing bound', 'from=2026-11-01'],
  ])('refuses %s (400)', async (_, query) => {
    const response = await call('GET', `/reports/sales?${query}`, { token: shop.admin.token });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('is for admins only (403 for a member)', async () => {
    expect((await call('GET', `/reports/sales?${reportRange()}`, { token: shop.member.token })).status).toBe(
      403,
    );
  });
});
