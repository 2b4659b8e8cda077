import * as z from 'zod/mini';
import type { HttpResponse } from '../../shared/http-handler.js';
import type { Product } from '../domain/product.js';

export const productPath = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

/** Products travel with their version as a strong ETag, the value `If-Match` expects back. */
export function productResponse(
  statusCode: number,
  product: Product,
  headers: Record<string, string> = {},
): HttpResponse {
  return { statusCode, body: product, headers: { ETag: `"${product.version}"`, ...headers } };
}
