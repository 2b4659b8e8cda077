/**
 * The instrumentation every kind of handler starts from (HTTP, saga task, user-pool trigger,
 * stream and queue consumers): Powertools tracer, logger with the Lambda context, and metrics
 * flushed after each invocation. Responses stay out of traces: they can carry personal data.
 *
 * @example
 * export const handler = instrumented<MyEvent, MyResult>().handler(async (event) => ...);
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from './powertools.js';

export function instrumented<Event, Result>() {
  return middy<Event, Result>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
