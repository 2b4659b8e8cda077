/**
 * What one confirmed order costs, from counts measured in the sandbox and priced at us-east-1 list
 * prices, for both saga workflow types:
 *   - DynamoDB write and read units, as DynamoDB reports them (`ReturnConsumedCapacity`, indexes
 *     included), and the write units each partition key takes per order (the busiest one caps a
 *     tenant's order rate)
 *   - Lambda invocations and GB-seconds from every handler's measured duration at its memory
 *   - API Gateway requests, EventBridge events, SQS requests
 *   - Step Functions: state transitions (Standard) or requests and duration (Express)
 *   - CloudWatch Logs ingestion: what the handlers log and their metrics (EMF) lines (Lambda's own
 *     START/END/REPORT lines are off: the functions log system events at WARN)
 * The sandbox runs on DynamoDB Local, slower than DynamoDB, so durations are upper bounds. Prices
 * are assumptions to update when AWS changes them.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { services } from '../functions/services.js';
import { documentClient } from '../functions/shared/dynamodb.js';
import type { TableDefinition } from '../functions/shared/service-definition.js';
import { localCredentials, localRegion } from '../sandbox/dynamodb-local.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { type Item, indexWriteUnits, itemKilobytes } from './dynamodb-billing.js';
import { handlerLogs } from './environment.js';

/** us-east-1 list prices, USD. */
export const listPrices = {
  dynamoDbWriteUnit: 0.625 / 1_000_000,
  dynamoDbReadUnit: 0.125 / 1_000_000,
  lambdaRequest: 0.2 / 1_000_000,
  /** Arm64. */
  lambdaGbSecond: 0.0000133334,
  apiGatewayRestRequest: 3.5 / 1_000_000,
  eventBridgeEvent: 1.0 / 1_000_000,
  sqsRequest: 0.4 / 1_000_000,
  standardTransition: 0.025 / 1_000,
  expressRequest: 1.0 / 1_000_000,
  /** Express bills duration in 100 ms steps, memory in 64 MB chunks. */
  expressGbSecond: 0.00001667,
  cloudWatchLogsGb: 0.5,
};

/** The memory every function is deployed with (ServiceFunction's default). */
const lambdaMemoryGb = 256 / 1024;
const expressMemoryGb = 64 / 1024;

interface CapacityCounters {
  writeUnits: number;
  readUnits: number;
  /** Write units on each `<table> <partition key>` (the table's own, not its indexes'). */
  byPartition: Map<string, number>;
}

type ConsumedCapacity = { CapacityUnits?: number; Table?: { CapacityUnits?: number } };

/** The client's own command names (the document client wraps them). */
const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
]);

type WriteItem = {
  TableName?: string;
  Item?: Item & { PK?: unknown };
  Key?: Item & { PK?: unknown };
};

/** A key attribute as the document client passes it, or marshalled (`{ S: ... }`). */
function partitionOf(item: WriteItem): string {
  const pk = (item.Item ?? item.Key)?.PK;
  return `${item.TableName} ${typeof pk === 'object' && pk !== null ? (pk as { S?: string }).S : String(pk)}`;
}

/** Write units a request took: on its tables' partition keys, and in all (indexes included). */
interface WriteUnits {
  byPartition: [string, number][];
  total: number;
}

/**
 * Counts every write's units as DynamoDB bills them. A single write's come from DynamoDB Local
 * (`ReturnConsumedCapacity: INDEXES`). Transactions' do not: Local charges 2 units per KB of the
 * largest item only (three 100-byte items cost 2), where DynamoDB charges 2 per KB of every item
 * (6). So a transaction is counted from its items: 2 per KB per item (its larger version), and
 * each index's writes from the item before and after (`indexWriteUnits`), both read by a client of
 * its own (uncounted).
 */
