import type { EventDetail } from '../../../events/envelope.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { ConnectionPusher, ConnectionRepository, OrderStatusMessage } from './connections-port.js';

/** API Gateway closes a WebSocket connection after two hours at most. */
const connectionLifetimeMs = 2 * 60 * 60 * 1000;

/** Open connections a user may hold at once; the next `$connect` is refused (429). */
const maxConnectionsPerUser = 5;

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
    /**
     * Records the connection until its token expires (at most two hours); `refused` when the user
     * already holds the most it may.
     */
    async connect(
      caller: Caller,
      connectionId: string,
      tokenExpiresAt: Date | undefined,
    ): Promise<'connected' | 'refused'> {
      const at = now();
      const closedByGateway = at.getTime() + connectionLifetimeMs;
      const connection = {
        connectionId,
        userId: caller.userId,
        isAdmin: caller.roles.includes('admin'),
        expiresAt: new Date(Math.min(tokenExpiresAt?.getTime() ?? closedByGateway, closedByGateway)),
      };
      const added = await connections.add(caller.tenantId, connection, maxConnectionsPerUser, at);
      return added ? 'connected' : 'refused';
    },

    disconnect(caller: Caller, connectionId: string): Promise<void> {
      return connections.remove(caller.tenantId, {
        connectionId,
        userId: caller.userId,
        isAdmin: caller.roles.includes('admin'),
      });
    },

    /**
     * Tells the order's owner and the tenant's admins, best effort and at least once; a gone
     * connection is forgotten, and one whose token has expired is ended and sent nothing.
     * GET /notifications and the read models stay the record.
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
      const at = now();
      await Promise.all(
        audience.map(async (connection) => {
          if (connection.expiresAt <= at) {
            await pusher.close(connection.connectionId);
            await connections.remove(tenantId, connection);
          } else if ((await pusher.push(connection.connectionId, message)) === 'gone') {
            await connections.remove(tenantId, connection);
          }
        }),
      );
    },
  };
}
