import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailSchema } from '../../../events/envelope.js';
import { eventContracts } from '../../../events/registry.js';

const metadata = {
  eventId: '01JD0000000000000000000009',
  eventVersion: 1,
  tenantId: 't1',
  correlationId: 'c1',
  occurredAt: '2026-11-23T10:00:00.000Z',
};

describe('event contracts', () => {
  it.each(eventContracts.map((contract) => [contract.detailType, contract] as const))(
    '%s: its sample satisfies its schema',
    (_, contract) => {
      const result = detailSchema(contract).safeParse({ metadata, data: contract.sample });

      expect(result.error).toBeUndefined();
    },
  );

  it.each(eventContracts.map((contract) => [contract.detailType, contract] as const))(
    '%s: an unknown data field is rejected',
    (_, contract) => {
      const result = detailSchema(contract).safeParse({
        metadata,
        data: { ...(contract.sample as object), unexpected: true },
      });

      expect(result.success).toBe(false);
    },
  );

  it('names events uniquely and lists each one in CATALOG.md', () => {
    const catalog = readFileSync(join(__dirname, '../../../events/CATALOG.md'), 'utf8');
    const names = eventContracts.map((contract) => contract.detailType);

    expect(new Set(names).size).toBe(names.length);
    for (const contract of eventContracts) {
      expect(catalog).toMatch(
        new RegExp(`\\|\\s*${contract.detailType}\\s*\\|\\s*${contract.source}\\s*\\|`),
      );
    }
  });
});

describe('the services that publish', () => {
  it('declare exactly the events of the registry, each from its own source', async () => {
    const { services } = await import('../../../functions/services.js');
    const declared = services.flatMap((service) =>
      (service.publishes ?? []).map((detailType) => `saas.${service.name} ${detailType}`),
    );

    expect(declared.sort()).toEqual(
      eventContracts.map((contract) => `${contract.source} ${contract.detailType}`).sort(),
    );
  });
});
