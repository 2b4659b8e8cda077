/**
 * The `?limit=&cursor=` query every list route accepts.
 *
 * @example
 * httpHandler({ route, query: pageQuery, handle: ({ query }) => repo.list(tenantId, query) });
 */
import * as z from 'zod/mini';

export const defaultPageSize = 20;

export const pageQuery = z.pipe(
  z.strictObject({
    limit: z.optional(
      z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'limit must be an integer from 1 to 100')),
    ),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  }),
  z.transform(({ limit, cursor }) => ({
    limit: limit === undefined ? defaultPageSize : Number(limit),
    ...(cursor === undefined ? {} : { cursor }),
  })),
);
