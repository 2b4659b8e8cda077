import * as z from 'zod/mini';

/** The product as it appears in catalog events (the same shape the API returns). */
export const productEventData = z.strictObject({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  priceCents: z.int(),
  currency: z.string(),
  stock: z.int(),
  version: z.int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const sampleProduct = {
  productId: '01JD0000000000000000000000',
  sku: 'TSHIRT-M',
  name: 'T-shirt (M)',
  priceCents: 1999,
  currency: 'EUR',
  stock: 10,
  version: 1,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};
