import { httpHandler } from '../../shared/http-handler.js';
import { billing } from '../composition.js';
import { billingService } from '../service.js';
import { invoicesQuery } from './invoice-http.js';

/**
 * An order that exists but is not the caller's, or has no invoice yet, both answer an empty list:
 * invoices appear only once the saga charges, so emptiness reveals nothing about other orders.
 */
export const handler = httpHandler({
  route: billingService.routes.listInvoices,
  query: invoicesQuery,
  handle: async ({ caller, query }) => ({
    statusCode: 200,
    body: { items: await billing.listInvoices(caller, query.orderId) },
  }),
});
