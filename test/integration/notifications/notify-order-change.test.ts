import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../../events/orders/order-placed.js';
import { notificationsService } from '../../../functions/notifications/service.js';
import {
  tableNameVariable,
  webSocketManagementVariable,
} from '../../../functions/shared/service-definition.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { lambdaContext, type QueueConsumer, queuedEvent, sqsEvent } from '../../fixtures/lambda-events.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(notificationsService.name);
// The adapters are imported after the environment is set: they load the shared logger.
let inbox: ReturnType<
  typeof import('../../../functions/notifications/adapters/inbox-repository.js').dynamoDbInboxRepository
>;
let connections: ReturnType<
  typeof import('../../../functions/notifications/adapters/connection-repository.js').dynamoDbConnectionRepository
>;

let notify: QueueConsumer;
/** The management API's PostToConnection calls, as `<connectionId> <status>`; while `failing`, it answers 500. */
const pushed: string[] = [];
let failing = false;
let managementApi: Server;
let tenantId: string;

beforeAll(async () => {
  managementApi = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const connectionId = decodeURIComponent(request.url?.split('/@connections/')[1] ?? '');
      if (failing) {
        response.writeHead(500).end();
        return;
      }
      pushed.push(`${connectionId} ${(JSON.parse(body) as { status: string }).status}`);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => managementApi.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    [tableNameVariable(notificationsService.name)]: tableName,
    [webSocketManagementVariable]: `http://127.0.0.1:${(managementApi.address() as AddressInfo).port}`,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await createServiceTables(client, [notificationsService]);
  inbox = (
    await import('../../../functions/notifications/adapters/inbox-repository.js')
  ).dynamoDbInboxRepository(tableName);
  connections = (
    await import('../../../functions/notifications/adapters/connection-repository.js')
  ).dynamoDbConnectionRepository(tableName);
  ({ handler: notify } = (await import(
    '../../../functions/notifications/handlers/notify-order-change.js'
  )) as unknown as { handler: QueueConsumer });
});

beforeEach(async () => {
  tenantId = `t-${randomUUID()}`;
  pushed.length = 0;
  await connections.add(
    tenantId,
    { connectionId: 'owner-1', userId: owner, isAdmin: false, expiresAt: new Date(Date.now() + 60_000) },
    5,
    new Date(),
  );
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => managementApi.close(resolve));
});

const queued = (detailType: string, data: Record<string, unknown>): string =>
  queuedEvent(detailType, {
    metadata: {
      eventId: ulid(),
      eventVersion: 1,
      tenantId,
      correlationId: 'c1',
      occurredAt: '2026-11-29T10:00:00.000Z',
    },
    data,
  });

/** The contracts' samples, for one order of the owner's. */
const placed = (orderId: string) => queued('OrderPlaced', { ...orderPlaced.sample, orderId });
const confirmed = (orderId: string) => queued('OrderConfirmed', { ...orderConfirmed.sample, orderId });
const owner = orderConfirmed.sample.userId;

describe('the notifications consumer of order changes, against DynamoDB Local', () => {
  it('pushes every change and puts only a settlement in the inbox, once however often it arrives', async () => {
    const orderId = ulid();
    const confirmation = confirmed(orderId);

    const result = await notify(sqsEvent([placed(orderId), confirmation, confirmation]), lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    // A batch's records are handled concurrently: the pushes come in any order.
    expect([...pushed].sort()).toEqual(['owner-1 CONFIRMED', 'owner-1 CONFIRMED', 'owner-1 PENDING']);
    const { items } = await inbox.list(tenantId, owner, { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ orderId, type: 'ORDER_CONFIRMED' })]);
  });

  it('fails the record when a push fails, after the inbox has it; the redelivery pushes and adds nothing', async () => {
    const confirmation = confirmed(ulid());
    failing = true;

    const first = await notify(sqsEvent([confirmation]), lambdaContext());

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(pushed).toEqual([]);
    expect((await inbox.list(tenantId, owner, { limit: 10 })).items).toHaveLength(1);

    failing = false;
    const redelivered = await notify(sqsEvent([confirmation]), lambdaContext());

    expect(redelivered.batchItemFailures).toEqual([]);
    expect(pushed).toEqual(['owner-1 CONFIRMED']);
    expect((await inbox.list(tenantId, owner, { limit: 10 })).items).toHaveLength(1);
  });
});
