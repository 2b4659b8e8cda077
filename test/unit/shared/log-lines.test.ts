import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaContext } from '../../fixtures/lambda-events.js';

/** What every invocation pays CloudWatch Logs for: its log lines and its metric (EMF) lines. */
Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_METRICS_NAMESPACE: 'ServerlessSaas',
  POWERTOOLS_TRACE_ENABLED: 'false',
});

const traceHeader = (sampled: 0 | 1) =>
  `Root=1-6a000000-000000000000000000000009;Parent=53995c3f42cd8ad8;Sampled=${sampled}`;

const written: string[] = [];
const warned: string[] = [];
const write = process.stdout.write.bind(process.stdout);
const writeError = process.stderr.write.bind(process.stderr);
const recordInto =
  (into: string[]) =>
  (chunk: string | Uint8Array): boolean => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };

beforeEach(() => {
  process.env._X_AMZN_TRACE_ID = traceHeader(0);
  written.length = 0;
  warned.length = 0;
  process.stdout.write = recordInto(written) as typeof process.stdout.write;
  process.stderr.write = recordInto(warned) as typeof process.stderr.write;
});

afterEach(() => {
  process.stdout.write = write;
  process.stderr.write = writeError;
});

afterAll(() => {
  delete process.env._X_AMZN_TRACE_ID;
});

async function handlerRecording(metric: string | undefined, failure?: Error) {
  const { instrumented } = await import('../../../functions/shared/instrumented.js');
  const { correlate, logger, metrics } = await import('../../../functions/shared/powertools.js');
  return instrumented<unknown, string>().handler(async () => {
    correlate('c-lines');
    logger.appendKeys({ tenantId: 't1' });
    if (metric) metrics.addMetric(metric, MetricUnit.Count, 1);
    if (failure) throw failure;
    logger.info('request handled', { status: 201 });
    return 'done';
  });
}

const lines = (start: string) =>
  written.filter((text) => text.startsWith(start)).map((text) => JSON.parse(text) as Record<string, unknown>);

describe('the lines an invocation writes', () => {
  it('logs without what the log group already says, and keeps what a trail needs', async () => {
    const handler = await handlerRecording(undefined);

    await handler({}, lambdaContext('orders-placeOrder'));

    const [line] = lines('{"level"');
    expect(Object.keys(line ?? {}).sort()).toEqual(
      [
        'cold_start',
        'correlation_id',
        'function_name',
        'function_request_id',
        'level',
        'message',
        'status',
        'tenantId',
        'timestamp',
      ].sort(),
    );
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'request handled',
      function_name: 'orders-placeOrder',
      correlation_id: 'c-lines',
    });
  });

  it('names the X-Ray trace where X-Ray keeps one: a sampled invocation', async () => {
    process.env._X_AMZN_TRACE_ID = traceHeader(1);
    const handler = await handlerRecording(undefined);

    await handler({}, lambdaContext('orders-placeOrder'));

    expect(lines('{"level"')[0]).toMatchObject({ xray_trace_id: '1-6a000000-000000000000000000000009' });
  });

  it('writes no metric line for an invocation that counted nothing, and no warning either', async () => {
    const handler = await handlerRecording(undefined);

    await handler({}, lambdaContext('orders-getOrder'));

    expect(lines('{"_aws"')).toEqual([]);
    expect(warned).toEqual([]);
  });

  it('writes one metric line for an invocation that counted an event', async () => {
    const handler = await handlerRecording('OrdersPlaced');

    await handler({}, lambdaContext('orders-placeOrder'));

    const [emf] = lines('{"_aws"');
    expect(emf).toMatchObject({ service: 'orders', OrdersPlaced: 1 });
    expect(lines('{"_aws"')).toHaveLength(1);
  });

  it('still writes the metric line of an invocation that counted a failure and then threw', async () => {
    const handler = await handlerRecording('SagaTaskFailed', new Error('table unavailable'));

    await expect(handler({}, lambdaContext('orders-confirmOrder'))).rejects.toThrow('table unavailable');

    expect(lines('{"_aws"')).toEqual([expect.objectContaining({ SagaTaskFailed: 1 })]);
  });
});
