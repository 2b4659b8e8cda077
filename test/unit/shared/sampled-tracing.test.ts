import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { lambdaContext } from '../../fixtures/lambda-events.js';

/**
 * The tracer is loaded by the first invocation X-Ray samples. These tests run the X-Ray SDK in its
 * Lambda mode against a stand-in daemon (a UDP socket) and read the subsegments it sends.
 */
let mockTracerLoads = 0;
jest.mock('@aws-lambda-powertools/tracer', () => {
  mockTracerLoads += 1;
  return jest.requireActual('@aws-lambda-powertools/tracer');
});

const daemon = createSocket('udp4');
const datagrams: string[] = [];
daemon.on('message', (message) => datagrams.push(message.toString('utf8')));

const traceHeader = (sampled: 0 | 1, root: string) =>
  `Root=${root};Parent=53995c3f42cd8ad8;Sampled=${sampled}`;

interface Subsegment {
  name: string;
  trace_id: string;
  annotations?: Record<string, unknown>;
}

/** The subsegments sent for one trace: the X-Ray wire format is a JSON header line, then the document. */
async function subsegmentsOf(root: string): Promise<Subsegment[]> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const documents = datagrams
      .map((datagram) => JSON.parse(datagram.split('\n')[1] ?? '{}') as Subsegment)
      .filter((document) => document.trace_id === root);
    if (documents.length > 0 || Date.now() > deadline) return documents;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let handler: Awaited<ReturnType<typeof tracedHandler>>;
let client: SQSClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    POWERTOOLS_SERVICE_NAME: 'tracing-test',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  const { traced } = await import('../../../functions/shared/powertools.js');
  client = traced(new SQSClient({}));
  handler = await tracedHandler();
});

/** A handler as the factories build one, from modules loaded now (a fresh environment after resetModules). */
async function tracedHandler() {
  const { instrumented } = await import('../../../functions/shared/instrumented.js');
  const { correlate, metrics } = await import('../../../functions/shared/powertools.js');
  return instrumented<{ correlationId: string }, string>().handler(async ({ correlationId }) => {
    correlate(correlationId);
    metrics.addMetric('Handled', MetricUnit.Count, 1);
    return 'done';
  });
}

afterAll(() => {
  daemon.close();
  client.destroy();
  delete process.env._X_AMZN_TRACE_ID;
});

const invoke = (sampled: 0 | 1, root: string, correlationId: string) => {
  process.env._X_AMZN_TRACE_ID = traceHeader(sampled, root);
  return handler({ correlationId }, lambdaContext('traced'));
};

const hasXRayMiddleware = (sdkClient: SQSClient) =>
  sdkClient.middlewareStack.identify().some((name) => name.startsWith('XRaySDKInstrumentation'));

describe('tracing only the invocations X-Ray samples', () => {
  it('does not load the tracer for an unsampled cold start, which still answers', async () => {
    const root = '1-6a000000-000000000000000000000001';

    expect(await invoke(0, root, 'c-unsampled')).toBe('done');

    expect(mockTracerLoads).toBe(0);
    expect(hasXRayMiddleware(client)).toBe(false);
  });

  it('loads it for the first sampled invocation: handler subsegment, annotations, captured clients', async () => {
    const root = '1-6a000000-000000000000000000000002';

    expect(await invoke(1, root, 'c-sampled')).toBe('done');

    expect(mockTracerLoads).toBe(1);
    expect(hasXRayMiddleware(client)).toBe(true);
    const [handlerSegment] = await subsegmentsOf(root);
    expect(handlerSegment?.name).toBe('## index.handler');
    // Not the cold start: the environment served an invocation before the tracer was loaded.
    expect(handlerSegment?.annotations).toEqual({
      ColdStart: false,
      Service: 'tracing-test',
      correlationId: 'c-sampled',
    });
  });

  it('keeps tracing with the one tracer it loaded, and captures clients created afterwards', async () => {
    const root = '1-6a000000-000000000000000000000003';
    const { traced } = await import('../../../functions/shared/powertools.js');
    const later = traced(new SQSClient({}));

    await invoke(1, root, 'c-again');

    expect(mockTracerLoads).toBe(1);
    expect(hasXRayMiddleware(later)).toBe(true);
    later.destroy();
    const [handlerSegment] = await subsegmentsOf(root);
    expect(handlerSegment?.annotations).toMatchObject({ correlationId: 'c-again' });
  });
});

describe('a fresh execution environment', () => {
  beforeEach(() => jest.resetModules());

  it('annotates a sampled first invocation as the cold start', async () => {
    const root = '1-6a000000-000000000000000000000004';
    handler = await tracedHandler();

    await invoke(1, root, 'c-cold');

    const [handlerSegment] = await subsegmentsOf(root);
    expect(handlerSegment?.annotations).toMatchObject({ ColdStart: true, correlationId: 'c-cold' });
  });

  it('answers untraced when the tracer cannot be loaded, and the next sampled invocation retries', async () => {
    let attempts = 0;
    jest.doMock('@aws-lambda-powertools/tracer', () => {
      attempts += 1;
      if (attempts === 1) throw new Error('tracer unavailable');
      return jest.requireActual('@aws-lambda-powertools/tracer');
    });
    const root = '1-6a000000-000000000000000000000005';
    handler = await tracedHandler();

    expect(await invoke(1, `${root.slice(0, -1)}6`, 'c-failed')).toBe('done');
    expect(await invoke(1, root, 'c-retried')).toBe('done');

    expect(attempts).toBe(2);
    const [handlerSegment] = await subsegmentsOf(root);
    expect(handlerSegment?.annotations).toMatchObject({ correlationId: 'c-retried' });
  });

  it('loads nothing and sends no subsegment where POWERTOOLS_TRACE_ENABLED is false, even when sampled', async () => {
    let loads = 0;
    jest.doMock('@aws-lambda-powertools/tracer', () => {
      loads += 1;
      return jest.requireActual('@aws-lambda-powertools/tracer');
    });
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    const root = '1-6a000000-000000000000000000000007';
    try {
      handler = await tracedHandler();

      expect(await invoke(1, root, 'c-off')).toBe('done');
    } finally {
      delete process.env.POWERTOOLS_TRACE_ENABLED;
    }

    expect(loads).toBe(0);
    expect(await subsegmentsOf(root)).toEqual([]);
  });
});
