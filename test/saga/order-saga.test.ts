import { randomUUID } from 'node:crypto';
import { type Invoice, invoiceOf, type PaymentRecord } from '../../functions/billing/domain/payment.js';
import type { catalog as CatalogUseCases } from '../../functions/catalog/composition.js';
import type { orders as OrderUseCases } from '../../functions/orders/composition.js';
import type { Order } from '../../functions/orders/domain/order.js';
import type { Caller } from '../../functions/shared/auth/caller.js';
import { tenantPartition } from '../../functions/shared/tenant-keys.js';
import type { SagaRunner, TaskHandler } from '../../sandbox/saga-runner.js';
import {
  configureEnvironment,
  createTables,
  importTaskHandlers,
  publishedEvents,
  queryPartition,
  sagaRunner,
} from './support/saga-harness.js';

let catalog: typeof CatalogUseCases;
let orders: typeof OrderUseCases;
let taskHandlers: Record<string, TaskHandler>;
let runner: SagaRunner;

interface Tenant {
  id: string;
  admin: Caller;
  buyer: Caller;
  /** Initial stock per product id, for the stock invariant. */
  initialStock: Map<string, number>;
}

function newTenant(): Tenant {
  const id = `t-${randomUUID()}`;
  return {
    id,
    admin: { tenantId: id, userId: 'admin-1', roles: ['admin'] },
    buyer: { tenantId: id, userId: `buyer-${randomUUID()}`, roles: ['member'] },
    initialStock: new Map(),
  };
}

async function seedProduct(
  tenant: Tenant,
  stock: number,
  priceCents = 1000,
  currency = 'EUR',
): Promise<string> {
  const product = await catalog.createProduct(
    { tenantId: tenant.id, correlationId: 'seed' },
    { sku: `SKU-${randomUUID()}`, name: 'Kettle', priceCents, currency, stock },
  );
  tenant.initialStock.set(product.productId, stock);
  return product.productId;
}

async function placeOrder(
  tenant: Tenant,
  items: { productId: string; quantity: number }[],
  paymentToken: string,
): Promise<string> {
  const { order } = await orders.placeOrder({
    caller: tenant.buyer,
    correlationId: `c-${randomUUID()}`,
    input: { items, paymentToken },
  });
  return order.orderId;
}

/** The OrderPlaced event the orders service wrote to its outbox, as the bus rule delivers it. */
async function orderPlacedEvent(tenant: Tenant, orderId: string) {
  const events = await publishedEvents('orders', tenant.id);
  const event = events.find(
    (candidate) =>
      candidate['detail-type'] === 'OrderPlaced' &&
      (candidate.detail as { data: { orderId: string } }).data.orderId === orderId,
  );
  if (!event) throw new Error(`no OrderPlaced for ${orderId}`);
  return event;
}

async function runSaga(tenant: Tenant, orderId: string, sagas: SagaRunner = runner): Promise<Order> {
  sagas.start(await orderPlacedEvent(tenant, orderId));
  await sagas.idle();
  return orders.getOrder(tenant.admin, orderId);
}

async function stockOf(tenant: Tenant, productId: string): Promise<number> {
  return (await catalog.getProduct(tenant.id, productId)).stock;
}

interface ProviderCharge {
  amountCents: number;
  refunded: boolean;
}

/** What the test provider holds per order: the money side of the invariants, apart from billing's books. */
async function providerCharges(tenant: Tenant): Promise<Map<string, ProviderCharge>> {
  const items = await queryPartition('billing', tenantPartition(tenant.id));
  return new Map(
    items
      .filter((item) => String(item.SK).endsWith('#TEST-PROVIDER'))
      .map((item) => [String(item.SK).split('#')[1] as string, item as unknown as ProviderCharge]),
  );
}

/** Every invoice of the tenant: billing reads an order's invoice from its captured payment. */
async function invoicesOf(tenant: Tenant): Promise<Invoice[]> {
  const items = await queryPartition('billing', tenantPartition(tenant.id));
  return items
    .filter((item) => String(item.SK).endsWith('#PAYMENT'))
    .flatMap((item) => invoiceOf(item as unknown as PaymentRecord) ?? []);
}

async function allOrders(tenant: Tenant): Promise<Order[]> {
  const items = await queryPartition('orders', tenantPartition(tenant.id));
  return items.filter((item) => item.entityType === 'ORDER') as unknown as Order[];
}