function countCapacity(counters: CapacityCounters, sandbox: Sandbox): void {
  const tables = new Map<string, TableDefinition>();
  for (const service of services) {
    const tableName = sandbox.tables.get(service.name);
    if (tableName && service.table) tables.set(tableName, service.table);
  }
  const sizingClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: sandbox.dynamoDbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );

  interface TransactionTarget {
    tableName: string;
    table: TableDefinition;
    key: Item;
    written?: Item;
  }

  /** Each written item of a transaction, with its key, before the transaction runs. */
  function transactionTargets(entries: Record<string, WriteItem>[]): TransactionTarget[] {
    return entries.flatMap((entry) => {
      const [[action, target] = []] = Object.entries(entry);
      const table = target?.TableName ? tables.get(target.TableName) : undefined;
      if (!action || !target?.TableName || !table || action === 'ConditionCheck') return [];
      const source = target.Item ?? target.Key ?? {};
      const key = {
        [table.partitionKey]: source[table.partitionKey],
        [table.sortKey]: source[table.sortKey],
      };
      return [
        { tableName: target.TableName, table, key, ...(action === 'Put' ? { written: target.Item } : {}) },
      ];
    });
  }

  const read = async ({ tableName, key }: TransactionTarget) =>
    (await sizingClient.send(new GetCommand({ TableName: tableName, Key: key }))).Item;

  async function transactionWriteUnits(targets: TransactionTarget[], before: (Item | undefined)[]) {
    const units: WriteUnits = { byPartition: [], total: 0 };
    for (const [position, target] of targets.entries()) {
      const was = before[position];
      const is = target.written ?? (await read(target));
      const tableUnits = 2 * Math.max(was ? itemKilobytes(was) : 1, is ? itemKilobytes(is) : 1);
      units.byPartition.push([partitionOf({ TableName: target.tableName, Key: target.key }), tableUnits]);
      units.total += tableUnits + indexWriteUnits(target.table, was, is);
    }
    return units;
  }

  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown> &
        WriteItem & { TransactItems?: Record<string, WriteItem>[] };
      input.ReturnConsumedCapacity = 'INDEXES';
      const targets = input.TransactItems ? transactionTargets(input.TransactItems) : [];
      const before = await Promise.all(targets.map(read));
      const result = await next(args);
      if (input.TransactItems) {
        const units = await transactionWriteUnits(targets, before);
        counters.writeUnits += units.total;
        for (const [key, tableUnits] of units.byPartition) {
          counters.byPartition.set(key, (counters.byPartition.get(key) ?? 0) + tableUnits);
        }
        return result;
      }
      const { ConsumedCapacity } = result.output as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
      };
      const write = writeCommands.has(context.commandName ?? '');
      for (const entry of [ConsumedCapacity ?? []].flat()) {
        if (!write) {
          counters.readUnits += entry.CapacityUnits ?? 0;
          continue;
        }
        counters.writeUnits += entry.CapacityUnits ?? 0;
        const key = partitionOf(input);
        counters.byPartition.set(
          key,
          (counters.byPartition.get(key) ?? 0) + (entry.Table?.CapacityUnits ?? 0),
        );
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacityCounter' },
  );
}

/** Waits until nothing has moved for a while: outbox items are published asynchronously. */
async function settled(sandbox: Sandbox): Promise<void> {
  let seen = -1;
  while (seen !== sandbox.bus.accepted) {
    seen = sandbox.bus.accepted;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await sandbox.saga.idle();
    await sandbox.bus.idle();
    await Promise.all(sandbox.queues.map((queue) => queue.idle()));
  }
}

interface Snapshot {
  writeUnits: number;
  readUnits: number;
  events: number;
  sqsMessages: number;
  invocations: Map<string, { count: number; totalMs: number }>;
  executions: number;
  logBytes: number;
}

function snapshot(sandbox: Sandbox, counters: CapacityCounters, logBytes: number): Snapshot {
  return {
    writeUnits: counters.writeUnits,
    readUnits: counters.readUnits,
    events: sandbox.bus.accepted,
    sqsMessages: sandbox.queues.reduce((sum, queue) => sum + queue.sent, 0),
    invocations: new Map([...sandbox.invocations].map(([file, stats]) => [file, { ...stats }])),
    executions: sandbox.saga.executions.size,
    logBytes,
  };
}

export interface CostLine {
  item: string;
  perOrder: number;
  usdPer1MOrders: number;
}

export interface WorkflowCost {
  usdPer1MOrders: number;
  biggest: CostLine[];
}

export interface OrderCost {
  orders: number;
  express: WorkflowCost;
  standard: WorkflowCost;
  lines: CostLine[];
  busiestPartition: { key: string; writeUnitsPerOrder: number; ordersPerSecondCeiling: number };
  /** The next hottest partition keys, with their write units per order. */
  hotPartitions: { key: string; writeUnitsPerOrder: number }[];
  notes: string[];
}

