/**
 * Every event contract, so tests and tools (the catalog check, consumers' validation) can iterate
 * over them. Adding an event means adding its file and listing it here.
 */
import { paymentCaptured } from './billing/payment-captured.js';
import { paymentFailed } from './billing/payment-failed.js';
import { paymentRefunded } from './billing/payment-refunded.js';
import { productCreated } from './catalog/product-created.js';
import { productUpdated } from './catalog/product-updated.js';
import { stockReleased } from './catalog/stock-released.js';
import { stockReserved } from './catalog/stock-reserved.js';
import type { EventContract } from './envelope.js';
import { tenantCreated } from './identity/tenant-created.js';
import { userInvited } from './identity/user-invited.js';
import { userRemoved } from './identity/user-removed.js';
import { orderCancelled } from './orders/order-cancelled.js';
import { orderConfirmed } from './orders/order-confirmed.js';
import { orderPlaced } from './orders/order-placed.js';

export const eventContracts: readonly EventContract<unknown>[] = [
  tenantCreated,
  userInvited,
  userRemoved,
  productCreated,
  productUpdated,
  stockReserved,
  stockReleased,
  orderPlaced,
  orderConfirmed,
  orderCancelled,
  paymentCaptured,
  paymentFailed,
  paymentRefunded,
];
