/**
 * One correlation id, end to end: the response echoes it, and every hop of the order it started
 * logs it (the HTTP handler, the outbox publisher, each saga task, each consumer of its events).
 * The sandbox's handler logs (INFO, JSON, one line each) are in E2E_SANDBOX_LOG_FILE; against
 * LocalStack or AWS the logs are in CloudWatch, so only the response is checked there.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { services } from '../../functions/services.js';
import { call, type Identity, newIdentity } from './support/api-client.js';
import { eventually } from './support/eventually.js';
import { settledOrder } from './support/tenant-fixture.js';

const logFile = process.env.E2E_SANDBOX_LOG_FILE;
const whenLogsAreLocal = logFile ? it : it.skip;

interface LogLine {
  level: string;
  message: string;
  timestamp: string;
  correlation_id?: string;
  function_name?: string;
  detailType?: string;
  resource?: string;
  [key: string]: unknown;
}

function logLines(): LogLine[] {
  return readFileSync(logFile as string, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

let admin: Identity;
let member: Identity;
let productId: string;

beforeAll(async () => {
  admin = await newIdentity('admin');
  member = await newIdentity('member', admin.tenantId);
  const created = await call<{ productId: string }>('POST', '/products', {
    token: admin.token,
    json: { sku: `SKU-${randomUUID()}`, name: 'Kettle', priceCents: 2500, currency: 'EUR', stock: 5 },
  });
  productId = created.body.productId;
});

/** The consumers whose rules take OrderConfirmed, as the sandbox names their functions. */
const orderConfirmedConsumers = services.flatMap((service) =>
  Object.entries(service.subscriptions ?? {})
    .filter(([, subscription]) =>
      (subscription.eventPattern['detail-type'] as string[] | undefined)?.includes('OrderConfirmed'),
    )
    .map(([name]) => `${service.name}-${name}-consumer`),
);

describe('one correlation id through every hop', () => {
  let correlationId: string;
  let orderId: string;

  beforeAll(async () => {
    correlationId = `e2e-${randomUUID()}`;
    const placed = await call<{ orderId: string }>('POST', '/orders', {
      token: member.token,
      json: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok' },
      headers: { 'X-Correlation-Id': correlationId },
    });
    expect(placed.status).toBe(202);
    expect(placed.headers.get('x-correlation-id')).toBe(correlationId);
    orderId = placed.body.orderId;
    expect(await settledOrder(member.token, orderId)).toMatchObject({ status: 'CONFIRMED' });
  });

  it('replaces an id outside the contract with the request id, and echoes it', async () => {
    const response = await call('GET', '/products', {
      token: member.token,
      headers: { 'X-Correlation-Id': 'no spaces!' },
    });

    expect(response.headers.get('x-correlation-id')).not.toBe('no spaces!');
    expect(response.headers.get('x-correlation-id')).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
  });

  whenLogsAreLocal(
    'finds it in the log lines of the handler, the publisher, every saga task and every consumer',
    async () => {
      const trail = await eventually(() => {
        const lines = logLines().filter((line) => line.correlation_id === correlationId);
        const consumed = new Set(
          lines
            .filter((line) => line.message === 'event consumed' && line.detailType === 'OrderConfirmed')
            .map((line) => line.function_name),
        );
        return orderConfirmedConsumers.every((consumer) => consumed.has(consumer)) ? lines : undefined;
      }, `every consumer of OrderConfirmed logging ${correlationId}`);
      // A publisher's line is named by the event it published, any other by its function.
      const hop = (line: LogLine) =>
        [
          line.message,
          line.message === 'event published' ? line.detailType : (line.function_name ?? ''),
          line.message === 'event consumed' ? line.detailType : '',
        ]
          .filter(Boolean)
          .join(' ');
      const hops = new Set(trail.map(hop));

      expect([...hops]).toEqual(
        expect.arrayContaining([
          'request handled orders-placeOrder',
          'event published OrderPlaced',
          'saga task completed ClaimOrder',
          'saga task completed ReserveStock',
          'saga task completed ChargePayment',
          'saga task completed ConfirmOrder',
          'event published OrderConfirmed',
          ...orderConfirmedConsumers.map((consumer) => `event consumed ${consumer} OrderConfirmed`),
        ]),
      );
      for (const line of trail) {
        expect(line).toMatchObject({ level: expect.any(String), timestamp: expect.any(String) });
        if (line.tenantId !== undefined) expect(line.tenantId).toBe(admin.tenantId);
      }
    },
  );

  whenLogsAreLocal("carries no payment token in any log line of the suite's sandbox", () => {
    const text = readFileSync(logFile as string, 'utf8');
    const tokens = ['tok_ok', 'tok_declined', 'tok_flaky', 'tok_down', 'tok_unknown'];

    expect(logLines().length).toBeGreaterThan(0);
    expect(tokens.filter((token) => text.includes(token))).toEqual([]);
  });
});
