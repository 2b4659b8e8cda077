/**
 * Load on the sandbox over loopback only: read latency and throughput, and how long an order
 * takes from `POST /orders` to its final status through outbox, bus and saga.
 */

import type { APIGatewayProxyEvent } from 'aws-lambda';
import WebSocket from 'ws';
import { lambdaContext } from '../sandbox/lambda-context.js';
import { type Sandbox, startSandbox } from '../sandbox/sandbox.js';

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
  Object.assign(process.env, {
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
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
  const [sandbox, startMs] = await timed(() => startSandbox({ port: 0 }));
  return { sandbox, startMs };
}

export async function measureSandbox(sandbox: Sandbox, startMs: number): Promise<SandboxFigures> {
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

  const reads = 1000;
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

  const orders = 100;
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
  const orderSamples = await withConcurrency(orders, orderConcurrency, async () => {
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
  });
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