export async function measureOrderCost(sandbox: Sandbox, orders = 20): Promise<OrderCost> {
  const counters: CapacityCounters = { writeUnits: 0, readUnits: 0, byPartition: new Map() };
  countCapacity(counters, sandbox);

  const tenantId = `cost-${Date.now()}`;
  const tokenResponse = await fetch(`${sandbox.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'bench-buyer', tenantId, roles: ['admin'] }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const product = await fetch(`${sandbox.url}/products`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ sku: 'COST-1', name: 'Cost', priceCents: 100, currency: 'EUR', stock: 1000 }),
  });
  const { productId } = (await product.json()) as { productId: string };
  await settled(sandbox);

  const before = snapshot(sandbox, counters, handlerLogs.bytes);
  counters.byPartition.clear();
  const orderIds: string[] = [];
  // One order at a time, settled before the next: in Lambda every invocation has an environment
  // of its own, while here all share one process, and orders in flight together would stretch
  // each other's measured durations.
  for (let index = 0; index < orders; index += 1) {
    const placed = await fetch(`${sandbox.url}/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' }),
    });
    orderIds.push(((await placed.json()) as { orderId: string }).orderId);
    await settled(sandbox);
  }
  const after = snapshot(sandbox, counters, handlerLogs.bytes);

  // Read back once, after the measurement: no client polling is counted.
  for (const orderId of orderIds) {
    const response = await fetch(`${sandbox.url}/orders/${orderId}`, { headers });
    const { status } = (await response.json()) as { status: string };
    if (status !== 'CONFIRMED') throw new Error(`bench order ${orderId} ended ${status}`);
  }

  const executions = [...sandbox.saga.executions.values()].slice(before.executions);
  const consumerHandlers = new Set(
    services.flatMap((service) => Object.values(service.subscriptions ?? {}).map((entry) => entry.handler)),
  );
  let invocations = 0;
  let gbSeconds = 0;
  let consumerInvocations = 0;
  for (const [file, stats] of after.invocations) {
    const previous = before.invocations.get(file) ?? { count: 0, totalMs: 0 };
    const count = stats.count - previous.count;
    invocations += count;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    gbSeconds += ((stats.totalMs - previous.totalMs + count) / 1000) * lambdaMemoryGb;
    if (consumerHandlers.has(file)) consumerInvocations += count;
  }
  const per = (value: number) => value / orders;
  const expressGbSeconds = executions.reduce(
    (sum, execution) => sum + (Math.ceil((execution.durationMs ?? 0) / 100) / 10) * expressMemoryGb,
    0,
  );
  const transitions = executions.reduce((sum, execution) => sum + execution.statesEntered, 0);

  const line = (item: string, perOrder: number, price: number): CostLine => ({
    item,
    perOrder: Number(perOrder.toPrecision(4)),
    usdPer1MOrders: Number((perOrder * price * 1_000_000).toFixed(2)),
  });
  const common = [
    line('DynamoDB write units', per(after.writeUnits - before.writeUnits), listPrices.dynamoDbWriteUnit),
    line('DynamoDB read units', per(after.readUnits - before.readUnits), listPrices.dynamoDbReadUnit),
    line('Lambda requests', per(invocations), listPrices.lambdaRequest),
    line('Lambda GB-seconds (256 MB)', per(gbSeconds), listPrices.lambdaGbSecond),
    line('API Gateway REST requests', 1, listPrices.apiGatewayRestRequest),
    line('EventBridge events', per(after.events - before.events), listPrices.eventBridgeEvent),
    // A send per message, and a receive and a delete per consumer batch.
    line(
      'SQS requests',
      per(after.sqsMessages - before.sqsMessages + 2 * consumerInvocations),
      listPrices.sqsRequest,
    ),
    line(
      'CloudWatch Logs GB',
      per((after.logBytes - before.logBytes) / 1024 ** 3),
      listPrices.cloudWatchLogsGb,
    ),
  ];
  const express = [
    ...common,
    line('Step Functions Express requests', per(executions.length), listPrices.expressRequest),
    line('Step Functions Express GB-seconds (64 MB)', per(expressGbSeconds), listPrices.expressGbSecond),
  ];
  const standard = [
    ...common,
    line('Step Functions Standard transitions', per(transitions), listPrices.standardTransition),
  ];
  const summary = (lines: CostLine[]): WorkflowCost => ({
    usdPer1MOrders: Number(lines.reduce((sum, entry) => sum + entry.usdPer1MOrders, 0).toFixed(2)),
    biggest: [...lines].sort((a, b) => b.usdPer1MOrders - a.usdPer1MOrders).slice(0, 3),
  });

  const hottest = [...counters.byPartition]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([key, units]) => ({ key: key.replace(tenantId, '<tenant>'), writeUnitsPerOrder: units / orders }));
  const busiest = hottest[0] ?? { key: '', writeUnitsPerOrder: 0 };
  return {
    orders,
    express: summary(express),
    standard: summary(standard),
    lines: [...express, ...standard.slice(common.length)],
    busiestPartition: {
      ...busiest,
      // DynamoDB allows 1,000 write units a second on one partition key.
      ordersPerSecondCeiling: Math.floor(1000 / busiest.writeUnitsPerOrder),
    },
    hotPartitions: hottest.slice(1),
    notes: [
      'the authorizer runs once per request in the sandbox (no result cache): an upper bound',
      'Lambda and Express durations are measured against DynamoDB Local: upper bounds',
      "logs: the handlers' INFO lines and metric (EMF) lines as deployed (one line per request, task, publish and consumed event; a metric line where an order is placed, confirmed or cancelled); Lambda's own lines are off (system log level WARN)",
      'rate limits: the user and tenant buckets are written as deployed (in the DynamoDB write units)',
      'not included: X-Ray traces, the sweeper (one run a minute at any volume), CloudWatch metrics and alarms, data transfer',
    ],
  };
}
