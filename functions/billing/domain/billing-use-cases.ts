import type {
  ChargePaymentInput,
  ChargePaymentOutput,
  RefundPaymentInput,
  RefundPaymentOutput,
} from '../../../tasks/order-saga-tasks.js';
import { sagaErrors } from '../../../tasks/order-saga-tasks.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { BillingRepository, PaymentTokens } from './billing-port.js';
import { type Invoice, invoiceOf, type Payment, type PaymentRecord } from './payment.js';
import type { ChargeOutcome, PaymentGateway } from './payment-gateway.js';

/** Thrown to the saga (which does not retry it): a compensation already refunded or voided the payment. */
export class PaymentVoidedError extends Error {
  override readonly name = sagaErrors.paymentVoided;
}

/** Reads of a refund: the first, and one more when a payment is recorded between the read and the void. */
const maxRefundAttempts = 2;

export interface BillingDependencies {
  repository: BillingRepository;
  gateway: PaymentGateway;
  /** The token of the order ChargePayment charges, kept on the order while it is PENDING. */
  paymentTokens: PaymentTokens;
  newId: () => string;
  now: () => Date;
  /** Told when a compensation refunds money the provider took but billing never recorded. */
  onUnrecordedCaptureRefunded?: (orderId: string, amountCents: number) => void;
}

export type InvoiceView = Omit<Invoice, 'userId'>;

function outputOf(payment: PaymentRecord): ChargePaymentOutput {
  switch (payment.status) {
    case 'DECLINED':
      return { status: 'DECLINED' };
    case 'CAPTURED':
      return { status: 'CAPTURED', paymentId: payment.paymentId, invoiceId: payment.invoiceId ?? '' };
    default:
      throw new PaymentVoidedError(`The payment of order ${payment.orderId} is ${payment.status}.`);
  }
}

export function billingUseCases({
  repository,
  gateway,
  paymentTokens,
  newId,
  now,
  onUnrecordedCaptureRefunded,
}: BillingDependencies) {
  /** Gives back whatever the provider holds for an order that billing has no capture of. */
  async function refundUnrecordedCapture(tenantId: string, orderId: string): Promise<boolean> {
    const capture = await gateway.findCapture({ tenantId, orderId });
    if (!capture) return false;
    await gateway.refund({ tenantId, orderId, ...capture });
    onUnrecordedCaptureRefunded?.(orderId, capture.amountCents);
    return true;
  }

  /**
   * Idempotent by order: a recorded payment answers every retry without asking the provider
   * again. A payment voided by a compensation is refused, and a capture that lands after the void
   * is given back at once. An order with no token left (settled meanwhile) is declined without
   * asking the provider.
   */
  async function chargePayment(input: ChargePaymentInput): Promise<ChargePaymentOutput> {
    const existing = await repository.getPayment(input.tenantId, input.orderId);
    if (existing) return outputOf(existing);
    const context = { tenantId: input.tenantId, correlationId: input.correlationId };
    const paymentToken = await paymentTokens.find(input.tenantId, input.orderId);
    const outcome: ChargeOutcome = paymentToken
      ? await gateway.charge({ ...input, paymentToken })
      : { outcome: 'declined' };
    const timestamp = now().toISOString();
    const payment: Payment = {
      paymentId: newId(),
      orderId: input.orderId,
      userId: input.userId,
      amountCents: input.amountCents,
      currency: input.currency,
      status: outcome.outcome === 'captured' ? 'CAPTURED' : 'DECLINED',
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    let recorded: boolean;
    if (outcome.outcome === 'captured') {
      payment.providerPaymentId = outcome.providerPaymentId;
      payment.invoiceId = newId();
      recorded = await repository.recordCapture(context, payment);
    } else {
      recorded = await repository.recordDecline(context, payment);
    }
    if (recorded) return outputOf(payment);
    // A concurrent invocation recorded first; the provider's idempotency key made it the same charge.
    const winner = await repository.getPayment(input.tenantId, input.orderId);
    if (!winner) throw new Error(`Payment of order ${input.orderId} vanished after a conflicting write`);
    if (winner.status === 'VOIDED' && outcome.outcome === 'captured') {
      await refundUnrecordedCapture(input.tenantId, input.orderId);
    }
    return outputOf(winner);
  }

  return {
    chargePayment,

    /**
     * Gives the order's money back. With no payment recorded it voids the payment first (so a
     * late charge is refused), then asks the provider: a capture whose recording failed is refunded
     * too. Safe to repeat: a voided or refunded payment is never refunded twice.
     */
    async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
      const { tenantId, orderId } = input;
      for (let attempt = 1; attempt <= maxRefundAttempts; attempt += 1) {
        const payment = await repository.getPayment(tenantId, orderId);
        if (!payment) {
          if (!(await repository.recordVoid(tenantId, orderId, now().toISOString()))) continue;
          return { refunded: await refundUnrecordedCapture(tenantId, orderId) };
        }
        switch (payment.status) {
          case 'DECLINED':
            return { refunded: false };
          case 'REFUNDED':
            return { refunded: true };
          case 'VOIDED':
            // A retry of a refund that voided first: the provider may still hold the money.
            return { refunded: await refundUnrecordedCapture(tenantId, orderId) };
          case 'CAPTURED': {
            await gateway.refund({
              tenantId,
              orderId,
              providerPaymentId: payment.providerPaymentId ?? '',
              amountCents: payment.amountCents,
              currency: payment.currency,
            });
            const context = { tenantId, correlationId: input.correlationId };
            // false means a concurrent refund recorded it first: refunded either way.
            await repository.recordRefund(context, payment, now().toISOString());
            return { refunded: true };
          }
        }
      }
      throw new Error(`The payment of order ${orderId} kept changing while it was being refunded.`);
    },

    /** Members see the invoices of their own orders only; anything else is an empty list. */
    async listInvoices(caller: Caller, orderId: string): Promise<InvoiceView[]> {
      const payment = await repository.getPayment(caller.tenantId, orderId);
      const invoice = payment && invoiceOf(payment);
      if (!invoice || (!caller.roles.includes('admin') && invoice.userId !== caller.userId)) return [];
      const { userId: _userId, ...view } = invoice;
      return [view];
    },
  };
}
