import * as z from 'zod/mini';
import { text } from '../../shared/text.js';

/** `GET /invoices?orderId=`: the one parameter the route takes. */
export const invoicesQuery = z.strictObject({ orderId: text({ min: 1, max: 64 }) });
