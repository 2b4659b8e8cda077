import { defineService, paymentProviderVariables, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/billing/handlers';

/**
 * Both provider calls may take a provider request of 5 s (and Stripe's one quick retry of a
 * dropped connection) inside the function's 8 s; each Task state allows 10 s.
 */
const providerCall = {
  timeoutSeconds: 8,
  environment: { [paymentProviderVariables.timeoutMs]: '5000' },
  uses: ['paymentProvider'],
} as const;

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
      tableActions: ['GetItem'],
      access: ['admin', 'member'],
    },
  },
  sagaTasks: {
    // It reads the order's payment token, never carried in the saga's input.
    ChargePayment: {
      handler: `${handlers}/charge-payment.ts`,
      ...providerCall,
      tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
      uses: [...providerCall.uses, 'orderPaymentTokens'],
    },
    RefundPayment: {
      handler: `${handlers}/refund-payment.ts`,
      ...providerCall,
      tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
    },
  },
});
