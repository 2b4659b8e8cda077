import {
  CannotRemoveSelfError,
  EmailTakenError,
  identityUseCases,
} from '../../../functions/identity/domain/identity-use-cases.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { NotFoundError } from '../../../functions/shared/errors.js';
import { IdempotencyKeyReusedError } from '../../../functions/shared/idempotency.js';
import { InMemoryIdentityRepository, InMemoryUserDirectory } from './support/in-memory-identity.js';

let repository: InMemoryIdentityRepository;
let directory: InMemoryUserDirectory;
let ids: number;

const now = new Date('2026-11-29T10:00:00.000Z');
const useCases = () =>
  identityUseCases({
    repository,
    directory,
    newId: () => {
      ids += 1;
      return `tenant-${ids}`;
    },
    now: () => now,
  });

beforeEach(() => {
  repository = new InMemoryIdentityRepository();
  directory = new InMemoryUserDirectory();
  ids = 0;
});

const signUp = { name: 'Acme Shop', adminEmail: 'ada@example.com' };

async function adminOf(tenantId: string): Promise<Caller> {
  const user = directory.users.get('ada@example.com');
  if (!user) throw new Error('no admin');
  return { tenantId, userId: user.userId, roles: ['admin'] };
}

const request = (correlationId: string, idempotencyKey?: string) => ({
  correlationId,
  ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
});

