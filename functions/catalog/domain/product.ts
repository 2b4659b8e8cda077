/**
 * The product entity and its rules. Pure: no AWS imports; ids and time are passed in.
 */
import * as z from 'zod/mini';
import { text } from '../../shared/text.js';

export const productLimits = {
  sku: /^[A-Za-z0-9_-]{1,64}$/,
  nameMaxLength: 200,
  maxCents: 1_000_000_000,
  maxStock: 1_000_000_000,
} as const;

const name = text({ min: 1, max: productLimits.nameMaxLength });
const priceCents = z.int().check(z.gte(0), z.lte(productLimits.maxCents));
const stock = z.int().check(z.gte(0), z.lte(productLimits.maxStock));

export const newProductSchema = z.strictObject({
  sku: z.string().check(z.regex(productLimits.sku, 'sku must be 1-64 of A-Z, a-z, 0-9, _ and -')),
  name,
  priceCents,
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'currency must be 3 upper-case letters (ISO 4217)')),
  stock,
});

export const productPatchSchema = z
  .strictObject({ name: z.optional(name), priceCents: z.optional(priceCents), stock: z.optional(stock) })
  .check(z.refine((patch) => Object.keys(patch).length > 0, 'Give at least one of name, priceCents, stock'));

export type NewProduct = z.infer<typeof newProductSchema>;
export type ProductPatch = z.infer<typeof productPatchSchema>;

export interface Product extends NewProduct {
  productId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function createProduct(input: NewProduct, productId: string, now: Date): Product {
  const timestamp = now.toISOString();
  return { productId, ...input, version: 1, createdAt: timestamp, updatedAt: timestamp };
}

export function applyPatch(product: Product, patch: ProductPatch, now: Date): Product {
  return { ...product, ...patch, version: product.version + 1, updatedAt: now.toISOString() };
}
