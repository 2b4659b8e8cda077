import { randomUUID } from 'node:crypto';
import { call, claimsOf, mintToken } from './support/api-client.js';

interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
}
interface User {
  userId: string;
  email: string;
  role: 'admin' | 'member';
  status: 'INVITED' | 'ACTIVE';
  createdAt: string;
}

const uniqueEmail = (name: string) => `${name}-${randomUUID()}@example.com`;

async function signUp(adminEmail: string, name = 'Acme Shop', idempotencyKey?: string) {
  return call<Tenant>('POST', '/tenants', {
    json: { name, adminEmail },
    ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
  });
}

describe('sign-up, invitation and sign-in, end to end', () => {
  it('creates a tenant whose admin invites a member who signs in and orders', async () => {
    const adminEmail = uniqueEmail('ada');
    const memberEmail = uniqueEmail('bob');

    const signUpResponse = await signUp(adminEmail);
    expect(signUpResponse.status).toBe(201);
    expect(Object.keys(signUpResponse.body).sort()).toEqual(['createdAt', 'name', 'tenantId']);
    const { tenantId } = signUpResponse.body;

    const adminToken = await mintToken({ email: adminEmail });
    expect(claimsOf(adminToken)).toMatchObject({ tenant_id: tenantId, 'cognito:groups': ['admin'] });
    const adminMe = await call('GET', '/me', { token: adminToken });
    expect(adminMe.status).toBe(200);
    expect(adminMe.body).toEqual({ userId: claimsOf(adminToken).sub, tenantId, roles: ['admin'] });

    const invited = await call<User>('POST', '/users', {
      token: adminToken,
      json: { email: memberEmail.toUpperCase(), role: 'member' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: memberEmail, role: 'member', status: 'INVITED' });

    const memberToken = await mintToken({ email: memberEmail });
    const memberMe = await call('GET', '/me', { token: memberToken });
    expect(memberMe.body).toEqual({ userId: invited.body.userId, tenantId, roles: ['member'] });

    const product = await call<{ productId: string }>('POST', '/products', {
      token: adminToken,
      json: { sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 5 },
    });
    const order = await call<{ orderId: string; status: string }>('POST', '/orders', {
      token: memberToken,
      json: { items: [{ productId: product.body.productId, quantity: 1 }], paymentToken: 'tok_ok' },
    });
    expect(order.status).toBe(202);
    expect((await call('GET', `/orders/${order.body.orderId}`, { token: adminToken })).status).toBe(200);

    expect((await call('GET', '/users', { token: memberToken })).status).toBe(403);
    const users = await call<{ items: User[] }>('GET', '/users', { token: adminToken });
    expect(users.status).toBe(200);
    expect(users.body.items.map((user) => [user.email, user.role, user.status]).sort()).toEqual(
      [
        [adminEmail, 'admin', 'ACTIVE'],
        [memberEmail, 'member', 'ACTIVE'],
      ].sort(),
    );
  });

  it('answers a repeated sign-up with the same Idempotency-Key and body with the first tenant', async () => {
    const adminEmail = uniqueEmail('ada');
    const key = randomUUID();
    const first = await signUp(adminEmail, 'Acme Shop', key);

    const retry = await signUp(adminEmail, 'Acme Shop', key);
    const reused = await signUp(uniqueEmail('bob'), 'Acme Shop', key);

    expect([first.status, retry.status, reused.status]).toEqual([201, 201, 422]);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a repeated sign-up without a key (409), naming no tenant', async () => {
    const adminEmail = uniqueEmail('ada');
    const first = await signUp(adminEmail);

    const repeat = await signUp(adminEmail);
    const other = await signUp(adminEmail, 'Another Shop');

    expect([repeat.status, other.status]).toEqual([409, 409]);
    expect(repeat.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(repeat.body)).not.toContain(first.body.tenantId);
  });

  it('refuses to invite an email that is already a user, here or in another tenant (409), and changes nothing', async () => {
    const adminEmail = uniqueEmail('ada');
    const outsiderEmail = uniqueEmail('eve');
    await signUp(adminEmail);
    await signUp(outsiderEmail, 'Other Shop');
    const adminToken = await mintToken({ email: adminEmail });

    const self = await call('POST', '/users', {
      token: adminToken,
      json: { email: adminEmail, role: 'member' },
    });
    const outsider = await call('POST', '/users', {
      token: adminToken,
      json: { email: outsiderEmail, role: 'member' },
    });

    expect([self.status, outsider.status]).toEqual([409, 409]);
    expect(outsider.body).toMatchObject({ detail: 'A user with this email already exists.' });
    const users = await call<{ items: User[] }>('GET', '/users', { token: adminToken });
    expect(users.body.items.map((user) => user.email)).toEqual([adminEmail]);
    const outsiderMe = await call('GET', '/me', { token: await mintToken({ email: outsiderEmail }) });
    expect(outsiderMe.body).toMatchObject({ roles: ['admin'] });
  });

  it.each([
    ['a bad email', { name: 'Shop', adminEmail: 'not-an-email' }, '/adminEmail'],
    ['an empty name', { name: '', adminEmail: 'x@example.com' }, '/name'],
    ['a name over 100 characters', { name: 'n'.repeat(101), adminEmail: 'x@example.com' }, '/name'],
    ['an unknown field', { name: 'Shop', adminEmail: 'x@example.com', plan: 'gold' }, '/plan'],
  ])('rejects a sign-up with %s (400) and creates no user', async (_, json, path) => {
    const response = await call<{ errors: { path: string }[] }>('POST', '/tenants', { json });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error) => error.path)).toContain(path);
    const token = await call('POST', '/_dev/token', { json: { email: 'x@example.com' } });
    expect(token.status).toBe(400);
  });

  it('removes a user: 204, gone from GET /users, signed out of the directory, its email free again', async () => {
    const adminEmail = uniqueEmail('ada');
    const memberEmail = uniqueEmail('bob');
    await signUp(adminEmail);
    const adminToken = await mintToken({ email: adminEmail });
    const invited = await call<User>('POST', '/users', {
      token: adminToken,
      json: { email: memberEmail, role: 'member' },
    });

    const removed = await call('DELETE', `/users/${invited.body.userId}`, { token: adminToken });
    const again = await call('DELETE', `/users/${invited.body.userId}`, { token: adminToken });
    const self = await call('DELETE', `/users/${String(claimsOf(adminToken).sub)}`, { token: adminToken });

    expect([removed.status, again.status, self.status]).toEqual([204, 404, 409]);
    const users = await call<{ items: User[] }>('GET', '/users', { token: adminToken });
    expect(users.body.items.map((user) => user.email)).toEqual([adminEmail]);
    await expect(mintToken({ email: memberEmail })).rejects.toThrow(/answered 400/);
    const reinvited = await call('POST', '/users', {
      token: adminToken,
      json: { email: memberEmail, role: 'member' },
    });
    expect(reinvited.status).toBe(201);
  });

  it("shows when an invited user's invitation expires, 7 days after it was sent", async () => {
    const adminEmail = uniqueEmail('ada');
    await signUp(adminEmail);
    const adminToken = await mintToken({ email: adminEmail });
    const invited = await call<User & { expiresAt?: string }>('POST', '/users', {
      token: adminToken,
      json: { email: uniqueEmail('cy'), role: 'member' },
    });

    const users = await call<{ items: (User & { expiresAt?: string })[] }>('GET', '/users', {
      token: adminToken,
    });

    const listed = users.body.items.find((user) => user.userId === invited.body.userId);
    expect(Date.parse(listed?.expiresAt ?? '') - Date.parse(invited.body.createdAt)).toBe(
      7 * 24 * 60 * 60 * 1000,
    );
    expect(users.body.items.find((user) => user.status === 'ACTIVE')).not.toHaveProperty('expiresAt');
  });

  it('rejects an invitation with an unknown role (400)', async () => {
    const adminEmail = uniqueEmail('ada');
    await signUp(adminEmail);

    const response = await call('POST', '/users', {
      token: await mintToken({ email: adminEmail }),
      json: { email: uniqueEmail('bob'), role: 'owner' },
    });

    expect(response.status).toBe(400);
  });

  it('gives the sign-up response no token of any kind', async () => {
    const response = await signUp(uniqueEmail('ada'));

    expect(JSON.stringify(response.body)).not.toMatch(/token|password/i);
  });
});
