/**
 * One logger, tracer and metrics instance per function, configured from the standard Powertools
 * environment variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, ...).
 *
 * @example
 * logger.info('product created', { productId });
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();

/**
 * Ties an invocation's logs and its X-Ray trace to the request's correlation id: every log line
 * carries it as `correlation_id`, and the trace can be searched by `annotation.correlationId`.
 * For invocations that serve one request (an HTTP route, a saga task); a batch of queued events
 * sets only each record's logs.
 */
export function correlate(correlationId: string): void {
  logger.setCorrelationId(correlationId);
  tracer.putAnnotation('correlationId', correlationId);
}
