import WebSocket from 'ws';
import { baseUrl, call, mintToken } from './support/api-client.js';
import { eventually } from './support/eventually.js';
import { type PopulatedTenant, populatedTenant } from './support/tenant-fixture.js';

interface Push {
  type: string;
  orderId: string;
  status: string;
  statusReason?: string;
  occurredAt: string;
  correlationId: string;
}

const webSocketUrl = () => `${baseUrl().replace(/^http/, 'ws')}/ws`;

function connect(token: string): Promise<{ socket: WebSocket; pushes: Push[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${webSocketUrl()}?token=${encodeURIComponent(token)}`);
    const pushes: Push[] = [];
    socket.on('message', (data) => pushes.push(JSON.parse(data.toString())));
    socket.on('open', () => resolve({ socket, pushes }));
    socket.on('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', reject);
  });
}

let shop: PopulatedTenant;
let other: PopulatedTenant;

beforeAll(async () => {
  [shop, other] = await Promise.all([populatedTenant('ws'), populatedTenant('ws-other')]);
}, 60_000);

describe('WebSocket push', () => {
  it("pushes an order's status to its owner and the tenant's admins before the order is read, and to nobody else", async () => {
    const [owner, admin, stranger] = await Promise.all([
      connect(shop.member.token),
      connect(shop.admin.token),
      connect(other.admin.token),
    ]);
    try {
      const placed = await call<{ orderId: string }>('POST', '/orders', {
        token: shop.member.token,
        json: { items: [{ productId: shop.productIds[0], quantity: 1 }], paymentToken: 'tok_ok' },
      });
      const { orderId } = placed.body;

      const final = await eventually(
        () => owner.pushes.find((push) => push.orderId === orderId && push.status !== 'PENDING'),
        "the owner's push",
        { intervalMs: 20 },
      );
      const read = await call<{ status: string }>('GET', `/orders/${orderId}`, { token: shop.member.token });

      expect(final).toMatchObject({
        type: 'order.status',
        orderId,
        status: 'CONFIRMED',
        correlationId: expect.any(String),
      });
      expect(read.body.status).toBe(final.status);
      await eventually(
        () => admin.pushes.find((push) => push.orderId === orderId && push.status === 'CONFIRMED'),
        "the admin's push",
        { intervalMs: 20 },
      );
      expect(stranger.pushes.filter((push) => push.orderId === orderId)).toEqual([]);
    } finally {
      for (const { socket } of [owner, admin, stranger]) socket.close();
    }
  });

  it('refuses a connection without a valid token (401)', async () => {
    const expired = await mintToken({
      sub: shop.admin.userId,
      tenantId: shop.tenantId,
      roles: ['admin'],
      expiresInSeconds: -60,
    });

    await expect(connect('not-a-token')).rejects.toThrow('HTTP 401');
    await expect(connect(expired)).rejects.toThrow('HTTP 401');
  });
});

describe('WebSocket limits', () => {
  const memberToken = (sub: string, expiresInSeconds?: number) =>
    mintToken({
      sub,
      tenantId: shop.tenantId,
      roles: ['member'],
      ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
    });

  it("refuses a user's sixth open connection (429), and takes one again once one closes", async () => {
    const token = await memberToken(`ws-cap-${Date.now()}`);
    const open = [];
    try {
      for (let index = 0; index < 5; index += 1) open.push(await connect(token));

      await expect(connect(token)).rejects.toThrow('HTTP 429');

      open.shift()?.socket.close();
      const again = await eventually(
        () => connect(token).catch(() => undefined),
        'a connection after one closed',
        { intervalMs: 100 },
      );
      open.push(again);
    } finally {
      for (const { socket } of open) socket.close();
    }
  });

  it('ends a connection once its token expires: a later push closes it and sends nothing', async () => {
    const sub = shop.member.userId;
    const shortLived = await connect(await memberToken(sub, 3));
    const closed = new Promise<void>((resolve) => shortLived.socket.once('close', () => resolve()));
    const live = await connect(shop.member.token);
    try {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const placed = await call<{ orderId: string }>('POST', '/orders', {
        token: shop.member.token,
        json: { items: [{ productId: shop.productIds[0], quantity: 1 }], paymentToken: 'tok_ok' },
      });

      await eventually(
        () => live.pushes.find((push) => push.orderId === placed.body.orderId && push.status !== 'PENDING'),
        'the push to the live connection',
      );
      await closed;
      expect(shortLived.pushes.filter((push) => push.orderId === placed.body.orderId)).toEqual([]);
    } finally {
      live.socket.close();
      shortLived.socket.close();
    }
  });
});

describe('one correlation id', () => {
  it("is echoed by the API and carried to the order's WebSocket pushes", async () => {
    const owner = await connect(shop.member.token);
    try {
      const placed = await call<{ orderId: string }>('POST', '/orders', {
        token: shop.member.token,
        json: { items: [{ productId: shop.productIds[0], quantity: 1 }], paymentToken: 'tok_ok' },
        headers: { 'X-Correlation-Id': 'e2e-trace.42' },
      });

      expect(placed.headers.get('x-correlation-id')).toBe('e2e-trace.42');
      const pushes = await eventually(() => {
        const forOrder = owner.pushes.filter((push) => push.orderId === placed.body.orderId);
        return forOrder.some((push) => push.status !== 'PENDING') ? forOrder : undefined;
      }, 'the pushes of the order');
      expect(pushes.map((push) => push.correlationId)).toEqual(pushes.map(() => 'e2e-trace.42'));
    } finally {
      owner.socket.close();
    }
  });
});
