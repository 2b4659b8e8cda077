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

function setup(gone: string[] = []) {
  const stored = new Map<string, Connection & { tenantId: string; expiresAt: Date }>();
  const repository: ConnectionRepository = {
    add: async (tenantId, connection, expiresAt) =>
      void stored.set(connection.connectionId, { ...connection, tenantId, expiresAt }),
    remove: async (_, __, connectionId) => void stored.delete(connectionId),
    audience: async (tenantId, ownerId) =>
      [...stored.values()].filter((c) => c.tenantId === tenantId && (c.userId === ownerId || c.isAdmin)),
  };
  const pushed: [string, OrderStatusMessage][] = [];
  const useCases = connectionUseCases({
    connections: repository,
    pusher: {
      push: async (connectionId, message) => {
        if (gone.includes(connectionId)) return 'gone';
        pushed.push([connectionId, message]);
        return 'sent';
      },
    },
    now: () => new Date('2026-11-29T10:00:00.000Z'),
  });
  return { stored, pushed, useCases };
}

describe('WebSocket pushes', () => {
  it("tells the order's owner and the tenant's admins, nobody else, with the status and correlation id", async () => {
    const { pushed, useCases } = setup();
    await useCases.connect({ tenantId: 't1', userId: orderPlaced.sample.userId, roles: ['member'] }, 'owner');
    await useCases.connect({ tenantId: 't1', userId: 'boss', roles: ['admin'] }, 'admin');
    await useCases.connect({ tenantId: 't1', userId: 'colleague', roles: ['member'] }, 'colleague');
    await useCases.connect({ tenantId: 't2', userId: 'stranger', roles: ['admin'] }, 'stranger');

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
    await useCases.connect({ tenantId: 't1', userId: orderPlaced.sample.userId, roles: ['member'] }, 'stale');

    await useCases.pushOrderChange({
      detailType: 'OrderPlaced',
      metadata,
      data: orderPlaced.sample,
    } as OrderChangeEvent);

    expect(stored.size).toBe(0);
  });

  it('stores a connection until shortly after API Gateway would close it, and removes it on disconnect', async () => {
    const { stored, useCases } = setup();
    const caller = { tenantId: 't1', userId: 'u1', roles: ['member' as const] };

    await useCases.connect(caller, 'c1');
    expect(stored.get('c1')?.expiresAt.toISOString()).toBe('2026-11-29T12:30:00.000Z');

    await useCases.disconnect(caller, 'c1');
    expect(stored.size).toBe(0);
  });
});
