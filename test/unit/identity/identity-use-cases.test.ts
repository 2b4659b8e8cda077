import { EmailTakenError, identityUseCases } from '../../../functions/identity/domain/identity-use-cases.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
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

describe('creating a tenant', () => {
  it('creates the tenant, invites its first admin into the admin role and records both events', async () => {
    const tenant = await useCases().createTenant(signUp, 'corr-1');

    expect(tenant).toEqual({ tenantId: 'tenant-1', name: 'Acme Shop', createdAt: now.toISOString() });
    const admin = directory.users.get('ada@example.com');
    expect(admin).toMatchObject({ tenantId: 'tenant-1', role: 'admin' });
    expect([...repository.memberships.values()]).toEqual([
      {
        userId: admin?.userId,
        email: 'ada@example.com',
        role: 'admin',
        status: 'INVITED',
        createdAt: now.toISOString(),
      },
    ]);
    expect(repository.events.map((event) => event.type)).toEqual(['TenantCreated', 'UserInvited']);
  });

  it('returns the same tenant to a retry of the same sign-up and creates nothing more', async () => {
    const first = await useCases().createTenant(signUp, 'corr-1');

    const retry = await useCases().createTenant(signUp, 'corr-2');

    expect(retry).toEqual(first);
    expect(repository.tenants.size).toBe(1);
    expect(directory.users.size).toBe(1);
    expect(repository.events).toHaveLength(2);
  });

  it('refuses a second tenant for an email that already administers one', async () => {
    await useCases().createTenant(signUp, 'corr-1');

    await expect(useCases().createTenant({ ...signUp, name: 'Other Shop' }, 'corr-2')).rejects.toThrow(
      EmailTakenError,
    );
    expect(repository.tenants.size).toBe(1);
  });

  it('refuses a sign-up with the email of a member of another tenant', async () => {
    await useCases().createTenant(signUp, 'corr-1');
    await useCases().inviteUser(await adminOf('tenant-1'), { email: 'bob@example.com', role: 'member' }, 'c');

    await expect(
      useCases().createTenant({ name: 'Bob Shop', adminEmail: 'bob@example.com' }, 'c'),
    ).rejects.toThrow(EmailTakenError);
  });

  it('writes nothing when the directory fails, and a retry then succeeds', async () => {
    directory.failNextCreate = true;

    await expect(useCases().createTenant(signUp, 'corr-1')).rejects.toThrow('Cognito is unavailable');
    expect(repository.tenants.size).toBe(0);

    await expect(useCases().createTenant(signUp, 'corr-2')).resolves.toMatchObject({ name: 'Acme Shop' });
  });

  it('leaves no tenant without an admin when the table write fails, and a retry finishes the same tenant', async () => {
    repository.failNextWrite = true;

    await expect(useCases().createTenant(signUp, 'corr-1')).rejects.toThrow('DynamoDB is unavailable');
    expect(repository.tenants.size).toBe(0);
    expect(directory.users.get('ada@example.com')?.tenantId).toBe('tenant-1');

    const retried = await useCases().createTenant(signUp, 'corr-2');

    expect(retried.tenantId).toBe('tenant-1');
    expect(repository.tenants.size).toBe(1);
    expect(repository.memberships.size).toBe(1);
  });

  it('returns the stored tenant when a concurrent retry wrote it first', async () => {
    const concurrent = useCases();
    const [first, second] = await Promise.all([
      concurrent.createTenant(signUp, 'corr-1'),
      concurrent.createTenant(signUp, 'corr-2'),
    ]);

    expect(second).toEqual(first);
    expect(repository.tenants.size).toBe(1);
  });
});

describe('inviting a user', () => {
  let admin: Caller;

  beforeEach(async () => {
    await useCases().createTenant(signUp, 'corr-1');
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
    await useCases().createTenant({ name: 'Other', adminEmail: 'eve@example.com' }, 'corr-2');

    const attempt = useCases().inviteUser(admin, { email: 'eve@example.com', role: 'member' }, 'corr-3');

    await expect(attempt).rejects.toThrow('A user with this email already exists.');
    expect(repository.memberships.size).toBe(2);
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

describe('activating a user', () => {
  it('marks an invited member ACTIVE and leaves the others alone', async () => {
    await useCases().createTenant(signUp, 'corr-1');
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
