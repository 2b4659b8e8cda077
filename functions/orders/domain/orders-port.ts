import type { WriteContext } from '../../shared/outbox.js';
import type { Page } from '../../shared/pagination.js';
import type { IdempotencyRecord } from './idempotency.js';
import type { Order, OrderStatus, PendingOrder, SettledOrder } from './order.js';

export type { Page, WriteContext };

export interface OrderListOptions {
  limit: number;
  cursor?: string;
  status?: OrderStatus;
  /** Only this user's orders; without it, every order of the tenant. */
  userId?: string;
}

export interface Placement {
  order: PendingOrder;
  /**
   * Kept on the order item while it is PENDING, for billing's payment task to read; never in the
   * OrderPlaced event (see shared/order-payment-token.ts).
   */
  paymentToken: string;
  idempotency?: IdempotencyRecord;
}

/** `keyInUse`: the idempotency key already holds a record (returned); nothing was written. */
export type PlaceResult = { placed: true } | { placed: false; keyInUse: IdempotencyRecord };

/** `taken`: another execution holds the claim or the order is no longer PENDING. */
export type ClaimResult = 'claimed' | 'taken' | 'not-found';

/** An order left PENDING past its deadline, as the sweeper finds it. */
export interface DueOrder {
  tenantId: string;
  orderId: string;
  correlationId: string;
}

/** Starts the saga's sweep of one order (Step Functions in AWS, the local runner offline). */
export interface SweepStarter {
  startSweep(order: DueOrder): Promise<void>;
}

/** What the orders use cases need from storage. Adapters implement it. */
export interface OrderRepository {
  /**
   * Writes the order (with its payment token), its OrderPlaced event and the idempotency record
   * (if any) atomically. Fails
   * with RequestInProgressError when a concurrent request is writing the same idempotency key.
   */
  place(context: WriteContext, placement: Placement): Promise<PlaceResult>;
  get(tenantId: string, orderId: string): Promise<Order | undefined>;
  /** Newest first. */
  list(tenantId: string, options: OrderListOptions): Promise<Page<Order>>;
  /** Sets `claimedBy` if the stored order is claimable by the execution (see `canClaim`). */
  claim(tenantId: string, orderId: string, executionId: string): Promise<ClaimResult>;
  /**
   * Sets `claimedBy` and moves `settleBy` to `nextSettleBy` if the execution may take the order
   * over at `now` (see `canTakeOver`), so the next sweep leaves it alone while this one runs.
   */
  takeOver(
    tenantId: string,
    orderId: string,
    executionId: string,
    timing: { now: Date; nextSettleBy: string },
  ): Promise<ClaimResult>;
  /** PENDING orders whose `settleBy` is at or before `now`, oldest deadline first, at most `limit`. */
  listDue(now: Date, limit: number): Promise<DueOrder[]>;
  /**
   * Writes the settled order and its OrderConfirmed or OrderCancelled event only while the stored
   * order is PENDING and claimed by `order.claimedBy`; returns false otherwise.
   */
  settle(context: WriteContext, order: SettledOrder): Promise<boolean>;
}
