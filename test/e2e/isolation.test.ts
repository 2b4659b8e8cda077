/**
 * Tenant isolation, generated from the declared routes: every route of every service is attacked
 * with another tenant's token, a member's token where admin is needed, a tampered, an expired and
 * a missing token, and another tenant's cursor; afterwards the victim tenant's data is unchanged.
 * A route added to a service without a probe here fails the first test.
 */
import { randomUUID } from 'node:crypto';
import { services } from '../../functions/services.js';
import type { RouteDefinition } from '../../functions/shared/service-definition.js';
import { type ApiResponse, call, mintToken } from './support/api-client.js';
import {
  type PopulatedTenant,
  populatedTenant,
  reportRange,
  settledOrder,
} from './support/tenant-fixture.js';

interface Probe {
  path: string;
  json?: unknown;
}

/** A request of each route aimed at the victim's data (its ids in paths and bodies). */
const probes: Record<string, (victim: PopulatedTenant) => Probe> = {
  'GET /health': () => ({ path: '/health' }),
  'POST /tenants': () => ({
    path: '/tenants',
    json: { name: 'Probe', adminEmail: `probe-${randomUUID()}@example.com` },
  }),
  'GET /me': () => ({ path: '/me' }),
  'POST /users': () => ({
    path: '/users',
    json: { email: `probe-${randomUUID()}@example.com`, role: 'admin' },
  }),
  'GET /users': () => ({ path: '/users' }),
  'DELETE /users/{userId}': (victim) => ({ path: `/users/${victim.member.userId}` }),
  'POST /products': () => ({
    path: '/products',
    json: { sku: `PROBE-${randomUUID()}`, name: 'Probe', priceCents: 1, currency: 'EUR', stock: 1 },
  }),
  'GET /products': () => ({ path: '/products' }),
  'GET /products/{id}': (victim) => ({ path: `/products/${victim.productIds[0]}` }),
  'PATCH /products/{id}': (victim) => ({
    path: `/products/${victim.productIds[0]}`,
    json: { priceCents: 1 },
  }),
  'POST /orders': (victim) => ({
    path: '/orders',
    json: { items: [{ productId: victim.productIds[0], quantity: 1 }], paymentToken: 'tok_ok' },
  }),
  'GET /orders': () => ({ path: '/orders' }),
  'GET /orders/{id}': (victim) => ({ path: `/orders/${victim.orderIds[0]}` }),
  'GET /invoices': (victim) => ({ path: `/invoices?orderId=${victim.orderIds[0]}` }),
  'GET /notifications': () => ({ path: '/notifications' }),
  'GET /reports/sales': () => ({ path: `/reports/sales?${reportRange()}` }),
  'POST /graphql': (victim) => ({
    path: '/graphql',
    json: {
      query: `{ order(id: "${victim.orderIds[0]}") { orderId items { name } } orders { items { orderId } } }`,
    },
  }),
};

const declared = services.flatMap((service) => Object.values(service.routes) as RouteDefinition[]);
const routeKey = (route: RouteDefinition) => `${route.method} ${route.path}`;
const protectedRoutes = declared.filter((route) => route.access !== 'public');
const adminOnlyRoutes = protectedRoutes.filter(
  (route) => Array.isArray(route.access) && !route.access.includes('member'),
);

let victim: PopulatedTenant;
let attacker: PopulatedTenant;
let victimStateBefore: unknown;
const attackerOrders: string[] = [];
/** What the attacker itself sent (the victim's product id in its own order, say) is not a leak when it comes back. */
const attackerSent: string[] = [];

const send = (route: RouteDefinition, probe: Probe, authorization?: string) =>
  call(route.method, probe.path, {
    ...(probe.json === undefined ? {} : { json: probe.json }),
    ...(authorization ? { headers: { authorization } } : {}),
  });

async function victimProductsCursor(): Promise<string> {
  const page = await call<{ nextCursor: string }>('GET', '/products?limit=1', { token: victim.admin.token });
  return page.body.nextCursor;
}

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
}

