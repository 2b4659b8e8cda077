import * as z from 'zod/mini';

/** `GET /invoices?orderId=`: the one parameter the route takes. */
export const invoicesQuery = z.strictObject({ orderId: z.string().check(z.minLength(1), z.maxLength(64)) });
