import { call } from './support/api-client.js';
import {
  notificationsOf,
  type PopulatedTenant,
  populatedTenant,
  settledOrder,
} from './support/tenant-fixture.js';

interface Notification {
  notificationId: string;
  type: 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';
  orderId: string;
  message: string;
  createdAt: string;
}

let shop: PopulatedTenant;
let other: PopulatedTenant;

beforeAll(async () => {
  [shop, other] = await Promise.all([populatedTenant('inbox'), populatedTenant('inbox-other')]);
}, 60_000);

describe('GET /notifications', () => {
  it('tells the owner of each settled order, newest first, and only the owner', async () => {
    const declined = await call<{ orderId: string }>('POST', '/orders', {
      token: shop.member.token,
      json: { items: [{ productId: shop.productIds[0], quantity: 1 }], paymentToken: 'tok_declined' },
    });
    await settledOrder(shop.member.token, declined.body.orderId);

    const items = (await notificationsOf(shop.member.token, 3)) as Notification[];

    // Newest first by when each order settled: the declined order settled after the other two.
    expect(items.map((item) => item.notificationId)).toEqual(
      items
        .map((item) => item.notificationId)
        .sort()
        .reverse(),
    );
    expect(items[0]).toMatchObject({ orderId: declined.body.orderId, type: 'ORDER_CANCELLED' });
    expect(
      items
        .slice(1)
        .map((item) => [item.orderId, item.type])
        .sort(),
    ).toEqual([...shop.orderIds].sort().map((orderId) => [orderId, 'ORDER_CONFIRMED']));
    expect(items[0]?.message).toContain('the payment was declined');
    const adminInbox = await call<{ items: Notification[] }>('GET', '/notifications', {
      token: shop.admin.token,
    });
    expect(adminInbox.body.items).toEqual([]);
    const otherInbox = await call<{ items: Notification[] }>('GET', '/notifications', {
      token: other.member.token,
    });
    expect(otherInbox.body.items.map((item) => item.orderId).sort()).toEqual([...other.orderIds].sort());
  });

  it('pages with a cursor and refuses a bad limit (400)', async () => {
    const first = await call<{ items: Notification[]; nextCursor: string }>('GET', '/notifications?limit=1', {
      token: other.member.token,
    });
    const second = await call<{ items: Notification[] }>(
      'GET',
      `/notifications?limit=1&cursor=${first.body.nextCursor}`,
      { token: other.member.token },
    );

    expect(first.body.items).toHaveLength(1);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.notificationId).not.toBe(first.body.items[0]?.notificationId);
    expect((await call('GET', '/notifications?limit=0', { token: other.member.token })).status).toBe(400);
  });
});
