/**
 * One logger, tracer and metrics instance per function, configured from the standard Powertools
 * environment variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, ...).
 *
 * The tracer (Powertools over the X-Ray SDK) is loaded by the first invocation X-Ray samples, not
 * at cold start: evaluating the SDK is about a fifth of a function's cold start, and an invocation
 * X-Ray does not sample records nothing. The tracer still ships in the function's bundle (esbuild
 * inlines the dynamic import), so loading it reads no file. Once loaded it traces every invocation
 * as an eagerly created tracer would.
 *
 * @example
 * logger.info('product created', { productId });
 * const client = traced(new SQSClient({}));
 */

import { getStringFromEnv, isRequestXRaySampled } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';

export const logger = new Logger();
export const metrics = new Metrics();

interface LoadedTracer {
  tracer: Tracer;
  /** Powertools' handler middleware: the `## handler` subsegment, ColdStart and Service annotations. */
  handlerMiddleware: MiddlewareObj;
}

let loaded: LoadedTracer | undefined;
let loading: Promise<void> | undefined;
let invocations = 0;
/** AWS SDK clients created before the tracer was loaded: captured when it is. */
const clientsToCapture: object[] = [];

async function loadTracer(): Promise<void> {
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  // Powertools counts the first invocation after the tracer is created as the cold start, and this
  // one may be created by a later invocation.
  const coldStart = invocations === 1;
  const tracer = new (class extends Tracer {
    constructor() {
      super();
      this.coldStart &&= coldStart;
    }
  })();
  for (const client of clientsToCapture.splice(0)) tracer.captureAWSv3Client(client);
  loaded = { tracer, handlerMiddleware: captureLambdaHandler(tracer, { captureResponse: false }) };
}

/** The client, with a subsegment for each of its calls once the function traces. */
export function traced<Client extends object>(client: Client): Client {
  if (loaded) return loaded.tracer.captureAWSv3Client(client);
  clientsToCapture.push(client);
  return client;
}

/**
 * Traces the invocation when X-Ray samples it, loading the tracer the first time. Responses stay
 * out of traces: they can carry personal data.
 */
export function sampledTracing(): MiddlewareObj {
  return {
    before: async (request) => {
      invocations += 1;
      const tracingOff = getStringFromEnv({ key: 'POWERTOOLS_TRACE_ENABLED', defaultValue: '' }) === 'false';
      if (!loaded && !tracingOff && isRequestXRaySampled()) {
        // Tracing is worth no failed request: the invocation runs untraced, and the next sampled one retries.
        loading ??= loadTracer().catch((error: unknown) => {
          loading = undefined;
          logger.warn(
            'tracer not loaded; invocation not traced',
            error instanceof Error ? error : String(error),
          );
        });
        await loading;
      }
      await loaded?.handlerMiddleware.before?.(request);
    },
    after: async (request) => {
      await loaded?.handlerMiddleware.after?.(request);
    },
    onError: async (request) => {
      await loaded?.handlerMiddleware.onError?.(request);
    },
  };
}

/**
 * Ties an invocation's logs and its X-Ray trace to the request's correlation id: every log line
 * carries it as `correlation_id`, and the trace can be searched by `annotation.correlationId`.
 * For invocations that serve one request (an HTTP route, a saga task); a batch of queued events
 * sets only each record's logs.
 */
export function correlate(correlationId: string): void {
  logger.setCorrelationId(correlationId);
  loaded?.tracer.putAnnotation('correlationId', correlationId);
}
