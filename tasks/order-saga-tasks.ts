/**
 * The input and output of every Task state of `statemachines/order-saga.asl.json`, and the error
 * names its Retry and Catch match. The ASL's `Parameters` build these inputs; each task handler
 * parses its input with the schema here and returns the output type. Like the event contracts in
 * `events/`, this is what services agree on: a domain imports it, never the saga's folder. The
 * saga tier runs the real ASL against the real handlers to prove it.
 */
import * as z from 'zod/mini';
import { cancellationReasons } from '../events/orders/order-cancelled.js';
import { orderLineData, pricedLineData } from '../events/orders/order-schema.js';

const sagaStep = {
  tenantId: z.string().check(z.minLength(1)),
  orderId: z.string().check(z.minLength(1)),
  correlationId: z.string().check(z.minLength(1)),
};

export const reservationRejectionReasons = [
  'PRODUCT_NOT_FOUND',
  'OUT_OF_STOCK',
  'CURRENCY_MISMATCH',
] as const;

export const reservationResult = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('RESERVED'),
    lines: z.array(pricedLineData),
    totalCents: z.int(),
    currency: z.string(),
  }),
  z.strictObject({ status: z.literal('REJECTED'), reason: z.enum(reservationRejectionReasons) }),
]);
export type ReservationResult = z.infer<typeof reservationResult>;

export const claimOrderInput = z.strictObject({ ...sagaStep, executionId: z.string() });
export type ClaimOrderInput = z.infer<typeof claimOrderInput>;
/** `claimed: false` means another execution owns the order: this one is a duplicate start. */
export type ClaimOrderOutput = { claimed: boolean };

/** The sweeper's execution takes over an order left PENDING past its settlement deadline. */
export const takeOverOrderInput = claimOrderInput;
export type TakeOverOrderInput = ClaimOrderInput;
/** `claimed: false`: the order is settled or not yet due, so there is nothing to sweep. */
export type TakeOverOrderOutput = ClaimOrderOutput;

export const reserveStockInput = z.strictObject({
  ...sagaStep,
  items: z.array(orderLineData).check(z.minLength(1)),
});
export type ReserveStockInput = z.infer<typeof reserveStockInput>;
export type ReserveStockOutput = ReservationResult;

export const releaseStockInput = z.strictObject(sagaStep);
export type ReleaseStockInput = z.infer<typeof releaseStockInput>;
/** `released: false` when there was nothing (left) to release. */
export type ReleaseStockOutput = { released: boolean };

export const chargePaymentInput = z.strictObject({
  ...sagaStep,
  userId: z.string(),
  amountCents: z.int().check(z.gte(0)),
  currency: z.string(),
});
export type ChargePaymentInput = z.infer<typeof chargePaymentInput>;
/** A transient provider failure is thrown as `PaymentUnavailableError` for the ASL to retry. */
export type ChargePaymentOutput =
  | { status: 'CAPTURED'; paymentId: string; invoiceId: string }
  | { status: 'DECLINED' };

export const refundPaymentInput = z.strictObject(sagaStep);
export type RefundPaymentInput = z.infer<typeof refundPaymentInput>;
export type RefundPaymentOutput = { refunded: boolean };

export const confirmOrderInput = z.strictObject({
  ...sagaStep,
  executionId: z.string(),
  reservation: reservationResult,
  invoiceId: z.string(),
});
export type ConfirmOrderInput = z.infer<typeof confirmOrderInput>;
export type ConfirmOrderOutput = { status: 'CONFIRMED' };

export const cancelOrderInput = z.strictObject({
  ...sagaStep,
  executionId: z.string(),
  cancellation: z.strictObject({
    reason: z.enum(cancellationReasons),
    /** Absent when the order was never priced (the reservation failed, or the sweeper settles it). */
    reservation: z.optional(reservationResult),
  }),
});
export type CancelOrderInput = z.infer<typeof cancelOrderInput>;
export type CancelOrderOutput = { status: 'CANCELLED' };

/** Error names the ASL matches in Retry/Catch (Lambda reports `error.name` as the error type). */
export const sagaErrors = {
  paymentUnavailable: 'PaymentUnavailableError',
  invalidTaskInput: 'InvalidTaskInputError',
  orderNotConfirmable: 'OrderNotConfirmableError',
  orderNotCancellable: 'OrderNotCancellableError',
  /** ReserveStock for an order whose stock was already released: a compensation ran first. */
  reservationVoided: 'ReservationVoidedError',
  /** ChargePayment for an order whose payment was already refunded or voided by a compensation. */
  paymentVoided: 'PaymentVoidedError',
} as const;

/** Errors the ASL never retries (listed first in every Retry): retrying cannot change them. */
export const nonRetryableSagaErrors = [
  sagaErrors.invalidTaskInput,
  sagaErrors.orderNotConfirmable,
  sagaErrors.orderNotCancellable,
  sagaErrors.reservationVoided,
  sagaErrors.paymentVoided,
] as const;

/** What starts a sweep: the order to settle, read by the ASL's `IsSweep` choice. */
export interface SweepInput {
  sweep: true;
  order: { tenantId: string; orderId: string; correlationId: string };
}
