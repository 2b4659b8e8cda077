/** A live WebSocket connection of a signed-in user. */
export interface Connection {
  connectionId: string;
  userId: string;
  isAdmin: boolean;
  /** When its token expires (at most API Gateway's two hours): a push after that ends it. */
  expiresAt: Date;
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
  /**
   * Records the connection in one of its user's `limit` slots, atomically: false when every slot
   * holds a connection that has not expired at `now`.
   */
  add(tenantId: string, connection: Connection, limit: number, now: Date): Promise<boolean>;
  remove(tenantId: string, connection: Omit<Connection, 'expiresAt'>): Promise<void>;
  /** The connections of the order's owner and of the tenant's admins, read by those two keys. */
  audience(tenantId: string, ownerId: string): Promise<Connection[]>;
}

/** The management API: `gone` when the connection no longer exists (its 410). */
export interface ConnectionPusher {
  push(connectionId: string, message: OrderStatusMessage): Promise<'sent' | 'gone'>;
  /** Ends the connection (DeleteConnection); one already gone is fine. */
  close(connectionId: string): Promise<void>;
}
