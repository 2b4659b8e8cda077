import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { membershipKey } from '../../../functions/identity/adapters/identity-keys.js';
import { dynamoDbIdentityRepository } from '../../../functions/identity/adapters/identity-repository.js';
import type { TenantRecord, User } from '../../../functions/identity/domain/identity.js';
import { identityService } from '../../../functions/identity/service.js';
import { BadRequestError } from '../../../functions/shared/errors.js';
import { epochSeconds } from '../../../functions/shared/idempotency.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';

const client = new DynamoDBClient({});
const documentClient = DynamoDBDocumentClient.from(client);
const tableName = sandboxTableName(identityService.name);
const repository = dynamoDbIdentityRepository(tableName);

let tenantId: string;
const context = () => ({ tenantId, correlationId: `corr-${randomUUID()}` });
const createdAt = '2026-11-29T10:00:00.000Z';
const user = (email: string, role: User['role'] = 'member'): User => ({
  userId: randomUUID(),
  email,
  role,
  status: 'INVITED',
  createdAt,
});
const tenantRecord = (admin: User): TenantRecord => ({
  tenantId,
  name: 'Acme Shop',
  createdAt,
  adminEmail: admin.email,
  adminUserId: admin.userId,
});

beforeAll(async () => {
  await createServiceTables(client, [identityService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('dynamoDbIdentityRepository against DynamoDB Local', () => {
  it('writes the tenant, its admin and TenantCreated and UserInvited in one transaction', async () => {
    const admin = user('ada@example.com', 'admin');

    await expect(repository.createTenant(context(), tenantRecord(admin), admin)).resolves.toBe(true);

    expect(await repository.getTenant(tenantId)).toEqual(tenantRecord(admin));
    expect((await repository.listUsers(tenantId, { limit: 10 })).items).toEqual([admin]);
    const events = await outboxEvents(tableName, tenantId);
    expect(events.map((event) => event.detailType).sort()).toEqual(['TenantCreated', 'UserInvited']);
    expect(events.find((event) => event.detailType === 'TenantCreated')).toMatchObject({
      source: 'saas.identity',
      detail: {
        metadata: { tenantId },
        data: { tenantId, name: 'Acme Shop', adminUserId: admin.userId, createdAt },
      },
    });
  });

  it('writes nothing at all when the tenant already exists', async () => {
    const admin = user('ada@example.com', 'admin');
    await repository.createTenant(context(), tenantRecord(admin), admin);
    const intruder = user('eve@example.com', 'admin');

    await expect(
      repository.createTenant(context(), { ...tenantRecord(intruder), name: 'Taken' }, intruder),
    ).resolves.toBe(false);

    expect(await repository.getTenant(tenantId)).toMatchObject({ name: 'Acme Shop' });
    expect((await repository.listUsers(tenantId, { limit: 10 })).items).toEqual([admin]);
    expect(await outboxEvents(tableName, tenantId)).toHaveLength(2);
  });

  it('keeps the first sign-up record under a key, and lets an expired one be replaced', async () => {
    const keyHash = randomUUID();
    const first = {
      keyHash,
      fingerprint: 'f1',
      tenantId,
      createdAt,
      expiresAt: epochSeconds(createdAt) + 60,
    };

    await expect(repository.startSignUp(first)).resolves.toEqual(first);
    await expect(repository.startSignUp({ ...first, fingerprint: 'f2', tenantId: 'other' })).resolves.toEqual(
      first,
    );
    const afterExpiry = new Date(Date.parse(createdAt) + 61_000).toISOString();
    const replacement = { ...first, fingerprint: 'f3', createdAt: afterExpiry, expiresAt: 0 };
    await expect(repository.startSignUp(replacement)).resolves.toEqual(replacement);
  });

  it('removes a membership with UserRemoved, and only an INVITED one when asked', async () => {
    const admin = user('ada@example.com', 'admin');
    await repository.createTenant(context(), tenantRecord(admin), admin);
    const removal = {
      reason: 'REMOVED_BY_ADMIN' as const,
      removedBy: admin.userId,
      removedAt: new Date(createdAt),
    };
    await repository.markActive(tenantId, admin.userId);

    await expect(
      repository.removeMembership(
        context(),
        admin,
        { ...removal, reason: 'INVITATION_EXPIRED' },
        { onlyIfInvited: true },
      ),
    ).resolves.toBe(false);
    await expect(repository.removeMembership(context(), admin, removal)).resolves.toBe(true);
    await expect(repository.removeMembership(context(), admin, removal)).resolves.toBe(false);

    expect(await repository.getMembership(tenantId, admin.userId)).toBeUndefined();
    const removed = await outboxEvents(tableName, tenantId, 'UserRemoved');
    expect(removed.map((event) => (event.detail as { data: unknown }).data)).toEqual([
      {
        userId: admin.userId,
        email: admin.email,
        reason: 'REMOVED_BY_ADMIN',
        removedBy: admin.userId,
        removedAt: createdAt,
      },
    ]);
  });

  it('finds expired invitations of every tenant by the index, and forgets one once accepted', async () => {
    const expiresAt = new Date(Date.now() - 60_000).toISOString();
    const admin = { ...user('ada@example.com', 'admin'), expiresAt };
    const member = { ...user('bob@example.com'), expiresAt };
    await repository.createTenant(context(), tenantRecord(admin), admin);
    await repository.addUser(context(), member, admin.userId);
    await repository.markActive(tenantId, admin.userId);

    const expired = (await repository.expiredInvitations(new Date(), 1000)).filter(
      (invitation) => invitation.tenantId === tenantId,
    );

    expect(expired).toEqual([{ tenantId, user: member }]);
    expect(
      (await repository.listUsers(tenantId, { limit: 10 })).items.find((u) => u.userId === admin.userId),
    ).not.toHaveProperty('expiresAt');
  });

  it('adds a member with UserInvited naming who invited them, once', async () => {
    const bob = user('bob@example.com');

    await expect(repository.addUser(context(), bob, 'admin-1')).resolves.toBe(true);
    await expect(repository.addUser(context(), bob, 'admin-1')).resolves.toBe(false);

    const events = await outboxEvents(tableName, tenantId, 'UserInvited');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      detail: { data: { userId: bob.userId, invitedBy: 'admin-1', role: 'member' } },
    });
  });

  it("pages through a tenant's users and refuses another tenant's cursor", async () => {
    for (const name of ['a', 'b', 'c']) await repository.addUser(context(), user(`${name}@example.com`), 'x');

    const first = await repository.listUsers(tenantId, { limit: 2 });
    const second = await repository.listUsers(tenantId, { limit: 2, cursor: first.nextCursor as string });

    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    await expect(
      repository.listUsers(`t-${randomUUID()}`, { limit: 2, cursor: first.nextCursor as string }),
    ).rejects.toThrow(BadRequestError);
  });

  it('marks an invited user active once, and creates nothing for an unknown user', async () => {
    const bob = user('bob@example.com');
    await repository.addUser(context(), bob, 'x');

    await repository.markActive(tenantId, bob.userId);
    await repository.markActive(tenantId, bob.userId);
    await repository.markActive(tenantId, 'nobody');

    expect((await repository.listUsers(tenantId, { limit: 10 })).items).toEqual([
      { ...bob, status: 'ACTIVE' },
    ]);
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: membershipKey(tenantId, 'nobody') }),
    );
    expect(Item).toBeUndefined();
  });
});
