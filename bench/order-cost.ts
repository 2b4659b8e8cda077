/**
 * What one confirmed order consumes, measured in the sandbox: DynamoDB requests (counted on the
 * handlers' own document client), events accepted by the bus and saga state transitions, priced
 * with on-demand list prices. Prices are assumptions to update when AWS changes them.
 */
import { documentClient } from '../functions/shared/dynamodb.js';
import type { Sandbox } from '../sandbox/sandbox.js';

/** us-east-1 list prices, USD (on-demand DynamoDB, custom-bus events, Standard workflows, REST API). */
export const listPrices = {
  dynamoDbWriteUnit: 0.625 / 1_000_000,
  dynamoDbReadUnit: 0.125 / 1_000_000,
  eventBridgeEvent: 1.0 / 1_000_000,
  stepFunctionsTransition: 0.025 / 1_000,
  apiGatewayRestRequest: 3.5 / 1_000_000,
  lambdaRequest: 0.2 / 1_000_000,
};

interface Counters {
  writeRequests: number;
  writeUnits: number;
  readRequests: number;
}

const writeCommands = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const readCommands = new Set([
  'GetItemCommand',
  'QueryCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

function countDynamoDbRequests(counters: Counters): void {
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: unknown[] };
      if (context.commandName === 'TransactWriteItemsCommand') {
        const items = input.TransactItems?.length ?? 0;
        counters.writeRequests += items;
        // Transactional writes cost two write units per item (items here are under 1 KB).
        counters.writeUnits += 2 * items;
      } else if (writeCommands.has(context.commandName ?? '')) {
        counters.writeRequests += 1;
        counters.writeUnits += 1;
      } else if (readCommands.has(context.commandName ?? '')) {
        counters.readRequests += 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
}

/** Waits until no event has reached the bus for a while: outbox items are published asynchronously. */
async function settled(sandbox: Sandbox): Promise<void> {
  let seen = -1;
  while (seen !== sandbox.bus.accepted) {
    seen = sandbox.bus.accepted;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await sandbox.saga.idle();
    await sandbox.bus.idle();
  }
}

export async function measureOrderCost(sandbox: Sandbox, orders = 10) {
  const counters: Counters = { writeRequests: 0, writeUnits: 0, readRequests: 0 };
  countDynamoDbRequests(counters);
  const tokenResponse = await fetch(`${sandbox.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'bench-buyer', tenantId: `cost-${Date.now()}`, roles: ['admin'] }),
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

  const before = { ...counters, events: sandbox.bus.accepted };
  const statesBefore = [...sandbox.saga.executions.values()].reduce(
    (sum, execution) => sum + execution.statesEntered,
    0,
  );
  for (let index = 0; index < orders; index += 1) {
    const placed = await fetch(`${sandbox.url}/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' }),
    });
    const { orderId } = (await placed.json()) as { orderId: string };
    for (;;) {
      const response = await fetch(`${sandbox.url}/orders/${orderId}`, { headers });
      const { status } = (await response.json()) as { status: string };
      if (status === 'CONFIRMED') break;
      if (status === 'CANCELLED') throw new Error(`bench order ${orderId} was cancelled`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  await settled(sandbox);
  const states =
    [...sandbox.saga.executions.values()].reduce((sum, execution) => sum + execution.statesEntered, 0) -
    statesBefore;
  // Reads include the benchmark's own status polling, which no real client would cost the platform.
  const perOrder = {
    dynamoDbWriteRequests: (counters.writeRequests - before.writeRequests) / orders,
    dynamoDbWriteUnits: (counters.writeUnits - before.writeUnits) / orders,
    dynamoDbReadRequestsInclPolling: (counters.readRequests - before.readRequests) / orders,
    events: (sandbox.bus.accepted - before.events) / orders,
    stateTransitions: states / orders,
  };
  const usd =
    perOrder.dynamoDbWriteUnits * listPrices.dynamoDbWriteUnit +
    perOrder.events * listPrices.eventBridgeEvent +
    perOrder.stateTransitions * listPrices.stepFunctionsTransition +
    listPrices.apiGatewayRestRequest;
  return { ...perOrder, usdPerOrderExcludingLambdaDuration: Number(usd.toExponential(3)) };
}
