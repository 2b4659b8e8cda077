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
import { idempotencyExpiry, requestFingerprint } from '../../shared/idempotency.js';

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
    expiresAt: idempotencyExpiry(now),
  };
}
