/**
 * Load on the sandbox over loopback only: read latency and throughput, and how long an order
 * takes from `POST /orders` to its final status through outbox, bus and saga.
 */

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import WebSocket from 'ws';
import { localCredentials, localRegion } from '../sandbox/dynamodb-local.js';
import { lambdaContext } from '../sandbox/lambda-context.js';
import { type Sandbox, startSandbox } from '../sandbox/sandbox.js';
import { apiGatewayEvent } from '../test/fixtures/lambda-events.js';
import { loadTestRateLimits } from './environment.js';

export function percentile(sortedSamples: readonly number[], fraction: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  return sortedSamples[
    Math.min(sortedSamples.length - 1, Math.floor(fraction * sortedSamples.length))
  ] as number;
}

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, performance.now() - started];
}
/** Runs `total` calls with at most `concurrency` in flight; returns each call's milliseconds. */
async function withConcurrency(
  total: number,
  concurrency: number,
  call: (index: number) => Promise<number>,
): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        samples.push(await call(index));
      }
    }),
  );
  return samples.sort((a, b) => a - b);
}

export async function measureHandlerOverhead(calls = 5000): Promise<{ calls: number; meanMicros: number }> {
  const { handler } = await import('../functions/platform/handlers/health.js');
  const event = {
    httpMethod: 'GET',
    path: '/health',
    headers: {},
    requestContext: { requestId: 'bench' },
  } as unknown as APIGatewayProxyEvent;
  const context = lambdaContext('health', 'bench');
  for (let warm = 0; warm < 200; warm += 1) await handler(event, context);
  const [, elapsed] = await timed(async () => {
    for (let call = 0; call < calls; call += 1) await handler(event, context);
  });
  return { calls, meanMicros: (elapsed * 1000) / calls };
}

async function token(sandbox: Sandbox, roles: string[], tenantId: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: `bench-${roles[0]}`, tenantId, roles }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface SandboxFigures {
  startMs: number;
  getProducts: {
    requests: number;
    concurrency: number;
    requestsPerSecond: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
  };
  orderToFinal: {
    orders: number;
    concurrency: number;
    confirmed: number;
    /** Orders settled a second, each also read back through GraphQL. */
    ordersPerSecond: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
  };
  /** From an order event's occurredAt to its WebSocket push arriving at a connected admin. */
  eventToPush: { pushes: number; p50Ms: number; p95Ms: number; maxMs: number };
  /** From the order's settlement being readable over REST to the read model (GraphQL) showing it. */
  settledToView: {
    orders: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
  };
}

/** Handlers read their configuration once per process, so one sandbox serves every measurement. */
export async function startMeasuredSandbox(): Promise<{ sandbox: Sandbox; startMs: number }> {
  const [sandbox, startMs] = await timed(() => startSandbox({ port: 0, rateLimits: loadTestRateLimits }));
  return { sandbox, startMs };
}

export interface LoadSize {
  reads: number;
  orders: number;
}