/** Money and stock balance for a tenant once every saga has ended. */
async function expectInvariants(tenant: Tenant): Promise<void> {
  const settled = await allOrders(tenant);
  const confirmed = settled.filter((order) => order.status === 'CONFIRMED');
  expect(settled.filter((order) => order.status === 'PENDING')).toEqual([]);

  for (const [productId, initial] of tenant.initialStock) {
    const heldByConfirmed = confirmed
      .flatMap((order) => order.items)
      .filter((line) => line.productId === productId)
      .reduce((sum, line) => sum + line.quantity, 0);
    expect((await stockOf(tenant, productId)) + heldByConfirmed).toBe(initial);
  }

  const invoices = await invoicesOf(tenant);
  const captured = invoices.reduce((sum, invoice) => sum + invoice.amountCents, 0);
  const refunded = invoices
    .filter((invoice) => invoice.status === 'REFUNDED')
    .reduce((sum, invoice) => sum + invoice.amountCents, 0);
  const confirmedTotal = confirmed.reduce((sum, order) => sum + (order.totalCents ?? 0), 0);
  expect(captured - refunded).toBe(confirmedTotal);

  // The provider keeps exactly the confirmed orders' totals: every other capture was refunded.
  const held = await providerCharges(tenant);
  for (const order of settled) {
    const charge = held.get(order.orderId);
    const kept = charge && !charge.refunded ? charge.amountCents : 0;
    expect([order.orderId, kept]).toEqual([
      order.orderId,
      order.status === 'CONFIRMED' ? order.totalCents : 0,
    ]);
  }
  for (const order of confirmed) {
    expect(
      invoices.filter((invoice) => invoice.orderId === order.orderId && invoice.status === 'PAID'),
    ).toEqual([expect.objectContaining({ amountCents: order.totalCents })]);
  }
}

/** Starts the saga's sweep of one order, as the sweeper does, and waits for it. */
async function sweep(tenant: Tenant, orderId: string, sagas: SagaRunner = runner): Promise<Order> {
  sagas.start({ sweep: true, order: { tenantId: tenant.id, orderId, correlationId: `sweep-${orderId}` } });
  await sagas.idle();
  return orders.getOrder(tenant.admin, orderId);
}

const failing =
  (message: string): TaskHandler =>
  async () => {
    throw new Error(message);
  };

/** The task does its work (its write happens), then every attempt reports a failure. */
const failingAfterItsWrite =
  (task: string): TaskHandler =>
  async (input, context) => {
    await (taskHandlers[task] as TaskHandler)(input, context);
    throw new Error('lost the response');
  };

beforeAll(async () => {
  configureEnvironment();
  await createTables();
  ({ catalog } = await import('../../functions/catalog/composition.js'));
  ({ orders } = await import('../../functions/orders/composition.js'));
  taskHandlers = await importTaskHandlers();
  runner = await sagaRunner(taskHandlers);
});

