import { productCreated } from '../../../events/catalog/product-created.js';
import { outboxItem, outboxRetentionSeconds } from '../../../functions/shared/outbox.js';

describe('outboxItem', () => {
  it('lays the event out in a partition of its own under the tenant, with its envelope and a TTL', () => {
    const now = new Date('2026-11-24T10:00:00.000Z');

    const item = outboxItem(
      productCreated,
      { tenantId: 't1', correlationId: 'req-1' },
      productCreated.sample,
      now,
    );

    expect(item).toEqual({
      PK: `T#t1#OUTBOX#${item.detail.metadata.eventId}`,
      SK: 'EVENT',
      entityType: 'OUTBOX',
      source: 'saas.catalog',
      detailType: 'ProductCreated',
      detail: {
        metadata: {
          eventId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
          eventVersion: 1,
          tenantId: 't1',
          correlationId: 'req-1',
          occurredAt: '2026-11-24T10:00:00.000Z',
        },
        data: productCreated.sample,
      },
      expiresAt: Math.floor(now.getTime() / 1000) + outboxRetentionSeconds,
    });
  });

  it('gives every event its own id', () => {
    const origin = { tenantId: 't1', correlationId: 'req-1' };

    const first = outboxItem(productCreated, origin, productCreated.sample);
    const second = outboxItem(productCreated, origin, productCreated.sample);

    expect(first.detail.metadata.eventId).not.toBe(second.detail.metadata.eventId);
  });

  it('refuses data that breaks the event contract', () => {
    const broken = {
      ...productCreated.sample,
      priceCents: 'free',
    } as unknown as typeof productCreated.sample;

    expect(() => outboxItem(productCreated, { tenantId: 't1', correlationId: 'c' }, broken)).toThrow(
      /ProductCreated breaks its contract/,
    );
  });
});