export async function measureSandbox(
  sandbox: Sandbox,
  startMs: number,
  { reads, orders }: LoadSize,
): Promise<SandboxFigures> {
  const tenantId = `bench-${Date.now()}`;
  const admin = await token(sandbox, ['admin'], tenantId);
  const json = (bearer: string) => ({
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
  });
  const created = await fetch(`${sandbox.url}/products`, {
    method: 'POST',
    headers: json(admin),
    body: JSON.stringify({
      sku: 'BENCH-1',
      name: 'Bench',
      priceCents: 100,
      currency: 'EUR',
      stock: 100_000,
    }),
  });
  const { productId } = (await created.json()) as { productId: string };

  const readConcurrency = 10;
  const [readSamples, readElapsed] = await timed(() =>
    withConcurrency(reads, readConcurrency, async () => {
      const [response, ms] = await timed(() =>
        fetch(`${sandbox.url}/products?limit=20`, { headers: json(admin) }),
      );
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /products answered ${response.status}`);
      return ms;
    }),
  );

  const pushLatencies: number[] = [];
  const socket = new WebSocket(`${sandbox.url.replace(/^http/, 'ws')}/ws?token=${admin}`);
  socket.on('message', (data) => {
    const { occurredAt } = JSON.parse(data.toString()) as { occurredAt: string };
    pushLatencies.push(Date.now() - Date.parse(occurredAt));
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  const orderConcurrency = 10;
  let confirmed = 0;
  const viewLagSamples: number[] = [];
  const viewStatus = async (orderId: string) => {
    const response = await fetch(`${sandbox.url}/graphql`, {
      method: 'POST',
      headers: json(admin),
      body: JSON.stringify({ query: `{ order(id: "${orderId}") { status } }` }),
    });
    const { data } = (await response.json()) as { data?: { order: { status: string } | null } };
    return data?.order?.status;
  };
  const [orderSamples, ordersElapsed] = await timed(() =>
    withConcurrency(orders, orderConcurrency, async () => {
      const started = performance.now();
      const placed = await fetch(`${sandbox.url}/orders`, {
        method: 'POST',
        headers: json(admin),
        body: JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' }),
      });
      const { orderId } = (await placed.json()) as { orderId: string };
      for (;;) {
        const response = await fetch(`${sandbox.url}/orders/${orderId}`, { headers: json(admin) });
        const { status } = (await response.json()) as { status: string };
        if (status !== 'PENDING') {
          if (status === 'CONFIRMED') confirmed += 1;
          const settledMs = performance.now() - started;
          const settledAt = performance.now();
          while ((await viewStatus(orderId)) !== status)
            await new Promise((resolve) => setTimeout(resolve, 10));
          viewLagSamples.push(performance.now() - settledAt);
          return settledMs;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  viewLagSamples.sort((a, b) => a - b);
  socket.close();
  pushLatencies.sort((a, b) => a - b);
  return {
    startMs: Math.round(startMs),
    getProducts: {
      requests: reads,
      concurrency: readConcurrency,
      requestsPerSecond: Math.round(reads / (readElapsed / 1000)),
      p50Ms: Number(percentile(readSamples, 0.5).toFixed(1)),
      p95Ms: Number(percentile(readSamples, 0.95).toFixed(1)),
      p99Ms: Number(percentile(readSamples, 0.99).toFixed(1)),
    },
    orderToFinal: {
      orders,
      concurrency: orderConcurrency,
      confirmed,
      ordersPerSecond: Number((orders / (ordersElapsed / 1000)).toFixed(1)),
      p50Ms: Math.round(percentile(orderSamples, 0.5)),
      p95Ms: Math.round(percentile(orderSamples, 0.95)),
      maxMs: Math.round(orderSamples.at(-1) ?? Number.NaN),
    },
    eventToPush: {
      pushes: pushLatencies.length,
      p50Ms: Math.round(percentile(pushLatencies, 0.5)),
      p95Ms: Math.round(percentile(pushLatencies, 0.95)),
      maxMs: Math.round(Math.max(...pushLatencies)),
    },
    settledToView: {
      orders: viewLagSamples.length,
      p50Ms: Math.round(percentile(viewLagSamples, 0.5)),
      p95Ms: Math.round(percentile(viewLagSamples, 0.95)),
      maxMs: Math.round(Math.max(...viewLagSamples)),
    },
  };
}

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Warm cost of the handler factory: get-product as deployed against a bare GetItem handler, in
 * this process, on the same item of the sandbox's table, calls interleaved. And against the bare
 * handler doing the DynamoDB work rate limits add (two bucket writes beside the read), which leaves
 * the factory's own overhead.
 */
export async function measureWarmGetProduct(sandbox: Sandbox, calls: number) {
  const tenantId = `warm-${Date.now()}`;
  const admin = await token(sandbox, ['admin'], tenantId);
  const created = await fetch(`${sandbox.url}/products`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'WARM-1', name: 'Warm', priceCents: 100, currency: 'EUR', stock: 1 }),
  });
  const { productId } = (await created.json()) as { productId: string };
  // Both read their table name from the environment the sandbox set up in this process.
  const factory = (await import('../functions/catalog/handlers/get-product.js'))
    .handler as unknown as HttpHandler;
  const bare = (await import('./baselines/bare-get-item.js')).handler as unknown as HttpHandler;
  const bareCounted = (await import('./baselines/bare-get-item-counted.js'))
    .handler as unknown as HttpHandler;
  const event = () =>
    apiGatewayEvent({
      method: 'GET',
      resource: '/products/{id}',
      path: `/products/${productId}`,
      pathParameters: { id: productId },
      caller: { tenantId, userId: 'warm', roles: ['admin'] },
    });
  const totals = { factory: 0, bare: 0, bareCounted: 0 };
  for (let call = -20; call < calls; call += 1) {
    for (const [name, handler] of [
      ['factory', factory],
      ['bare', bare],
      ['bareCounted', bareCounted],
    ] as const) {
      const [response, ms] = await timed(() => handler(event(), lambdaContext('warm', randomUUID())));
      if (response.statusCode !== 200) throw new Error(`${name} get-product answered ${response.statusCode}`);
      // The first calls warm both up and are not counted.
      if (call >= 0) totals[name] += ms;
    }
  }
  const micros = (total: number) => Math.round((total * 1000) / calls);
  const [factoryMicros, bareMicros, bareCountedMicros] = [
    totals.factory,
    totals.bare,
    totals.bareCounted,
  ].map(micros) as [number, number, number];
  return {
    calls,
    factoryMicros,
    bareMicros,
    ratio: Number((factoryMicros / bareMicros).toFixed(2)),
    bareCountedMicros,
    ratioAtEqualWork: Number((factoryMicros / bareCountedMicros).toFixed(2)),
  };
}

/** DynamoDB Local's own bound in this run: small PutItems, ten in flight, as fast as it takes them. */
export async function measureRawWriteBound(sandbox: Sandbox, writes: number) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: sandbox.dynamoDbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  const table = sandbox.tables.get('catalog');
  const started = performance.now();
  await withConcurrency(writes, 10, async (index) => {
    const [, ms] = await timed(() =>
      client.send(
        new PutCommand({
          TableName: table,
          Item: { PK: `BENCH#${index % 100}`, SK: randomUUID(), n: index },
        }),
      ),
    );
    return ms;
  });
  client.destroy();
  return { writes, writesPerSecond: Math.round(writes / ((performance.now() - started) / 1000)) };
}

/**
 * Nothing lost or stuck after the load (each measured order was already read back settled): every
 * outbox event reached the bus, no dead letters, no failed or still-running executions.
 */
export async function checkNothingLost(sandbox: Sandbox) {
  await sandbox.saga.idle();
  await sandbox.bus.idle();
  await Promise.all(sandbox.queues.map((queue) => queue.idle()));
  const audit = (await (await fetch(`${sandbox.url}/_dev/outbox`)).json()) as { undelivered: string[] };
  const executions = [...sandbox.saga.executions.values()];
  const figures = {
    undeliveredEvents: audit.undelivered.length,
    failedExecutions: executions.filter((execution) => execution.status === 'FAILED').length,
    runningExecutions: executions.filter((execution) => execution.status === 'RUNNING').length,
    deadLetters:
      sandbox.bus.deadLetters.length +
      sandbox.queues.reduce((sum, queue) => sum + queue.deadLetters.length, 0),
  };
  if (Object.values(figures).some((count) => count > 0)) {
    throw new Error(`orders or events were lost or stuck: ${JSON.stringify(figures)}`);
  }
  return figures;
}
