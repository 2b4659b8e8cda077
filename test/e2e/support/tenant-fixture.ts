/**
 * A tenant made the way a customer makes one, over HTTP: sign-up, the admin signs in by email,
 * invites a member who signs in, two products, two settled orders by the member. Its `state()`
 * reads everything the tenant owns, so a test can prove an attack changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { call, claimsOf, mintToken } from './api-client.js';
import { eventually } from './eventually.js';

export interface SignedInUser {
  email: string;
  userId: string;
  token: string;
}

export interface PopulatedTenant {
  tenantId: string;
  admin: SignedInUser;
  member: SignedInUser;
  productIds: string[];
  orderIds: string[];
  /** Every identifier and email of the tenant's data: none may reach another tenant. */
  identifiers(): string[];
  state(): Promise<unknown>;
}

async function signedIn(email: string): Promise<SignedInUser> {
  const token = await mintToken({ email });
  return { email, token, userId: String(claimsOf(token).sub) };
}

function expectStatus(response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

export async function settledOrder(token: string, orderId: string, timeoutMs = 20_000): Promise<unknown> {
  return eventually(
    async () => {
      const response = await call<{ status: string }>('GET', `/orders/${orderId}`, { token });
      return response.body.status === 'PENDING' ? undefined : response.body;
    },
    `order ${orderId} settled`,
    { timeoutMs },
  );
}

/** Yesterday to tomorrow (UTC): today's sales, whatever the clock does during a run. */
export function reportRange(): string {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return `from=${day(-1)}&to=${day(1)}`;
}

export interface SalesDay {
  date: string;
  currency: string;
  orders: number;
  revenueCents: number;
}

/** Waits until the tenant's sales report counts `orders` confirmed orders: it is built from events. */
export async function salesReport(adminToken: string, orders: number): Promise<SalesDay[]> {
  return eventually(async () => {
    const response = await call<{ days: SalesDay[] }>('GET', `/reports/sales?${reportRange()}`, {
      token: adminToken,
    });
    const counted = response.body.days.reduce((sum, day) => sum + day.orders, 0);
    return counted >= orders ? response.body.days : undefined;
  }, `a sales report counting ${orders} orders`);
}

/** Waits until the caller's inbox holds `count` notifications: they arrive through a queue, after the order settles. */
export async function notificationsOf(token: string, count: number): Promise<unknown[]> {
  return eventually(async () => {
    const response = await call<{ items: unknown[] }>('GET', '/notifications', { token });
    return response.body.items.length >= count ? response.body.items : undefined;
  }, `${count} notifications`);
}

export async function populatedTenant(label: string): Promise<PopulatedTenant> {
  const adminEmail = `${label}-admin-${randomUUID()}@example.com`;
  const memberEmail = `${label}-member-${randomUUID()}@example.com`;
  const signUp = await call<{ tenantId: string }>('POST', '/tenants', {
    json: { name: `${label} shop`, adminEmail },
  });
  expectStatus(signUp, 201);
  const admin = await signedIn(adminEmail);
  expectStatus(
    await call('POST', '/users', { token: admin.token, json: { email: memberEmail, role: 'member' } }),
    201,
  );
  const member = await signedIn(memberEmail);

  const productIds: string[] = [];
  for (const sku of ['MUG', 'TEAPOT']) {
    const product = await call<{ productId: string }>('POST', '/products', {
      token: admin.token,
      json: { sku: `${label}-${sku}`, name: sku, priceCents: 1500, currency: 'EUR', stock: 10 },
    });
    expectStatus(product, 201);
    productIds.push(product.body.productId);
  }
  const orderIds: string[] = [];
  for (const productId of productIds) {
    const order = await call<{ orderId: string }>('POST', '/orders', {
      token: member.token,
      json: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' },
    });
    expectStatus(order, 202);
    orderIds.push(order.body.orderId);
  }
  for (const orderId of orderIds) await settledOrder(member.token, orderId);
  await notificationsOf(member.token, orderIds.length);
  await salesReport(admin.token, orderIds.length);

  const tenantId = signUp.body.tenantId;
  const state = async () => {
    const read = async (path: string) => (await call('GET', path, { token: admin.token })).body;
    return {
      products: await read('/products'),
      orders: await read('/orders'),
      users: await read('/users'),
      invoices: await Promise.all(orderIds.map((orderId) => read(`/invoices?orderId=${orderId}`))),
      memberNotifications: (await call('GET', '/notifications', { token: member.token })).body,
      sales: await read(`/reports/sales?${reportRange()}`),
    };
  };
  let invoiceIds: string[] = [];
  const invoices = (await state()).invoices as { items: { invoiceId: string }[] }[];
  invoiceIds = invoices.flatMap((page) => page.items.map((invoice) => invoice.invoiceId));
  return {
    tenantId,
    admin,
    member,
    productIds,
    orderIds,
    identifiers: () => [
      tenantId,
      admin.userId,
      member.userId,
      adminEmail,
      memberEmail,
      ...productIds,
      ...orderIds,
      ...invoiceIds,
    ],
    state,
  };
}
