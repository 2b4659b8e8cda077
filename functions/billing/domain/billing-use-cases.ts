import type {
  ChargePaymentInput,
  ChargePaymentOutput,
  RefundPaymentInput,
  RefundPaymentOutput,
} from '../../../statemachines/order-saga-tasks.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { BillingRepository } from './billing-port.js';
import type { Invoice, Payment } from './payment.js';
import type { PaymentGateway } from './payment-gateway.js';

export interface BillingDependencies {
  repository: BillingRepository;
  gateway: PaymentGateway;
  newId: () => string;
  now: () => Date;
}

export type InvoiceView = Omit<Invoice, 'userId'>;

function outputOf(payment: Payment): ChargePaymentOutput {
  return payment.status === 'DECLINED'
    ? { status: 'DECLINED' }
    : { status: 'CAPTURED', paymentId: payment.paymentId, invoiceId: payment.invoiceId ?? '' };
}

export function billingUseCases({ repository, gateway, newId, now }: BillingDependencies) {
  return {
    /** Idempotent by order: a recorded payment answers every retry without asking the provider again. */
    async chargePayment(input: ChargePaymentInput): Promise<ChargePaymentOutput> {
      const existing = await repository.getPayment(input.tenantId, input.orderId);
      if (existing) return outputOf(existing);
      const context = { tenantId: input.tenantId, correlationId: input.correlationId };
      const outcome = await gateway.charge(input);
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
        const invoiceId = newId();
        payment.providerPaymentId = outcome.providerPaymentId;
        payment.invoiceId = invoiceId;
        recorded = await repository.recordCapture(context, payment, {
          invoiceId,
          orderId: input.orderId,
          userId: input.userId,
          amountCents: input.amountCents,
          currency: input.currency,
          status: 'PAID',
          createdAt: timestamp,
        });
      } else {
        recorded = await repository.recordDecline(context, payment);
      }
      if (recorded) return outputOf(payment);
      // A concurrent invocation recorded first; the provider's idempotency key made it the same charge.
      const winner = await repository.getPayment(input.tenantId, input.orderId);
      if (!winner) throw new Error(`Payment of order ${input.orderId} vanished after a conflicting write`);
      return outputOf(winner);
    },

    async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
      const payment = await repository.getPayment(input.tenantId, input.orderId);
      if (!payment || payment.status === 'DECLINED') return { refunded: false };
      if (payment.status === 'REFUNDED') return { refunded: true };
      await gateway.refund({
        tenantId: input.tenantId,
        orderId: input.orderId,
        providerPaymentId: payment.providerPaymentId ?? '',
        amountCents: payment.amountCents,
        currency: payment.currency,
      });
      const context = { tenantId: input.tenantId, correlationId: input.correlationId };
      // false means a concurrent refund recorded it first: refunded either way.
      await repository.recordRefund(context, payment, now().toISOString());
      return { refunded: true };
    },

    /** Members see the invoices of their own orders only; anything else is an empty list. */
    async listInvoices(caller: Caller, orderId: string): Promise<InvoiceView[]> {
      const invoices = await repository.listInvoices(caller.tenantId, orderId);
      const visible = caller.roles.includes('admin')
        ? invoices
        : invoices.filter((invoice) => invoice.userId === caller.userId);
      return visible.map(({ userId: _userId, ...invoice }) => invoice);
    },
  };
}