describe('creating a tenant', () => {
  it('creates the tenant, invites its first admin into the admin role and records both events', async () => {
    const { tenant, replayed } = await useCases().createTenant(signUp, request('corr-1'));

    expect(tenant).toEqual({ tenantId: 'tenant-1', name: 'Acme Shop', createdAt: now.toISOString() });
    expect(replayed).toBe(false);
    const admin = directory.users.get('ada@example.com');
    expect(admin).toMatchObject({ tenantId: 'tenant-1', role: 'admin' });
    expect([...repository.memberships.values()]).toEqual([
      {
        userId: admin?.userId,
        email: 'ada@example.com',
        role: 'admin',
        status: 'INVITED',
        createdAt: now.toISOString(),
        expiresAt: '2026-12-06T10:00:00.000Z',
      },
    ]);
    expect(repository.events.map((event) => event.type)).toEqual(['TenantCreated', 'UserInvited']);
  });

  it('answers a repeat without a key as a conflict that names no tenant', async () => {
    await useCases().createTenant(signUp, request('corr-1'));

    const repeat = useCases().createTenant(signUp, request('corr-2'));

    await expect(repeat).rejects.toThrow(EmailTakenError);
    await expect(repeat).rejects.not.toThrow(/tenant-1/);
    expect(repository.tenants.size).toBe(1);
    expect(repository.events).toHaveLength(2);
  });

  it('answers a repeat with the same key and body with the first tenant, replayed, creating nothing', async () => {
    const first = await useCases().createTenant(signUp, request('corr-1', 'key-1'));

    const retry = await useCases().createTenant(signUp, request('corr-2', 'key-1'));

    expect(retry).toEqual({ tenant: first.tenant, replayed: true });
    expect(repository.tenants.size).toBe(1);
    expect(directory.users.size).toBe(1);
    expect(repository.events).toHaveLength(2);
  });

  it('refuses a key reused with another body, and creates nothing for it', async () => {
    await useCases().createTenant(signUp, request('corr-1', 'key-1'));

    const reused = useCases().createTenant(
      { ...signUp, adminEmail: 'bob@example.com' },
      request('c', 'key-1'),
    );

    await expect(reused).rejects.toThrow(IdempotencyKeyReusedError);
    expect(directory.users.has('bob@example.com')).toBe(false);
    expect(repository.tenants.size).toBe(1);
  });

  it('frees a key 24 hours after its first use', async () => {
    await useCases().createTenant(signUp, request('corr-1', 'key-1'));
    const later = new Date(now.getTime() + 24 * 60 * 60 * 1000 + 1000);
    const dayLater = identityUseCases({
      repository,
      directory,
      newId: () => 'tenant-later',
      now: () => later,
    });

    const { tenant } = await dayLater.createTenant(
      { name: 'Bob Shop', adminEmail: 'bob@example.com' },
      request('corr-2', 'key-1'),
    );

    expect(tenant.tenantId).toBe('tenant-later');
  });

  it('refuses a second tenant for an email that already administers one', async () => {
    await useCases().createTenant(signUp, request('corr-1'));

    await expect(
      useCases().createTenant({ ...signUp, name: 'Other Shop' }, request('corr-2', 'key-2')),
    ).rejects.toThrow(EmailTakenError);
    expect(repository.tenants.size).toBe(1);
  });

  it('refuses a sign-up with the email of a member of another tenant', async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    await useCases().inviteUser(await adminOf('tenant-1'), { email: 'bob@example.com', role: 'member' }, 'c');

    await expect(
      useCases().createTenant({ name: 'Bob Shop', adminEmail: 'bob@example.com' }, request('c')),
    ).rejects.toThrow(EmailTakenError);
    expect(directory.users.get('bob@example.com')).toMatchObject({ tenantId: 'tenant-1', role: 'member' });
  });

  it('never gives a role to a directory user left without one, with or without a key', async () => {
    const stranded = { userId: 'sub-eve', email: 'eve@example.com', tenantId: 'tenant-9' };
    directory.users.set('eve@example.com', { ...stranded });

    for (const idempotencyKey of [undefined, 'key-eve']) {
      await expect(
        useCases().createTenant(
          { name: 'Eve Shop', adminEmail: 'eve@example.com' },
          request('c', idempotencyKey),
        ),
      ).rejects.toThrow(EmailTakenError);
    }
    expect(directory.users.get('eve@example.com')).toEqual(stranded);
    expect(repository.tenants.size).toBe(0);
  });

  it('writes nothing when the directory fails, and a retry then succeeds', async () => {
    directory.failNextCreate = true;

    await expect(useCases().createTenant(signUp, request('corr-1', 'key-1'))).rejects.toThrow(
      'Cognito is unavailable',
    );
    expect(repository.tenants.size).toBe(0);

    await expect(useCases().createTenant(signUp, request('corr-2', 'key-1'))).resolves.toMatchObject({
      tenant: { name: 'Acme Shop' },
      replayed: false,
    });
  });

  it('finishes the same tenant when a keyed sign-up is retried after its table write failed', async () => {
    repository.failNextWrite = true;

    await expect(useCases().createTenant(signUp, request('corr-1', 'key-1'))).rejects.toThrow(
      'DynamoDB is unavailable',
    );
    expect(repository.tenants.size).toBe(0);
    expect(directory.users.get('ada@example.com')?.tenantId).toBe('tenant-1');

    const retried = await useCases().createTenant(signUp, request('corr-2', 'key-1'));

    expect(retried.tenant.tenantId).toBe('tenant-1');
    expect(repository.tenants.size).toBe(1);
    expect(repository.memberships.size).toBe(1);
  });

  it('does not let a sign-up with another key finish a half-made one', async () => {
    repository.failNextWrite = true;
    await expect(useCases().createTenant(signUp, request('corr-1', 'key-1'))).rejects.toThrow();

    await expect(useCases().createTenant(signUp, request('corr-2', 'key-2'))).rejects.toThrow(
      EmailTakenError,
    );
    await expect(useCases().createTenant(signUp, request('corr-3'))).rejects.toThrow(EmailTakenError);
    expect(repository.tenants.size).toBe(0);
  });

  it('returns the stored tenant when a concurrent retry with the same key wrote it first', async () => {
    const concurrent = useCases();
    const [first, second] = await Promise.all([
      concurrent.createTenant(signUp, request('corr-1', 'key-1')),
      concurrent.createTenant(signUp, request('corr-2', 'key-1')),
    ]);

    expect(second.tenant).toEqual(first.tenant);
    expect(repository.tenants.size).toBe(1);
  });
});

