/**
 * zod/mini (about 30 KB against full zod's 440 KB) at every edge. zod/mini ships no messages, so
 * loading this module installs the English locale. Schema modules import `zod/mini` themselves:
 * re-exporting the namespace from here would defeat tree-shaking and pull in all of zod.
 *
 * @example
 * const parsed = parseOrThrow(z.strictObject({ name: z.string() }), body, 'body');
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { type FieldError, ValidationError } from './errors.js';

z.config(en());

export type Location = 'body' | 'query' | 'path' | 'header';

/** `body` paths are JSON Pointers (`/items/0/quantity`); parameters are `query.limit`, `path.id`. */
function formatPath(location: Location, path: readonly PropertyKey[]): string {
  if (location === 'body') return `/${path.map(String).join('/')}`;
  return [location, ...path.map(String)].join('.');
}

export function fieldErrors(location: Location, issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath(location, [...issue.path, key]),
          message: 'Unknown field',
        }))
      : [{ path: formatPath(location, issue.path), message: issue.message }],
  );
}

export function parseOrThrow<T>(schema: z.ZodMiniType<T>, input: unknown, location: Location): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    `The request ${location} is invalid.`,
    fieldErrors(location, result.error.issues),
  );
}
