/**
 * Cross-origin calls as a browser makes them: a preflight, then the request with its Origin. The
 * sandbox allows a dev server on localhost, on any port; against a deployment (E2E_BASE_URL) set
 * E2E_CORS_ORIGIN to one of the stage's `-c corsOrigins`, or the file skips.
 */
import { randomUUID } from 'node:crypto';
import { baseUrl, call, type Identity, newIdentity } from './support/api-client.js';

const origin = process.env.E2E_CORS_ORIGIN ?? (process.env.E2E_OFFLINE ? 'http://localhost:5173' : undefined);
const describeWithOrigin = origin ? describe : describe.skip;
const stranger = 'https://elsewhere.example.net';

const corsHeaderNames = (headers: Headers) =>
  [...headers.keys()].filter((name) => name.startsWith('access-control-'));

const preflight = (path: string, from: string, method = 'POST') =>
  fetch(`${baseUrl()}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin: from,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type, idempotency-key',
    },
  });

describeWithOrigin('a page on another origin', () => {
  const from = origin as string;
  let admin: Identity;

  beforeAll(async () => {
    admin = await newIdentity('admin');
  });

  it('gets a preflight answer naming it, with the methods and headers of the path (204)', async () => {
    const products = await preflight('/products', from);
    const product = await preflight(`/products/${randomUUID()}`, from, 'PATCH');

    expect([products.status, product.status]).toEqual([204, 204]);
    expect(products.headers.get('access-control-allow-origin')).toBe(from);
    expect(products.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual([
      'GET',
      'OPTIONS',
      'POST',
    ]);
    expect(product.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual([
      'GET',
      'OPTIONS',
      'PATCH',
    ]);
    expect(products.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(Number(products.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('reads what it created, its Location and correlation id included', async () => {
    const created = await call<{ productId: string }>('POST', '/products', {
      token: admin.token,
      headers: { origin: from },
      json: {
        sku: `CORS-${randomUUID().slice(0, 8)}`,
        name: 'Mug',
        priceCents: 900,
        currency: 'EUR',
        stock: 3,
      },
    });

    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(from);
    expect(created.headers.get('vary')).toContain('Origin');
    expect(created.headers.get('access-control-expose-headers')).toContain('X-Correlation-Id');
    expect(created.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it("reads errors too: the handler's 400 and the gateway's 401", async () => {
    const invalid = await call('POST', '/products', {
      token: admin.token,
      headers: { origin: from },
      json: {},
    });
    const unauthenticated = await call('GET', '/products', { headers: { origin: from } });

    expect([invalid.status, unauthenticated.status]).toEqual([400, 401]);
    for (const response of [invalid, unauthenticated]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(from);
    }
  });

  it('gives an origin the stage does not allow no CORS header, never *', async () => {
    const refusedPreflight = await preflight('/products', stranger);
    const read = await call('GET', '/products', { token: admin.token, headers: { origin: stranger } });

    expect(read.status).toBe(200);
    expect(corsHeaderNames(refusedPreflight.headers)).toEqual([]);
    expect(corsHeaderNames(read.headers)).toEqual([]);
  });
});
