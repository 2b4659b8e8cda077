import * as z from 'zod/mini';
import type { HttpResponse } from '../../shared/http-handler.js';
import { text } from '../../shared/text.js';
import type { Product } from '../domain/product.js';

export const productPath = z.strictObject({ id: text({ min: 1, max: 64 }) });

/** Products travel with their version as a strong ETag, the value `If-Match` expects back. */
export function productResponse(
  statusCode: number,
  product: Product,
  headers: Record<string, string> = {},
): HttpResponse {
  return { statusCode, body: product, headers: { ETag: `"${product.version}"`, ...headers } };
}
