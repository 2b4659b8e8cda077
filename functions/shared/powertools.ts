/**
 * One logger, tracer and metrics instance per function, configured from the standard Powertools
 * environment variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, ...).
 *
 * The tracer (Powertools over the X-Ray SDK) is loaded by the first invocation X-Ray samples, not
 * at cold start: evaluating it takes about 20 ms (get-product's cold init went from 168 to 147 ms),
 * and an invocation X-Ray does not sample records nothing. The tracer still ships in the function's
 * bundle (esbuild inlines the dynamic import), so loading it reads no file. Once loaded it traces
 * every invocation as an eagerly created tracer would.
 *
 * @example
 * logger.info('product created', { productId });
 * const client = traced(new SQSClient({}));
 */

import { getStringFromEnv, isRequestXRaySampled } from '@aws-lambda-powertools/commons/utils/env';
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';

/**
 * Powertools' line without what the log group already says (the function's ARN and memory, the
 * service) or what is always the same (the sampling rate), and with the X-Ray trace id only where
 * X-Ray keeps a trace (a sampled invocation): CloudWatch Logs charges by the byte, and every
 * invocation writes at least one line.
 */
export class CompactLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        cold_start: attributes.lambdaContext?.coldStart,
        xray_trace_id: isRequestXRaySampled() ? attributes.xRayTraceId : undefined,
      },
    }).addAttributes(additional);
  }
}

export const logger = new Logger({ logFormatter: new CompactLogFormatter() });
export const metrics = new Metrics();

/**
 * Flushes the invocation's metrics when it recorded any. Only events worth counting are recorded
 * (orders placed, confirmed, cancelled, swept; failures): API Gateway, Lambda, Step Functions and
 * SQS already count requests, invocations and messages, and each flush is a log line to pay for.
 */
export function recordedMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}

interface LoadedTracer {
  tracer: Tracer;
  /** Powertools' handler middleware: the `## handler` subsegment, ColdStart and Service annotations. */
  handlerMiddleware: MiddlewareObj;
}

/** Read once: the setting does not change while the function runs. */
const tracingOff = getStringFromEnv({ key: 'POWERTOOLS_TRACE_ENABLED', defaultValue: '' }) === 'false';

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
