/** A live WebSocket connection of a signed-in user. */
export interface Connection {
  connectionId: string;
  userId: string;
  isAdmin: boolean;
}

/** The message pushed on every change of an order the connected user may see. */
export interface OrderStatusMessage {
  type: 'order.status';
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  statusReason?: string;
  occurredAt: string;
  correlationId: string;
}

export interface ConnectionRepository {
  add(tenantId: string, connection: Connection, expiresAt: Date): Promise<void>;
  remove(tenantId: string, userId: string, connectionId: string): Promise<void>;
  /** The connections of the order's owner and of the tenant's admins. */
  audience(tenantId: string, ownerId: string): Promise<Connection[]>;
}

/** Sends one message; `gone` when the connection no longer exists (the management API's 410). */
export interface ConnectionPusher {
  push(connectionId: string, message: OrderStatusMessage): Promise<'sent' | 'gone'>;
}