describe('order saga (real ASL, real task handlers, DynamoDB Local)', () => {
  it('confirms a paid order at the catalog price and invoices its total', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 5, 1250);

    const order = await runSaga(tenant, await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_ok'));

    expect(order).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 2500,
      currency: 'EUR',
      items: [{ productId, quantity: 2, unitPriceCents: 1250 }],
    });
    expect(await stockOf(tenant, productId)).toBe(3);
    expect(await invoicesOf(tenant)).toEqual([
      expect.objectContaining({ orderId: order.orderId, amountCents: 2500, status: 'PAID' }),
    ]);
    await expectInvariants(tenant);
  });

  it('confirms after one transient failure with tok_flaky', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 5);

    const order = await runSaga(tenant, await placeOrder(tenant, [{ productId, quantity: 1 }], 'tok_flaky'));

    expect(order.status).toBe('CONFIRMED');
    await expectInvariants(tenant);
  });

  it.each([
    ['tok_declined', 'PAYMENT_DECLINED'],
    ['tok_anything_else', 'PAYMENT_DECLINED'],
    ['tok_down', 'PAYMENT_UNAVAILABLE'],
  ])('releases the stock and cancels when the payment token is %s', async (paymentToken, reason) => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 5);

    const order = await runSaga(tenant, await placeOrder(tenant, [{ productId, quantity: 2 }], paymentToken));

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: reason });
    expect(await stockOf(tenant, productId)).toBe(5);
    await expectInvariants(tenant);
  });

  it('cancels with PRODUCT_NOT_FOUND and charges nothing', async () => {
    const tenant = newTenant();

    const order = await runSaga(
      tenant,
      await placeOrder(tenant, [{ productId: 'missing', quantity: 1 }], 'tok_ok'),
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'PRODUCT_NOT_FOUND' });
    expect(await invoicesOf(tenant)).toEqual([]);
  });

  it('cancels with OUT_OF_STOCK and reserves no line of the order', async () => {
    const tenant = newTenant();
    const plenty = await seedProduct(tenant, 10);
    const scarce = await seedProduct(tenant, 1);

    const order = await runSaga(
      tenant,
      await placeOrder(
        tenant,
        [
          { productId: plenty, quantity: 3 },
          { productId: scarce, quantity: 2 },
        ],
        'tok_ok',
      ),
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'OUT_OF_STOCK' });
    expect([await stockOf(tenant, plenty), await stockOf(tenant, scarce)]).toEqual([10, 1]);
    await expectInvariants(tenant);
  });

  it('cancels with CURRENCY_MISMATCH', async () => {
    const tenant = newTenant();
    const euros = await seedProduct(tenant, 3, 100, 'EUR');
    const pounds = await seedProduct(tenant, 3, 100, 'GBP');

    const order = await runSaga(
      tenant,
      await placeOrder(
        tenant,
        [
          { productId: euros, quantity: 1 },
          { productId: pounds, quantity: 1 },
        ],
        'tok_ok',
      ),
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'CURRENCY_MISMATCH' });
    await expectInvariants(tenant);
  });

  it('refunds, releases and cancels when the confirmation fails', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const sagas = await sagaRunner({ ...taskHandlers, ConfirmOrder: failing('orders table unavailable') });

    const order = await runSaga(
      tenant,
      await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_ok'),
      sagas,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'CONFIRMATION_FAILED' });
    expect(await stockOf(tenant, productId)).toBe(4);
    expect(await invoicesOf(tenant)).toEqual([
      expect.objectContaining({ amountCents: 1400, status: 'REFUNDED' }),
    ]);
    await expectInvariants(tenant);
  });

  it.each([
    ['ReserveStock', 'RESERVATION_FAILED'],
    ['ChargePayment', 'PAYMENT_FAILED'],
  ])('settles the order when %s keeps failing after its retries', async (state, reason) => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const sagas = await sagaRunner({ ...taskHandlers, [state]: failing('throttled') });

    const order = await runSaga(
      tenant,
      await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_ok'),
      sagas,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: reason });
    expect(await stockOf(tenant, productId)).toBe(4);
    await expectInvariants(tenant);
  });

  it('refunds a capture the provider took when recording it kept failing', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    // The provider captures (the real handler runs), then the task fails: the fault after the write.
    const sagas = await sagaRunner({ ...taskHandlers, ChargePayment: failingAfterItsWrite('ChargePayment') });

    const order = await runSaga(
      tenant,
      await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_ok'),
      sagas,
    );

    expect(order).toMatchObject({ status: 'CANCELLED', statusReason: 'PAYMENT_FAILED' });
    expect((await providerCharges(tenant)).get(order.orderId)).toMatchObject({
      amountCents: 1400,
      refunded: true,
    });
    await expectInvariants(tenant);
  });

  it('keeps a confirmation that was written although every attempt reported failure', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const sagas = await sagaRunner({ ...taskHandlers, ConfirmOrder: failingAfterItsWrite('ConfirmOrder') });

    const order = await runSaga(
      tenant,
      await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_ok'),
      sagas,
    );

    expect(order).toMatchObject({ status: 'CONFIRMED', totalCents: 1400 });
    expect(await stockOf(tenant, productId)).toBe(2);
    expect(await invoicesOf(tenant)).toEqual([
      expect.objectContaining({ amountCents: 1400, status: 'PAID' }),
    ]);
    await expectInvariants(tenant);
  });

  it('leaves the order PENDING when a compensation keeps failing, and the sweep settles it', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const sagas = await sagaRunner({ ...taskHandlers, ReleaseStock: failing('catalog table unavailable') });
    const orderId = await placeOrder(tenant, [{ productId, quantity: 2 }], 'tok_declined');

    const stranded = await runSaga(tenant, orderId, sagas);

    expect(stranded.status).toBe('PENDING');
    expect([...sagas.executions.values()].map((execution) => execution.error)).toEqual([
      expect.stringContaining('SagaCompensationFailed'),
    ]);
    expect(await stockOf(tenant, productId)).toBe(2);

    const swept = await sweep(tenant, orderId);

    expect(swept).toMatchObject({ status: 'CANCELLED', statusReason: 'EXPIRED' });
    expect(await stockOf(tenant, productId)).toBe(4);
    await expectInvariants(tenant);
  });

  it('settles an order whose saga never started, and a late start then changes nothing', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const orderId = await placeOrder(tenant, [{ productId, quantity: 1 }], 'tok_ok');

    expect(await sweep(tenant, orderId)).toMatchObject({ status: 'CANCELLED', statusReason: 'EXPIRED' });
    const late = await runSaga(tenant, orderId);

    expect(late).toMatchObject({ status: 'CANCELLED', statusReason: 'EXPIRED' });
    expect(await stockOf(tenant, productId)).toBe(4);
    expect(await invoicesOf(tenant)).toEqual([]);
    await expectInvariants(tenant);
  });

  it('sweeps nothing for a settled order', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 4, 700);
    const orderId = await placeOrder(tenant, [{ productId, quantity: 1 }], 'tok_ok');
    await runSaga(tenant, orderId);

    expect(await sweep(tenant, orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect(await stockOf(tenant, productId)).toBe(3);
    await expectInvariants(tenant);
  });

  it('keeps stock and money whole when sweeps race live executions', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 30, 500);
    const orderIds: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      orderIds.push(await placeOrder(tenant, [{ productId, quantity: 1 + (index % 3) }], 'tok_ok'));
    }

    for (const orderId of orderIds) {
      runner.start(await orderPlacedEvent(tenant, orderId));
      runner.start({ sweep: true, order: { tenantId: tenant.id, orderId, correlationId: 'race' } });
    }
    await runner.idle();

    const settled = await allOrders(tenant);
    expect(settled.filter((order) => order.status === 'PENDING')).toEqual([]);
    await expectInvariants(tenant);
  });

  it('runs one saga and one charge for a duplicated OrderPlaced event (Express starts at least once)', async () => {
    const tenant = newTenant();
    const productId = await seedProduct(tenant, 5);
    const orderId = await placeOrder(tenant, [{ productId, quantity: 1 }], 'tok_ok');
    const event = await orderPlacedEvent(tenant, orderId);

    const executions = [runner.start(event), runner.start({ ...event, id: randomUUID() })];
    await runner.idle();

    expect(executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(
      executions.filter((execution) => JSON.stringify(execution.output).includes('"claimed":false')),
    ).toHaveLength(1);
    expect(await invoicesOf(tenant)).toHaveLength(1);
    expect(await stockOf(tenant, productId)).toBe(4);
    await expectInvariants(tenant);
  });

  it('keeps stock and money balanced over 200 random orders', async () => {
    const tenant = newTenant();
    const products = [
      await seedProduct(tenant, 40, 500, 'EUR'),
      await seedProduct(tenant, 25, 1200, 'EUR'),
      await seedProduct(tenant, 10, 999, 'EUR'),
      await seedProduct(tenant, 30, 300, 'USD'),
    ];
    const tokens = ['tok_ok', 'tok_ok', 'tok_ok', 'tok_declined', 'tok_flaky', 'tok_down'];
    let seed = 42;
    const random = (bound: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % bound;
    };
    const orderIds: string[] = [];
    for (let index = 0; index < 200; index += 1) {
      const first = products[random(products.length)] as string;
      const second = products[random(products.length)] as string;
      const items =
        random(4) === 0 && second !== first
          ? [
              { productId: first, quantity: 1 + random(3) },
              { productId: second, quantity: 1 + random(2) },
            ]
          : [{ productId: random(20) === 0 ? 'unknown-product' : first, quantity: 1 + random(4) }];
      orderIds.push(await placeOrder(tenant, items, tokens[random(tokens.length)] as string));
    }

    const placedEvents = (await publishedEvents('orders', tenant.id)).filter(
      (event) => event['detail-type'] === 'OrderPlaced',
    );
    expect(placedEvents).toHaveLength(orderIds.length);
    for (let start = 0; start < placedEvents.length; start += 25) {
      for (const event of placedEvents.slice(start, start + 25)) runner.start(event);
      await runner.idle();
    }

    const settled = await allOrders(tenant);
    expect(settled).toHaveLength(200);
    expect(settled.filter((order) => order.status === 'CONFIRMED').length).toBeGreaterThan(0);
    expect(settled.filter((order) => order.status === 'CANCELLED').length).toBeGreaterThan(0);
    await expectInvariants(tenant);
  });
});
