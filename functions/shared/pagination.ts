/**
 * The `?limit=&cursor=` query every list route accepts.
 *
 * @example
 * httpHandler({ route, query: pageQuery, handle: ({ query }) => repo.list(tenantId, query) });
 */
import * as z from 'zod/mini';
import { text } from './text.js';

export const defaultPageSize = 20;
/** The most items a page holds: `limit` here, GraphQL's `first`. */
export const maxPageSize = 100;

/** The raw parameters, for routes that add their own (`z.extend(pageFields, { status })`). */
export const pageFields = z.strictObject({
  limit: z.optional(
    z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'limit must be an integer from 1 to 100')),
  ),
  cursor: z.optional(text({ min: 1, max: 2048 })),
});

/** What a list use case is asked for. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** What a list use case answers: the items and, when there are more, the cursor to the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export function withPageDefaults({ limit, cursor }: z.infer<typeof pageFields>): PageRequest {
  return {
    limit: limit === undefined ? defaultPageSize : Number(limit),
    ...(cursor === undefined ? {} : { cursor }),
  };
}

export const pageQuery = z.pipe(pageFields, z.transform(withPageDefaults));