beforeAll(async () => {
  [victim, attacker] = await Promise.all([populatedTenant('victim'), populatedTenant('attacker')]);
  victimStateBefore = await victim.state();
}, 60_000);

describe('tenant isolation over every declared route', () => {
  it('has a probe for every declared route, and no probe for a route that does not exist', () => {
    expect(Object.keys(probes).sort()).toEqual(declared.map(routeKey).sort());
  });

  describe.each(protectedRoutes.map((route) => [routeKey(route), route] as const))('%s', (_, route) => {
    const probe = () => (probes[routeKey(route)] as (v: PopulatedTenant) => Probe)(victim);

    it('answers 401 without a token', async () => {
      const response = await send(route, probe());

      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it("answers 401 to the victim admin's token with its tenant claim tampered", async () => {
      const [header, payload, signature] = victim.admin.token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, tenant_id: attacker.tenantId })).toString(
        'base64url',
      );

      expectProblem(await send(route, probe(), `Bearer ${header}.${forged}.${signature}`), 401);
    });

    it("answers 401 to an expired token of the victim's admin", async () => {
      const expired = await mintToken({
        sub: victim.admin.userId,
        tenantId: victim.tenantId,
        roles: ['admin'],
        expiresInSeconds: -60,
      });

      expectProblem(await send(route, probe(), `Bearer ${expired}`), 401);
    });

    it("never shows another tenant's data: 404 for its resources, its own (or no) data otherwise", async () => {
      const request = probe();
      attackerSent.push(JSON.stringify(request));
      const response = await send(route, request, `Bearer ${attacker.admin.token}`);
      const leaked = victim
        .identifiers()
        .filter(
          (identifier) =>
            !attackerSent.some((sent) => sent.includes(identifier)) &&
            JSON.stringify(response.body).includes(identifier),
        );

      if (route.path.includes('{')) expectProblem(response, 404);
      else expect([200, 201, 202]).toContain(response.status);
      expect(leaked).toEqual([]);
      if (route.method === 'POST' && route.path === '/orders')
        attackerOrders.push(String(response.body.orderId));
    });
  });

  describe.each(adminOnlyRoutes.map((route) => [routeKey(route), route] as const))('%s', (_, route) => {
    it("answers 403 to a member of the victim's own tenant", async () => {
      const probe = (probes[routeKey(route)] as (v: PopulatedTenant) => Probe)(victim);

      expectProblem(await send(route, probe, `Bearer ${victim.member.token}`), 403);
    });
  });

  const listRoutes = protectedRoutes.filter((route) => route.method === 'GET' && !route.path.includes('{'));
  describe.each(listRoutes.map((route) => [routeKey(route), route] as const))('%s', (_, route) => {
    it("answers 400 to another tenant's cursor", async () => {
      const probe = (probes[routeKey(route)] as (v: PopulatedTenant) => Probe)(victim);
      const separator = probe.path.includes('?') ? '&' : '?';
      // The member owns the orders (and so the notifications); admin-only routes are read as the admin.
      const reader =
        Array.isArray(route.access) && route.access.includes('member') ? victim.member : victim.admin;
      const firstPage = await call<{ nextCursor?: string }>('GET', `${probe.path}${separator}limit=1`, {
        token: reader.token,
      });
      // A route that pages hands out its own cursor; one that takes no cursor (/me, /invoices) must
      // refuse a cursor from a route that does.
      const pages = firstPage.status === 200;
      if (pages) expect(firstPage.body.nextCursor).toEqual(expect.any(String));
      else expectProblem(firstPage, 400);
      const cursor = pages ? firstPage.body.nextCursor : await victimProductsCursor();

      const stolen = await call('GET', `${probe.path}${separator}cursor=${cursor}`, {
        token: attacker.admin.token,
      });

      expectProblem(stolen, 400);
    });
  });

  it("leaves the victim's products, orders, users and invoices exactly as they were", async () => {
    // The attacker's order for the victim's product runs its saga in the attacker's tenant: let it settle.
    for (const orderId of attackerOrders) await settledOrder(attacker.admin.token, orderId);

    expect(await victim.state()).toEqual(victimStateBefore);
  });
});
