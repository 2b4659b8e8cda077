/**
 * Every key of the billing table is built here. Access patterns:
 * - an order's payment:          Get/Put  PK=T#<tenant>          SK=ORDER#<orderId>#PAYMENT            (one per order, attribute_not_exists)
 * - an order's invoice:          Get      PK=T#<tenant>          SK=ORDER#<orderId>#PAYMENT            (a captured payment's invoice is read from it)
 * - charge attempts (test gateway): Update PK=T#<tenant>         SK=ORDER#<orderId>#GATEWAY-ATTEMPTS   (atomic ADD)
 * - the test provider's books:   Put/Get  PK=T#<tenant>          SK=ORDER#<orderId>#TEST-PROVIDER      (its capture and refund)
 * - the Stripe intent of an order: Put/Get PK=T#<tenant>          SK=ORDER#<orderId>#STRIPE-INTENT      (kept before confirming)
 * - outbox events:               Put      PK=T#<tenant>#OUTBOX#<eventId> SK=EVENT                   (see shared/outbox.ts)
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export { tenantPartition };

export const paymentEntityType = 'PAYMENT';

const orderPrefix = (orderId: string): string => `ORDER#${orderId}#`;

export const paymentKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderPrefix(orderId)}PAYMENT`,
});

export const chargeAttemptsKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderPrefix(orderId)}GATEWAY-ATTEMPTS`,
});

export const testProviderKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderPrefix(orderId)}TEST-PROVIDER`,
});

export const stripeIntentKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderPrefix(orderId)}STRIPE-INTENT`,
});
