/**
 * Idempotency of `POST /orders` (hand-rolled rather than Powertools idempotency on purpose).
 *
 * Powertools keeps its records in a table of its own, keyed by function and payload hash: they
 * would not start with the tenant, and they are written in a separate call before and after the
 * handler, so a crash between "record in progress" and "order written" leaves a key stuck or an
 * order without a record. Here the record is one more item of the order's own TransactWriteItems
 * (`T#<tenant>` / `IDEMPOTENCY#<userId>#<key>`): the order, its OrderPlaced event and the record
 * exist together or not at all, and the key is scoped to the tenant and the user who sent it.
 *
 * A second request with the key finds the record: the same body gets the first response again,
 * another body is refused (422). A request racing the first one inside its transaction gets 409.
 */
import { createHash } from 'node:crypto';

export const idempotencyKeyMaxLength = 128;
/** How long a key is remembered; DynamoDB's TTL deletes the record some time after. */
export const idempotencyRetentionSeconds = 24 * 60 * 60;

export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** SHA-256 of the canonical request body. */
  fingerprint: string;
  orderId: string;
  /** The status of the first response, which a replay answers with again. */
  statusCode: number;
  createdAt: string;
  /** Epoch seconds; the table's TTL attribute. An expired record no longer holds its key. */
  expiresAt: number;
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
 * request. The order of the items does count: it is the order the response lists them in.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function newIdempotencyRecord(
  request: { userId: string; key: string; body: unknown; orderId: string; statusCode: number },
  now: Date,
): IdempotencyRecord {
  return {
    userId: request.userId,
    key: request.key,
    fingerprint: requestFingerprint(request.body),
    orderId: request.orderId,
    statusCode: request.statusCode,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + idempotencyRetentionSeconds,
  };
}

export const epochSeconds = (isoTime: string): number => Math.floor(Date.parse(isoTime) / 1000);
