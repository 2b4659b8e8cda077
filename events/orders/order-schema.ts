import * as z from 'zod/mini';

export const orderLineData = z.strictObject({
  productId: z.string(),
  quantity: z.int().check(z.gte(1)),
});

export const pricedLineData = z.strictObject({
  productId: z.string(),
  quantity: z.int().check(z.gte(1)),
  unitPriceCents: z.int().check(z.gte(0)),
});
