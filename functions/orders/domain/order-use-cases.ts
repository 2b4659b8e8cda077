import type {
  CancelOrderInput,
  ClaimOrderInput,
  ConfirmOrderInput,
  TakeOverOrderInput,
} from '../../../tasks/order-saga-tasks.js';
import type { Caller } from '../../shared/auth/caller.js';
import { NotFoundError } from '../../shared/errors.js';
import { IdempotencyKeyReusedError } from '../../shared/idempotency.js';
import { newIdempotencyRecord } from './idempotency.js';
import {
  type CancelledOrder,
  type ConfirmedOrder,
  cancelOrder,
  canView,
  confirmOrder,
  isAdmin,
  isSettledBy,
  newOrder,
  type Order,
  OrderNotCancellableError,
  OrderNotConfirmableError,
  type OrderStatus,
  type PlaceOrderInput,
  type SettledOrder,
  settlementDeadline,
} from './order.js';
import type { ClaimResult, OrderRepository, Page, SweepStarter } from './orders-port.js';

/** Reads of a settle: the first, and one more when the conditional write finds the order changed. */
const maxSettleAttempts = 2;

/** The order is accepted; the saga settles it asynchronously. */
export const orderAcceptedStatus = 202;

export interface PlaceOrderRequest {
  caller: Caller;
  correlationId: string;
  input: PlaceOrderInput;
  idempotencyKey?: string;
}

export interface PlaceOrderResult {
  order: Order;
  statusCode: number;
  /** True when an Idempotency-Key replay answered with the first request's order. */
  replayed: boolean;
}

export interface ListOrdersRequest {
  limit: number;
  cursor?: string;
  status?: OrderStatus;
}

export interface OrderDependencies {
  repository: OrderRepository;
  newId: () => string;
  now: () => Date;
  /**
   * How long an order may stay PENDING before the sweeper settles it: longer than an execution
   * can run (the ASL's TimeoutSeconds) plus the delay of its start.
   */
  settlementDeadlineSeconds: number;
  /** Needed by the sweeper only. */
  sweepStarter?: SweepStarter;
}

/** Orders one sweep starts at most; the rest wait for the next run. */
export const maxSweepsPerRun = 100;

type SettleStep = Pick<ConfirmOrderInput, 'tenantId' | 'orderId' | 'correlationId' | 'executionId'>;

export function orderUseCases({
  repository,
  newId,
  now,
  settlementDeadlineSeconds,
  sweepStarter,
}: OrderDependencies) {
  /**
   * Settles the order once, for the execution that claimed it. A retried task finds the order
   * already settled by its execution and succeeds without writing again; any other state fails
   * with the error `transition` throws, which the saga does not retry.
   */
  async function settle<Settled extends SettledOrder>(
    step: SettleStep,
    status: Settled['status'],
    transition: (order: Order) => Settled,
    NotSettleable: new (message: string) => Error,
  ): Promise<Order> {
    const { tenantId, orderId, correlationId, executionId } = step;
    for (let attempt = 1; attempt <= maxSettleAttempts; attempt += 1) {
      const current = await repository.get(tenantId, orderId);
      if (!current) throw new NotSettleable(`Order ${orderId} does not exist.`);
      if (isSettledBy(current, status, executionId)) return current;
      const next = transition(current);
      if (await repository.settle({ tenantId, correlationId }, next)) return next;
      // The order changed between the read and the conditional write (this execution's own
      // retry may have settled it): read it again to find out.
    }
    throw new NotSettleable(`Order ${orderId} kept changing while it was being settled.`);
  }

  return {
    async placeOrder({
      caller,
      correlationId,
      input,
      idempotencyKey,
    }: PlaceOrderRequest): Promise<PlaceOrderResult> {
      const createdAt = now();
      const order = newOrder(
        input,
        { orderId: newId(), userId: caller.userId },
        createdAt,
        settlementDeadlineSeconds,
      );
      const context = { tenantId: caller.tenantId, correlationId };
      const placement = { order, paymentToken: input.paymentToken };
      if (idempotencyKey === undefined) {
        await repository.place(context, placement);
        return { order, statusCode: orderAcceptedStatus, replayed: false };
      }

      const idempotency = newIdempotencyRecord(
        {
          userId: caller.userId,
          key: idempotencyKey,
          body: input,
          orderId: order.orderId,
          statusCode: orderAcceptedStatus,
        },
        createdAt,
      );
      const result = await repository.place(context, { ...placement, idempotency });
      if (result.placed) return { order, statusCode: orderAcceptedStatus, replayed: false };
      if (result.keyInUse.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReusedError();
      const first = await repository.get(caller.tenantId, result.keyInUse.orderId);
      // The record and its order are written in one transaction and orders are never deleted.
      if (!first) throw new Error(`Idempotency record points at missing order ${result.keyInUse.orderId}`);
      return { order: first, statusCode: result.keyInUse.statusCode, replayed: true };
    },

    /** Another tenant's order, or another user's for a member, is as absent as a missing one. */
    async getOrder(caller: Caller, orderId: string): Promise<Order> {
      const order = await repository.get(caller.tenantId, orderId);
      if (!order || !canView(order, caller)) throw new NotFoundError(`No order ${orderId}.`);
      return order;
    },

    listOrders(caller: Caller, request: ListOrdersRequest): Promise<Page<Order>> {
      return repository.list(caller.tenantId, {
        ...request,
        ...(isAdmin(caller) ? {} : { userId: caller.userId }),
      });
    },

    claimOrder({ tenantId, orderId, executionId }: ClaimOrderInput): Promise<ClaimResult> {
      return repository.claim(tenantId, orderId, executionId);
    },

    takeOverOrder({ tenantId, orderId, executionId }: TakeOverOrderInput): Promise<ClaimResult> {
      const at = now();
      return repository.takeOver(tenantId, orderId, executionId, {
        now: at,
        nextSettleBy: settlementDeadline(at, settlementDeadlineSeconds),
      });
    },

    /** Starts a sweep of every order past its deadline (up to maxSweepsPerRun); returns how many. */
    async sweepDueOrders(): Promise<number> {
      if (!sweepStarter) throw new Error('sweepDueOrders needs a sweepStarter');
      const due = await repository.listDue(now(), maxSweepsPerRun);
      for (const order of due) await sweepStarter.startSweep(order);
      return due.length;
    },

    confirmOrder(input: ConfirmOrderInput): Promise<Order> {
      return settle<ConfirmedOrder>(
        input,
        'CONFIRMED',
        (order) => confirmOrder(order, input, now()),
        OrderNotConfirmableError,
      );
    },

    cancelOrder(input: CancelOrderInput): Promise<Order> {
      return settle<CancelledOrder>(
        input,
        'CANCELLED',
        (order) => cancelOrder(order, { executionId: input.executionId, ...input.cancellation }, now()),
        OrderNotCancellableError,
      );
    },
  };
}

export type OrderUseCases = ReturnType<typeof orderUseCases>;
