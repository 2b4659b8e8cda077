import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderPlaced } from '../../../events/orders/order-placed.js';
import {
  connectionUseCases,
  type OrderChangeEvent,
} from '../../../functions/notifications/domain/connection-use-cases.js';
import type {
  Connection,
  ConnectionRepository,
  OrderStatusMessage,
} from '../../../functions/notifications/domain/connections-port.js';

const metadata = {
  eventId: 'e1',
  eventVersion: 1,
  tenantId: 't1',
  correlationId: 'corr-9',
  occurredAt: '2026-11-29T10:00:00.000Z',
};

const now = new Date('2026-11-29T10:00:00.000Z');
const inAnHour = new Date('2026-11-29T11:00:00.000Z');

/** The repository's rules in memory: a user holds at most `limit` live connections. */
function setup(gone: string[] = []) {
  const stored = new Map<string, Connection & { tenantId: string }>();
  const repository: ConnectionRepository = {
    add: async (tenantId, connection, limit, at) => {
      const live = [...stored.values()].filter(
        (held) => held.tenantId === tenantId && held.userId === connection.userId && held.expiresAt > at,
      );
      if (live.length >= limit) return false;
      stored.set(connection.connectionId, { ...connection, tenantId });
      return true;
    },
    remove: async (_, connection) => void stored.delete(connection.connectionId),
    audience: async (tenantId, ownerId) =>
      [...stored.values()].filter((c) => c.tenantId === tenantId && (c.userId === ownerId || c.isAdmin)),
  };
  const pushed: [string, OrderStatusMessage][] = [];
  const closed: string[] = [];
  const useCases = connectionUseCases({
    connections: repository,
    pusher: {
      push: async (connectionId, message) => {
        if (gone.includes(connectionId)) return 'gone';
        pushed.push([connectionId, message]);
        return 'sent';
      },
      close: async (connectionId) => void closed.push(connectionId),
    },
    now: () => now,
  });
  return { stored, pushed, closed, useCases };
}

describe('WebSocket pushes', () => {
  it("tells the order's owner and the tenant's admins, nobody else, with the status and correlation id", async () => {
    const { pushed, useCases } = setup();
    await useCases.connect(
      { tenantId: 't1', userId: orderPlaced.sample.userId, roles: ['member'] },
      'owner',
      inAnHour,
    );
    await useCases.connect({ tenantId: 't1', userId: 'boss', roles: ['admin'] }, 'admin', inAnHour);
    await useCases.connect({ tenantId: 't1', userId: 'colleague', roles: ['member'] }, 'colleague', inAnHour);
    await useCases.connect({ tenantId: 't2', userId: 'stranger', roles: ['admin'] }, 'stranger', inAnHour);

    await useCases.pushOrderChange({
      detailType: 'OrderCancelled',
      metadata,
      data: orderCancelled.sample,
    } as OrderChangeEvent);

    expect(pushed.map(([connectionId]) => connectionId).sort()).toEqual(['admin', 'owner']);
    expect(pushed[0]?.[1]).toEqual({
      type: 'order.status',
      orderId: orderCancelled.sample.orderId,
      status: 'CANCELLED',
      statusReason: orderCancelled.sample.reason,
      occurredAt: metadata.occurredAt,
      correlationId: 'corr-9',
    });
  });

  it('forgets a connection the management API says is gone (410)', async () => {
    const { stored, useCases } = setup(['stale']);
    await useCases.connect(
      { tenantId: 't1', userId: orderPlaced.sample.userId, roles: ['member'] },
      'stale',
      inAnHour,
    );

    await useCases.pushOrderChange({
      detailType: 'OrderPlaced',
      metadata,
      data: orderPlaced.sample,
    } as OrderChangeEvent);

    expect(stored.size).toBe(0);
  });

  it('keeps a connection as long as its token, at most the two hours API Gateway allows, and removes it on disconnect', async () => {
    const { stored, useCases } = setup();
    const caller = { tenantId: 't1', userId: 'u1', roles: ['member' as const] };

    await useCases.connect(caller, 'short', inAnHour);
    await useCases.connect(caller, 'long', new Date('2026-11-30T10:00:00.000Z'));
    expect(stored.get('short')?.expiresAt).toEqual(inAnHour);
    expect(stored.get('long')?.expiresAt.toISOString()).toBe('2026-11-29T12:00:00.000Z');

    await useCases.disconnect(caller, 'short');
    expect([...stored.keys()]).toEqual(['long']);
  });

  it('refuses a sixth open connection of one user, and not another user', async () => {
    const { useCases } = setup();
    const caller = { tenantId: 't1', userId: 'u1', roles: ['member' as const] };

    const outcomes = [];
    for (let index = 0; index < 6; index += 1)
      outcomes.push(await useCases.connect(caller, `c${index}`, inAnHour));
    const other = await useCases.connect({ ...caller, userId: 'u2' }, 'other', inAnHour);

    expect(outcomes).toEqual([...Array(5).fill('connected'), 'refused']);
    expect(other).toBe('connected');
  });

  it('ends a connection whose token has expired instead of pushing to it', async () => {
    const { stored, pushed, closed, useCases } = setup();
    const owner = { tenantId: 't1', userId: orderPlaced.sample.userId, roles: ['member' as const] };
    await useCases.connect(owner, 'expired', new Date('2026-11-29T09:59:59.000Z'));
    await useCases.connect(owner, 'live', inAnHour);

    await useCases.pushOrderChange({
      detailType: 'OrderPlaced',
      metadata,
      data: orderPlaced.sample,
    } as OrderChangeEvent);

    expect(closed).toEqual(['expired']);
    expect(pushed.map(([connectionId]) => connectionId)).toEqual(['live']);
    expect([...stored.keys()]).toEqual(['live']);
  });
});
