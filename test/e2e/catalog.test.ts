import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { type ApiResponse, call, type Identity, mintToken, newIdentity } from './support/api-client.js';

interface Product {
  productId: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  requestId: string;
}

let admin: Identity;
let member: Identity;
let otherTenantAdmin: Identity;

const newProduct = (overrides: Record<string, unknown> = {}) => ({
  sku: `SKU-${randomUUID()}`,
  name: 'Espresso cup',
  priceCents: 1250,
  currency: 'EUR',
  stock: 10,
  ...overrides,
});

async function createProduct(identity: Identity, overrides: Record<string, unknown> = {}): Promise<Product> {
  const response = await call<Product>('POST', '/products', {
    token: identity.token,
    json: newProduct(overrides),
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function allProducts(identity: Identity): Promise<Product[]> {
  const response = await call<{ items: Product[] }>('GET', '/products?limit=100', { token: identity.token });
  expect(response.status).toBe(200);
  return response.body.items;
}

function expectProblem(response: ApiResponse<Problem>, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toEqual(
    expect.objectContaining({
      status,
      type: expect.any(String),
      title: expect.any(String),
      requestId: expect.any(String),
    }),
  );
}

/** Runs a request that must fail and proves it changed none of the tenant's products. */
async function expectRejectedWithoutWrites(
  identity: Identity,
  status: number,
  send: () => Promise<ApiResponse<Problem>>,
): Promise<ApiResponse<Problem>> {
  const before = await allProducts(identity);
  const response = await send();
  expectProblem(response, status);
  expect(await allProducts(identity)).toEqual(before);
  return response;
}

beforeAll(async () => {
  admin = await newIdentity('admin');
  member = await newIdentity('member', admin.tenantId);
  otherTenantAdmin = await newIdentity('admin');
  await createProduct(admin, { sku: 'SEED-1' });
});

describe('GET /health', () => {
  it('answers 200 without a token', async () => {
    const response = await call('GET', '/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

describe('POST /products', () => {
  it('creates a product (201) with Location and ETag', async () => {
    const input = newProduct();

    const response = await call<Product>('POST', '/products', { token: admin.token, json: input });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      ...input,
      productId: expect.any(String),
      version: 1,
      createdAt: expect.any(String),
      updatedAt: response.body.createdAt,
    });
    expect(response.headers.get('location')).toBe(`/products/${response.body.productId}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('rejects a duplicate sku in the same tenant (409) and keeps the first product', async () => {
    const first = await createProduct(admin);

    await expectRejectedWithoutWrites(admin, 409, () =>
      call('POST', '/products', { token: admin.token, json: newProduct({ sku: first.sku, name: 'Other' }) }),
    );
  });

  it('allows the same sku in another tenant', async () => {
    const first = await createProduct(admin);

    const response = await call('POST', '/products', {
      token: otherTenantAdmin.token,
      json: newProduct({ sku: first.sku }),
    });

    expect(response.status).toBe(201);
  });

  it('rejects malformed JSON (400)', async () => {
    await expectRejectedWithoutWrites(admin, 400, () =>
      call('POST', '/products', {
        token: admin.token,
        body: '{"sku": "A",',
        headers: { 'content-type': 'application/json' },
      }),
    );
  });

  it('rejects out-of-range fields (400) and lists every bad field', async () => {
    const response = await expectRejectedWithoutWrites(admin, 400, () =>
      call('POST', '/products', {
        token: admin.token,
        json: newProduct({ priceCents: -1, currency: 'eur', stock: 1.5 }),
      }),
    );

    expect(response.body.errors?.map((error) => error.path).sort()).toEqual([
      '/currency',
      '/priceCents',
      '/stock',
    ]);
  });

  it('rejects an unknown field (400)', async () => {
    const response = await expectRejectedWithoutWrites(admin, 400, () =>
      call('POST', '/products', { token: admin.token, json: newProduct({ colour: 'red' }) }),
    );

    expect(response.body.errors).toEqual([{ path: '/colour', message: 'Unknown field' }]);
  });

  it('rejects a body over 64 KiB (413)', async () => {
    await expectRejectedWithoutWrites(admin, 413, () =>
      call('POST', '/products', { token: admin.token, json: newProduct({ name: 'x'.repeat(70 * 1024) }) }),
    );
  });

  it('rejects a body that is not application/json (415)', async () => {
    await expectRejectedWithoutWrites(admin, 415, () =>
      call('POST', '/products', {
        token: admin.token,
        body: JSON.stringify(newProduct()),
        headers: { 'content-type': 'text/plain' },
      }),
    );
  });

  it('forbids members (403)', async () => {
    await expectRejectedWithoutWrites(admin, 403, () =>
      call('POST', '/products', { token: member.token, json: newProduct() }),
    );
  });
});

describe('authentication', () => {
  const createWith = (authorization?: string) =>
    call<Problem>('POST', '/products', {
      json: newProduct(),
      ...(authorization ? { headers: { authorization } } : {}),
    });

  async function expectUnauthorized(authorization?: string): Promise<void> {
    const response = await expectRejectedWithoutWrites(admin, 401, () => createWith(authorization));
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  }

  it('rejects a request without a token (401)', async () => {
    await expectUnauthorized();
  });

  it('rejects a tampered token (401)', async () => {
    const [header, payload, signature] = admin.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, tenant_id: otherTenantAdmin.tenantId })).toString(
      'base64url',
    );

    await expectUnauthorized(`Bearer ${header}.${forged}.${signature}`);
  });

  it('rejects an expired token (401)', async () => {
    const expired = await mintToken({
      sub: admin.sub,
      tenantId: admin.tenantId,
      roles: ['admin'],
      expiresInSeconds: -60,
    });

    await expectUnauthorized(`Bearer ${expired}`);
  });

  it('rejects an unsigned alg=none token (401)', async () => {
    const [, payload] = admin.token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');

    await expectUnauthorized(`Bearer ${header}.${payload}.`);
  });

  it('rejects a token from another issuer (401)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({
      tenant_id: admin.tenantId,
      'cognito:groups': ['admin'],
      token_use: 'access',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'foreign' })
      .setIssuer('https://issuer.example.com')
      .setAudience('serverless-saas')
      .setSubject(admin.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    await expectUnauthorized(`Bearer ${foreign}`);
  });
});

describe('GET /products/{id}', () => {
  it('returns the product (200)', async () => {
    const created = await createProduct(admin);

    const response = await call<Product>('GET', `/products/${created.productId}`, { token: member.token });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('answers 404 for an unknown product', async () => {
    const response = await call<Problem>('GET', '/products/01JNOSUCHPRODUCT0000000000', {
      token: admin.token,
    });

    expectProblem(response, 404);
  });

  it("answers 404 for another tenant's product", async () => {
    const created = await createProduct(admin);

    const response = await call<Problem>('GET', `/products/${created.productId}`, {
      token: otherTenantAdmin.token,
    });

    expectProblem(response, 404);
  });
});

describe('GET /products', () => {
  it('pages through the tenant products with an opaque cursor', async () => {
    const pager = await newIdentity('admin');
    const created = [await createProduct(pager), await createProduct(pager), await createProduct(pager)];

    const first = await call<{ items: Product[]; nextCursor?: string }>('GET', '/products?limit=2', {
      token: pager.token,
    });
    const second = await call<{ items: Product[]; nextCursor?: string }>(
      'GET',
      `/products?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      { token: pager.token },
    );

    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeUndefined();
    expect([...first.body.items, ...second.body.items].map((p) => p.productId).sort()).toEqual(
      created.map((p) => p.productId).sort(),
    );
  });

  it("rejects another tenant's cursor (400)", async () => {
    await createProduct(otherTenantAdmin);
    await createProduct(otherTenantAdmin);
    const page = await call<{ nextCursor?: string }>('GET', '/products?limit=1', {
      token: otherTenantAdmin.token,
    });
    expect(page.body.nextCursor).toEqual(expect.any(String));

    const response = await call<Problem>('GET', `/products?cursor=${page.body.nextCursor}`, {
      token: admin.token,
    });

    expectProblem(response, 400);
  });

  it('rejects a garbage cursor (400)', async () => {
    const response = await call<Problem>('GET', '/products?cursor=not-a-cursor', { token: admin.token });

    expectProblem(response, 400);
  });

  it.each(['0', '101', 'ten'])('rejects limit=%s (400)', async (limit) => {
    const response = await call<Problem>('GET', `/products?limit=${limit}`, { token: admin.token });

    expectProblem(response, 400);
  });

  it('rejects an unknown query parameter (400)', async () => {
    const response = await call<Problem>('GET', '/products?sort=name', { token: admin.token });

    expectProblem(response, 400);
  });
});

describe('PATCH /products/{id}', () => {
  it('updates with a matching If-Match (200) and bumps the version', async () => {
    const created = await createProduct(admin);

    const response = await call<Product>('PATCH', `/products/${created.productId}`, {
      token: admin.token,
      json: { stock: 3, name: 'Espresso cup (blue)' },
      headers: { 'if-match': '"1"' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...created,
      stock: 3,
      name: 'Espresso cup (blue)',
      version: 2,
      updatedAt: expect.any(String),
    });
    expect(response.headers.get('etag')).toBe('"2"');
  });

  it('rejects a stale If-Match (412) and changes nothing', async () => {
    const created = await createProduct(admin);

    await expectRejectedWithoutWrites(admin, 412, () =>
      call('PATCH', `/products/${created.productId}`, {
        token: admin.token,
        json: { stock: 1 },
        headers: { 'if-match': '"7"' },
      }),
    );
  });

  it('rejects an empty patch (400)', async () => {
    const created = await createProduct(admin);

    await expectRejectedWithoutWrites(admin, 400, () =>
      call('PATCH', `/products/${created.productId}`, { token: admin.token, json: {} }),
    );
  });

  it("answers 404 when patching another tenant's product and leaves it unchanged", async () => {
    const created = await createProduct(admin);

    const response = await call<Problem>('PATCH', `/products/${created.productId}`, {
      token: otherTenantAdmin.token,
      json: { stock: 0 },
    });

    expectProblem(response, 404);
    const after = await call<Product>('GET', `/products/${created.productId}`, { token: admin.token });
    expect(after.body).toEqual(created);
  });

  it('forbids members (403)', async () => {
    const created = await createProduct(admin);

    await expectRejectedWithoutWrites(admin, 403, () =>
      call('PATCH', `/products/${created.productId}`, { token: member.token, json: { stock: 0 } }),
    );
  });
});

describe('unknown routes', () => {
  it('answer 404 problem', async () => {
    const response = await call<Problem>('GET', '/no-such-route', { token: admin.token });

    expectProblem(response, 404);
  });
});