describe('inviting a user', () => {
  let admin: Caller;

  beforeEach(async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    admin = await adminOf('tenant-1');
  });

  it("creates the user in the admin's tenant with the role asked for, INVITED", async () => {
    const user = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-2');

    expect(user).toMatchObject({ email: 'bob@example.com', role: 'member', status: 'INVITED' });
    expect(directory.users.get('bob@example.com')).toMatchObject({ tenantId: 'tenant-1', role: 'member' });
    expect(repository.events.at(-1)).toMatchObject({ tenantId: 'tenant-1', type: 'UserInvited' });
  });

  it('refuses an email already in the tenant', async () => {
    await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-2');

    await expect(
      useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-3'),
    ).rejects.toThrow(EmailTakenError);
    expect(repository.events.filter((event) => event.type === 'UserInvited')).toHaveLength(2);
  });

  it('refuses an email of another tenant with the same message, revealing nothing more', async () => {
    await useCases().createTenant({ name: 'Other', adminEmail: 'eve@example.com' }, request('corr-2'));

    const attempt = useCases().inviteUser(admin, { email: 'eve@example.com', role: 'member' }, 'corr-3');

    await expect(attempt).rejects.toThrow('A user with this email already exists.');
    expect(repository.memberships.size).toBe(2);
  });

  it('never changes a directory user left without a role, from its own tenant or another', async () => {
    const stranded = { userId: 'sub-eve', email: 'eve@example.com', tenantId: 'tenant-1' };
    directory.users.set('eve@example.com', { ...stranded });
    await useCases().createTenant({ name: 'Other', adminEmail: 'mallory@example.com' }, request('c'));
    const otherAdmin: Caller = {
      tenantId: 'tenant-2',
      userId: directory.users.get('mallory@example.com')?.userId ?? '',
      roles: ['admin'],
    };

    for (const caller of [admin, otherAdmin]) {
      await expect(
        useCases().inviteUser(caller, { email: 'eve@example.com', role: 'admin' }, 'corr-3'),
      ).rejects.toThrow(EmailTakenError);
    }
    expect(directory.users.get('eve@example.com')).toEqual(stranded);
  });

  it('finishes an invitation whose table write failed when it is retried', async () => {
    repository.failNextWrite = true;
    await expect(
      useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-2'),
    ).rejects.toThrow('DynamoDB is unavailable');

    const user = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-3');

    expect(user.userId).toBe(directory.users.get('bob@example.com')?.userId);
    expect(repository.memberships.size).toBe(2);
  });

  it('refuses to finish a half-done invitation with another role than the directory holds', async () => {
    repository.failNextWrite = true;
    await expect(
      useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-2'),
    ).rejects.toThrow();

    await expect(
      useCases().inviteUser(admin, { email: 'bob@example.com', role: 'admin' }, 'corr-3'),
    ).rejects.toThrow(EmailTakenError);
  });
});

describe('removing a user', () => {
  let admin: Caller;

  beforeEach(async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    admin = await adminOf('tenant-1');
  });

  it('deletes the directory user and the membership, with UserRemoved naming who removed it', async () => {
    const bob = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'c');

    await useCases().removeUser(admin, bob.userId, 'corr-9');

    expect(directory.users.has('bob@example.com')).toBe(false);
    expect(repository.memberships.has(`tenant-1/${bob.userId}`)).toBe(false);
    expect(repository.events.at(-1)).toMatchObject({
      type: 'UserRemoved',
      data: { userId: bob.userId, reason: 'REMOVED_BY_ADMIN', removedBy: admin.userId },
    });
  });

  it("answers 404 for another tenant's user or an unknown id, and 409 for oneself, changing nothing", async () => {
    await useCases().createTenant({ name: 'Other', adminEmail: 'eve@example.com' }, request('c'));
    const eve = directory.users.get('eve@example.com');

    await expect(useCases().removeUser(admin, eve?.userId ?? '', 'c')).rejects.toThrow(NotFoundError);
    await expect(useCases().removeUser(admin, 'nobody', 'c')).rejects.toThrow(NotFoundError);
    await expect(useCases().removeUser(admin, admin.userId, 'c')).rejects.toThrow(CannotRemoveSelfError);
    expect(directory.users.size).toBe(2);
    expect(repository.memberships.size).toBe(2);
  });

  it('finishes a removal whose table write failed when it is retried', async () => {
    const bob = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'c');
    repository.failNextWrite = true;

    await expect(useCases().removeUser(admin, bob.userId, 'c')).rejects.toThrow('DynamoDB is unavailable');
    await useCases().removeUser(admin, bob.userId, 'c');

    expect(repository.memberships.has(`tenant-1/${bob.userId}`)).toBe(false);
  });

  it('frees the email: the address can be invited again after its user was removed', async () => {
    const bob = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'c');
    await useCases().removeUser(admin, bob.userId, 'c');

    await expect(
      useCases().inviteUser(admin, { email: 'bob@example.com', role: 'admin' }, 'c'),
    ).resolves.toMatchObject({ role: 'admin', status: 'INVITED' });
  });
});

