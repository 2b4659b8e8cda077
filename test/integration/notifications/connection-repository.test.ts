import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbConnectionRepository } from '../../../functions/notifications/adapters/connection-repository.js';
import { notificationsService } from '../../../functions/notifications/service.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';

const client = new DynamoDBClient({});
const repository = dynamoDbConnectionRepository(sandboxTableName(notificationsService.name));
const now = new Date();
const later = new Date(now.getTime() + 60 * 60 * 1000);
let tenantId: string;

const connection = (userId: string, isAdmin = false, expiresAt = later) => ({
  connectionId: `c-${randomUUID()}`,
  userId,
  isAdmin,
  expiresAt,
});

beforeAll(async () => {
  await createServiceTables(client, [notificationsService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('dynamoDbConnectionRepository against DynamoDB Local', () => {
  it('holds at most 5 open connections per user, even when 8 connect at once', async () => {
    const attempts = Array.from({ length: 8 }, () => connection('u1'));

    const added = await Promise.all(attempts.map((attempt) => repository.add(tenantId, attempt, 5, now)));

    expect(added.filter(Boolean)).toHaveLength(5);
    expect(await repository.audience(tenantId, 'u1')).toHaveLength(5);
    expect(await repository.add(tenantId, connection('u2'), 5, now)).toBe(true);
  });

  it('frees a slot on disconnect, and reuses one whose token has expired', async () => {
    const expired = connection('u1', false, new Date(now.getTime() - 1000));
    const held = Array.from({ length: 4 }, () => connection('u1'));
    for (const each of [expired, ...held])
      await repository.add(tenantId, each, 5, new Date(now.getTime() - 5000));

    expect(await repository.add(tenantId, connection('u1'), 5, now)).toBe(true);
    expect(await repository.add(tenantId, connection('u1'), 5, now)).toBe(false);

    await repository.remove(tenantId, held[0] as (typeof held)[number]);
    expect(await repository.add(tenantId, connection('u1'), 5, now)).toBe(true);
  });

  it('leaves a slot alone when the connection being removed lost it to a newer one', async () => {
    const expired = connection('u1', false, new Date(now.getTime() - 1000));
    await repository.add(tenantId, expired, 1, new Date(now.getTime() - 5000));
    const newer = connection('u1');
    expect(await repository.add(tenantId, newer, 1, now)).toBe(true);

    await repository.remove(tenantId, expired);

    expect((await repository.audience(tenantId, 'u1')).map((each) => each.connectionId)).toEqual([
      newer.connectionId,
    ]);
  });

  it("finds an order's audience by the owner's key and the admins' key: nobody else's", async () => {
    const owner = connection('owner');
    const admin = connection('boss', true);
    const colleague = connection('colleague');
    for (const each of [owner, admin, colleague]) await repository.add(tenantId, each, 5, now);

    const audience = await repository.audience(tenantId, 'owner');

    expect(audience.map((each) => each.connectionId).sort()).toEqual(
      [admin.connectionId, owner.connectionId].sort(),
    );
    expect(audience.find((each) => each.connectionId === owner.connectionId)?.expiresAt).toEqual(
      new Date(Math.floor(later.getTime() / 1000) * 1000),
    );

    await repository.remove(tenantId, admin);
    expect((await repository.audience(tenantId, 'owner')).map((each) => each.connectionId)).toEqual([
      owner.connectionId,
    ]);
  });

  it('lists an admin who owns the order once', async () => {
    const admin = connection('boss', true);
    await repository.add(tenantId, admin, 5, now);

    expect(await repository.audience(tenantId, 'boss')).toHaveLength(1);
  });
});
