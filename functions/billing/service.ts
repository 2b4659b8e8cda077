import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/billing/handlers';

export const billingService = defineService({
  name: 'billing',
  table: standardTable,
  publishes: ['PaymentCaptured', 'PaymentFailed', 'PaymentRefunded'],
  routes: {
    // Owner or admin: a member sees only invoices of their own orders.
    listInvoices: {
      method: 'GET',
      path: '/invoices',
      handler: `${handlers}/list-invoices.ts`,
      access: ['admin', 'member'],
    },
  },
  sagaTasks: {
    // The provider call needs more than the default: its Task state allows 10 s.
    ChargePayment: { handler: `${handlers}/charge-payment.ts`, timeoutSeconds: 8 },
    RefundPayment: { handler: `${handlers}/refund-payment.ts` },
  },
});
