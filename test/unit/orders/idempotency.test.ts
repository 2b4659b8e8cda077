import { newIdempotencyRecord } from '../../../functions/orders/domain/idempotency.js';
import {
  canonicalJson,
  idempotencyRetentionSeconds,
  requestFingerprint,
} from '../../../functions/shared/idempotency.js';

describe('requestFingerprint', () => {
  it('is the same whatever the order of object keys', () => {
    const first = { paymentToken: 'tok_ok', items: [{ productId: 'p', quantity: 1 }] };
    const second = { items: [{ quantity: 1, productId: 'p' }], paymentToken: 'tok_ok' };

    expect(requestFingerprint(second)).toBe(requestFingerprint(first));
  });

  it('differs when a value differs', () => {
    const body = { items: [{ productId: 'p', quantity: 1 }], paymentToken: 'tok_ok' };

    expect(requestFingerprint({ ...body, paymentToken: 'tok_declined' })).not.toBe(requestFingerprint(body));
  });

  it('differs when the items come in another order', () => {
    const a = { productId: 'a', quantity: 1 };
    const b = { productId: 'b', quantity: 1 };

    expect(requestFingerprint({ items: [b, a] })).not.toBe(requestFingerprint({ items: [a, b] }));
  });

  it('is a hex SHA-256 digest', () => {
    expect(requestFingerprint({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: undefined, e: null })).toBe(
      '{"b":[{"c":2,"d":1}],"e":null}',
    );
  });
});

describe('newIdempotencyRecord', () => {
  it('remembers the key for 24 hours from the request', () => {
    const now = new Date('2026-11-24T10:00:00.000Z');

    const record = newIdempotencyRecord(
      { userId: 'u', key: 'k', body: {}, orderId: 'o', statusCode: 202 },
      now,
    );

    expect(record).toEqual({
      userId: 'u',
      key: 'k',
      fingerprint: requestFingerprint({}),
      orderId: 'o',
      statusCode: 202,
      createdAt: now.toISOString(),
      expiresAt: now.getTime() / 1000 + idempotencyRetentionSeconds,
    });
    expect(idempotencyRetentionSeconds).toBe(86_400);
  });
});