describe('the invitation sweep', () => {
  it('removes invitations not accepted within 7 days, and keeps accepted and newer ones', async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    const admin = await adminOf('tenant-1');
    const stale = await useCases().inviteUser(admin, { email: 'stale@example.com', role: 'member' }, 'c');
    const accepted = await useCases().inviteUser(admin, { email: 'ok@example.com', role: 'member' }, 'c');
    await useCases().activateUser('tenant-1', accepted.userId);
    await useCases().activateUser('tenant-1', admin.userId);
    const eightDaysLater = new Date(now.getTime() + 8 * 24 * 60 * 60 * 1000);
    const later = identityUseCases({ repository, directory, newId: () => 'x', now: () => eightDaysLater });
    const fresh = await later.inviteUser(admin, { email: 'new@example.com', role: 'member' }, 'c');

    const removed = await later.sweepExpiredInvitations('sweep-1');

    expect(removed).toBe(1);
    expect(directory.users.has('stale@example.com')).toBe(false);
    expect([...repository.memberships.values()].map((user) => user.userId).sort()).toEqual(
      [admin.userId, accepted.userId, fresh.userId].sort(),
    );
    expect(repository.events.at(-1)).toMatchObject({
      type: 'UserRemoved',
      data: { userId: stale.userId, reason: 'INVITATION_EXPIRED' },
    });
  });

  it('keeps a user who accepted after the index was read: nothing removed, the directory user kept', async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    const admin = await adminOf('tenant-1');
    await useCases().activateUser('tenant-1', admin.userId);
    const late = await useCases().inviteUser(admin, { email: 'late@example.com', role: 'member' }, 'c');
    const eightDaysLater = new Date(now.getTime() + 8 * 24 * 60 * 60 * 1000);
    const stale = await repository.expiredInvitations(eightDaysLater, 100);
    await useCases().activateUser('tenant-1', late.userId);
    repository.expiredInvitations = async () => stale;
    const later = identityUseCases({ repository, directory, newId: () => 'x', now: () => eightDaysLater });

    const removed = await later.sweepExpiredInvitations('sweep-1');

    expect(stale.map(({ user }) => user.userId)).toContain(late.userId);
    expect(directory.users.has('late@example.com')).toBe(true);
    expect(repository.memberships.get(`tenant-1/${late.userId}`)?.status).toBe('ACTIVE');
    expect(removed).toBe(0);
  });

  it('takes the days from its settings', async () => {
    const oneDay = identityUseCases({
      repository,
      directory,
      newId: () => 't',
      now: () => now,
      invitationTtlDays: 1,
    });

    await oneDay.createTenant(signUp, request('c'));

    expect([...repository.memberships.values()][0]?.expiresAt).toBe('2026-11-30T10:00:00.000Z');
  });
});

describe('activating a user', () => {
  it('marks an invited member ACTIVE and leaves the others alone', async () => {
    await useCases().createTenant(signUp, request('corr-1'));
    const admin = await adminOf('tenant-1');
    const bob = await useCases().inviteUser(admin, { email: 'bob@example.com', role: 'member' }, 'corr-2');

    await useCases().activateUser('tenant-1', bob.userId);

    const { items } = await useCases().listUsers('tenant-1', { limit: 20 });
    expect(items.map((user) => [user.email, user.status])).toEqual([
      ['ada@example.com', 'INVITED'],
      ['bob@example.com', 'ACTIVE'],
    ]);
  });
});
