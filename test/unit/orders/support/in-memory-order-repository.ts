/**
 * The orders port in memory, with the DynamoDB adapter's semantics: the order, its event and the
 * idempotency record are written together or not at all; claims and settlements are conditional
 * on the stored order; lists are newest first with tenant- and partition-bound cursors.
 */
import type { IdempotencyRecord } from '../../../../functions/orders/domain/idempotency.js';
import {
  canClaim,
  canTakeOver,
  isSettleableBy,
  type Order,
} from '../../../../functions/orders/domain/order.js';
import type { OrderRepository, WriteContext } from '../../../../functions/orders/domain/orders-port.js';
import { BadRequestError } from '../../../../functions/shared/errors.js';
import { epochSeconds, RequestInProgressError } from '../../../../functions/shared/idempotency.js';

export interface RecordedEvent {
  tenantId: string;
  correlationId: string;
  detailType: 'OrderPlaced' | 'OrderConfirmed' | 'OrderCancelled';
  order: Order;
  /** The token placing the order kept on the order item. */
  paymentToken?: string;
}

export interface InMemoryOrderRepository extends OrderRepository {
  readonly events: RecordedEvent[];
  /** `<tenant>/<userId>/<key>` of records a concurrent request is writing: place() then fails as DynamoDB would. */
  readonly keysInFlight: Set<string>;
  /** Runs between a settle's read and its conditional write, to stage a racing writer. */
  beforeSettle?: () => Promise<void>;
  /** Stores an order as is, bypassing every rule (test setup). */
  seed(tenantId: string, order: Order): void;
  stored(tenantId: string, orderId: string): Order | undefined;
}

const copy = <T>(value: T): T => structuredClone(value);

interface Cursor {
  tenantId: string;
  partition: string;
  after: string;
}

function invalidCursor(): BadRequestError {
  return new BadRequestError('The cursor is not valid for this request.', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
}

function readCursor(cursor: string, tenantId: string, partition: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      decoded.tenantId === tenantId &&
      decoded.partition === partition &&
      typeof decoded.after === 'string'
    ) {
      return decoded.after;
    }
  } catch {
    // Falls through to the same 400 as a well-formed but foreign cursor.
  }
  throw invalidCursor();
}

export function inMemoryOrderRepository(): InMemoryOrderRepository {
  const orders = new Map<string, Order>();
  const records = new Map<string, IdempotencyRecord>();
  const orderKey = (tenantId: string, orderId: string) => `${tenantId}/${orderId}`;

  const repository: InMemoryOrderRepository = {
    events: [],
    keysInFlight: new Set(),

    seed(tenantId, order) {
      orders.set(orderKey(tenantId, order.orderId), copy(order));
    },

    stored(tenantId, orderId) {
      const order = orders.get(orderKey(tenantId, orderId));
      return order ? copy(order) : undefined;
    },

    async place(context: WriteContext, { order, paymentToken, idempotency }) {
      const { tenantId, correlationId } = context;
      if (idempotency) {
        const recordKey = `${tenantId}/${idempotency.userId}/${idempotency.key}`;
        if (repository.keysInFlight.has(recordKey)) throw new RequestInProgressError();
        const existing = records.get(recordKey);
        if (existing && existing.expiresAt >= epochSeconds(idempotency.createdAt)) {
          return { placed: false, keyInUse: copy(existing) };
        }
        records.set(recordKey, copy(idempotency));
      }
      orders.set(orderKey(tenantId, order.orderId), copy(order));
      repository.events.push({
        tenantId,
        correlationId,
        detailType: 'OrderPlaced',
        order: copy(order),
        paymentToken,
      });
      return { placed: true };
    },

    async get(tenantId, orderId) {
      return repository.stored(tenantId, orderId);
    },

    async list(tenantId, { limit, cursor, status, userId }) {
      const partition = userId === undefined ? tenantId : `${tenantId}/${userId}`;
      const after = cursor === undefined ? undefined : readCursor(cursor, tenantId, partition);
      const matching = [...orders.entries()]
        .filter(
          ([key, order]) =>
            key.startsWith(`${tenantId}/`) && (userId === undefined || order.userId === userId),
        )
        .map(([, order]) => order)
        .filter((order) => status === undefined || order.status === status)
        .sort((left, right) => (left.orderId < right.orderId ? 1 : -1))
        .filter((order) => after === undefined || order.orderId < after);
      const items = matching.slice(0, limit).map(copy);
      const last = items.at(-1);
      if (matching.length <= limit || !last) return { items };
      const next: Cursor = { tenantId, partition, after: last.orderId };
      return { items, nextCursor: Buffer.from(JSON.stringify(next)).toString('base64url') };
    },

    async claim(tenantId, orderId, executionId) {
      const order = orders.get(orderKey(tenantId, orderId));
      if (!order) return 'not-found';
      if (!canClaim(order, executionId)) return 'taken';
      order.claimedBy = executionId;
      return 'claimed';
    },

    async takeOver(tenantId, orderId, executionId, { now, nextSettleBy }) {
      const order = orders.get(orderKey(tenantId, orderId));
      if (!order) return 'not-found';
      if (!canTakeOver(order, executionId, now) || order.status !== 'PENDING') return 'taken';
      order.claimedBy = executionId;
      order.settleBy = nextSettleBy;
      return 'claimed';
    },

    async listDue(now, limit) {
      return [...orders.entries()]
        .flatMap(([key, order]) =>
          order.status === 'PENDING' && order.settleBy <= now.toISOString()
            ? [{ tenantId: key.slice(0, key.indexOf('/')), orderId: order.orderId, settleBy: order.settleBy }]
            : [],
        )
        .sort((left, right) => (left.settleBy < right.settleBy ? -1 : 1))
        .slice(0, limit)
        .map(({ tenantId, orderId }) => ({ tenantId, orderId, correlationId: `placed-${orderId}` }));
    },

    async settle({ tenantId, correlationId }, order) {
      await repository.beforeSettle?.();
      const stored = orders.get(orderKey(tenantId, order.orderId));
      if (!stored || !isSettleableBy(stored, order.claimedBy)) return false;
      orders.set(orderKey(tenantId, order.orderId), copy(order));
      repository.events.push({
        tenantId,
        correlationId,
        detailType: order.status === 'CONFIRMED' ? 'OrderConfirmed' : 'OrderCancelled',
        order: copy(order),
      });
      return true;
    },
  };
  return repository;
}
