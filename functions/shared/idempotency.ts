/**
 * What every `Idempotency-Key` route shares: the header's rule, how long a key is remembered, how a
 * request body is fingerprinted, and the errors a reused key answers. Each service keeps its own
 * record beside the state it protects (the order, the sign-up), so the two are written together.
 *
 * @example
 * const key = idempotencyKeyOf(headers); // undefined when the client sent none
 * if (stored.fingerprint !== requestFingerprint(body)) throw new IdempotencyKeyReusedError();
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { ConflictError, UnprocessableContentError } from './errors.js';
import { text } from './text.js';
import { parseOrThrow } from './validation.js';

export const idempotencyKeyMaxLength = 128;
/** How long a key is remembered; DynamoDB's TTL deletes the record some time after. */
export const idempotencyRetentionSeconds = 24 * 60 * 60;

const idempotencyHeader = z.object({
  'idempotency-key': z.optional(text({ min: 1, max: idempotencyKeyMaxLength })),
});

/** Header names arrive lower-cased (the handler factory normalises them). */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  return parseOrThrow(idempotencyHeader, headers, 'header')['idempotency-key'];
}

/** JSON with object keys sorted at every level: `{"b":1,"a":2}` and `{"a":2,"b":1}` are one request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fingerprints the validated body, so formatting and key order do not count as a different
 * request. The order of array items does count: it is the order a response lists them in.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export const epochSeconds = (isoTime: string): number => Math.floor(Date.parse(isoTime) / 1000);

/** A key as stored: its SHA-256, fixed in length and no copy of what the client chose. */
export const idempotencyKeyDigest = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Epoch seconds at which a key taken at `now` is free again; the record's TTL attribute. */
export const idempotencyExpiry = (now: Date): number =>
  Math.floor(now.getTime() / 1000) + idempotencyRetentionSeconds;

export class IdempotencyKeyReusedError extends UnprocessableContentError {
  constructor() {
    super('This Idempotency-Key was already used with a different request body.');
  }
}

export class RequestInProgressError extends ConflictError {
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry it shortly.');
  }
}
