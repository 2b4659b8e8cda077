import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { reportingService } from '../../../functions/reporting/service.js';
import { tableNameVariable } from '../../../functions/shared/service-definition.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { lambdaContext, type QueueConsumer, queuedEvent, sqsEvent } from '../../fixtures/lambda-events.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(reportingService.name);
Object.assign(process.env, {
  [tableNameVariable(reportingService.name)]: tableName,
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

let project: QueueConsumer;
let reporting: typeof import('../../../functions/reporting/composition.js').reporting;
let repository: ReturnType<
  typeof import('../../../functions/reporting/adapters/reporting-repository.js').dynamoDbReportingRepository
>;

let tenantId: string;

beforeAll(async () => {
  await createServiceTables(client, [reportingService]);
  ({ handler: project } = (await import(
    '../../../functions/reporting/handlers/project-order-events.js'
  )) as unknown as {
    handler: QueueConsumer;
  });
  ({ reporting } = await import('../../../functions/reporting/composition.js'));
  const { dynamoDbReportingRepository } = await import(
    '../../../functions/reporting/adapters/reporting-repository.js'
  );
  repository = dynamoDbReportingRepository(tableName);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

/** An order's events as the outbox publishes them and the queue delivers them (EventBridge JSON bodies). */
function orderEvents(totalCents: number, confirmedAt: string, currency = 'EUR') {
  const orderId = ulid();
  const envelope = (source: string, detailType: string, occurredAt: string, data: unknown) =>
    queuedEvent(
      detailType,
      { metadata: { eventId: ulid(), eventVersion: 1, tenantId, correlationId: 'c1', occurredAt }, data },
      source,
    );
  return {
    orderId,
    bodies: [
      envelope('saas.orders', 'OrderPlaced', '2026-11-29T09:00:00.000Z', {
        orderId,
        userId: 'u1',
        items: [{ productId: 'p1', quantity: 1 }],
        createdAt: '2026-11-29T09:00:00.000Z',
      }),
      envelope('saas.orders', 'OrderConfirmed', confirmedAt, {
        orderId,
        userId: 'u1',
        items: [{ productId: 'p1', quantity: 1, unitPriceCents: totalCents }],
        totalCents,
        currency,
        invoiceId: `inv-${orderId}`,
        confirmedAt,
      }),
    ],
  };
}

describe('the reporting projections against DynamoDB Local', () => {
  it('sums confirmed orders per day and currency, and replaying every event changes nothing', async () => {
    const orders = [
      orderEvents(1000, '2026-11-28T23:59:59.000Z'),
      orderEvents(2500, '2026-11-29T00:00:01.000Z'),
      orderEvents(700, '2026-11-29T12:00:00.000Z'),
      orderEvents(900, '2026-11-29T12:00:00.000Z', 'USD'),
    ];
    const bodies = orders.flatMap((order) => order.bodies);

    expect((await project(sqsEvent(bodies), lambdaContext())).batchItemFailures).toEqual([]);
    const report = await reporting.salesReport(tenantId, '2026-11-28', '2026-11-29');
    expect((await project(sqsEvent([...bodies].reverse()), lambdaContext())).batchItemFailures).toEqual([]);

    expect(report).toEqual([
      { date: '2026-11-28', currency: 'EUR', orders: 1, revenueCents: 1000 },
      { date: '2026-11-29', currency: 'EUR', orders: 2, revenueCents: 3200 },
      { date: '2026-11-29', currency: 'USD', orders: 1, revenueCents: 900 },
    ]);
    expect(await reporting.salesReport(tenantId, '2026-11-28', '2026-11-29')).toEqual(report);
    expect(await reporting.salesReport(tenantId, '2026-11-29', '2026-11-29')).toHaveLength(2);
  });

  it('builds the same order view from events delivered concurrently and out of order', async () => {
    const { orderId, bodies } = orderEvents(1200, '2026-11-29T10:00:00.000Z');

    await Promise.all([...bodies].reverse().map((body) => project(sqsEvent([body]), lambdaContext())));

    const stored = await repository.getOrderView(tenantId, orderId);
    expect(stored?.view).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 1200,
      createdAt: '2026-11-29T09:00:00.000Z',
      invoice: { status: 'PAID', amountCents: 1200 },
    });
    expect(stored?.view.appliedEventIds).toHaveLength(2);
  });

  it('refuses a view write based on a stale revision', async () => {
    const { orderId, bodies } = orderEvents(1200, '2026-11-29T10:00:00.000Z');
    await project(sqsEvent(bodies.slice(0, 1)), lambdaContext());
    const stored = await repository.getOrderView(tenantId, orderId);
    if (!stored) throw new Error('no view');

    await expect(repository.putOrderView(tenantId, stored.view, stored.revision)).resolves.toBe(true);
    await expect(repository.putOrderView(tenantId, stored.view, stored.revision)).resolves.toBe(false);
    await expect(repository.putOrderView(tenantId, stored.view, undefined)).resolves.toBe(false);
  });

  it('adds a sale to its day only with the view write that wins', async () => {
    const { orderId, bodies } = orderEvents(500, '2026-11-29T10:00:00.000Z');
    await project(sqsEvent(bodies.slice(0, 1)), lambdaContext());
    const stored = await repository.getOrderView(tenantId, orderId);
    if (!stored) throw new Error('no view');
    const sale = { orderId, date: '2026-11-29', currency: 'EUR', revenueCents: 500 };

    await expect(repository.putOrderView(tenantId, stored.view, stored.revision, sale)).resolves.toBe(true);
    await expect(repository.putOrderView(tenantId, stored.view, stored.revision, sale)).resolves.toBe(false);

    expect(await repository.salesBetween(tenantId, '2026-11-29', '2026-11-29')).toEqual([
      { date: '2026-11-29', currency: 'EUR', orders: 1, revenueCents: 500 },
    ]);
  });

  it('counts an order once when two confirmations of it (distinct events) arrive together', async () => {
    const { bodies } = orderEvents(800, '2026-11-29T10:00:00.000Z');
    const confirmation = JSON.parse(bodies[1] as string) as { detail: { metadata: { eventId: string } } };
    confirmation.detail.metadata.eventId = ulid();

    await Promise.all(
      [bodies[1] as string, JSON.stringify(confirmation)].map((body) =>
        project(sqsEvent([body]), lambdaContext()),
      ),
    );

    expect(await repository.salesBetween(tenantId, '2026-11-29', '2026-11-29')).toEqual([
      { date: '2026-11-29', currency: 'EUR', orders: 1, revenueCents: 800 },
    ]);
  });
});
