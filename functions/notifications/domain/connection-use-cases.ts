import type { EventDetail } from '../../../events/envelope.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { ConnectionPusher, ConnectionRepository, OrderStatusMessage } from './connections-port.js';

/** API Gateway closes a WebSocket connection after two hours at most; the item outlives it a little. */
const connectionLifetimeMs = 2.5 * 60 * 60 * 1000;

export type OrderChangeEvent = EventDetail<{ orderId: string; userId: string; reason?: string }> & {
  detailType: 'OrderPlaced' | 'OrderConfirmed' | 'OrderCancelled';
};

const statusOf: Record<OrderChangeEvent['detailType'], OrderStatusMessage['status']> = {
  OrderPlaced: 'PENDING',
  OrderConfirmed: 'CONFIRMED',
  OrderCancelled: 'CANCELLED',
};

export function connectionUseCases(deps: {
  connections: ConnectionRepository;
  pusher: ConnectionPusher;
  now: () => Date;
}) {
  const { connections, pusher, now } = deps;
  return {
    connect(caller: Caller, connectionId: string): Promise<void> {
      const connection = { connectionId, userId: caller.userId, isAdmin: caller.roles.includes('admin') };
      return connections.add(caller.tenantId, connection, new Date(now().getTime() + connectionLifetimeMs));
    },

    disconnect(caller: Caller, connectionId: string): Promise<void> {
      return connections.remove(caller.tenantId, caller.userId, connectionId);
    },

    /**
     * Tells the order's owner and the tenant's admins, best effort and at least once; a gone
     * connection is forgotten. GET /notifications and the read models stay the record.
     */
    async pushOrderChange(event: OrderChangeEvent): Promise<void> {
      const { tenantId, occurredAt, correlationId } = event.metadata;
      const message: OrderStatusMessage = {
        type: 'order.status',
        orderId: event.data.orderId,
        status: statusOf[event.detailType],
        ...(event.data.reason ? { statusReason: event.data.reason } : {}),
        occurredAt,
        correlationId,
      };
      const audience = await connections.audience(tenantId, event.data.userId);
      await Promise.all(
        audience.map(async (connection) => {
          if ((await pusher.push(connection.connectionId, message)) === 'gone') {
            await connections.remove(tenantId, connection.userId, connection.connectionId);
          }
        }),
      );
    },
  };
}
