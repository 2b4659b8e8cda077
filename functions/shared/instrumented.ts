/**
 * The instrumentation every kind of handler starts from (HTTP, saga task, user-pool trigger,
 * stream and queue consumers): the Powertools tracer on sampled invocations, logger with the
 * Lambda context, and the invocation's metrics flushed when it recorded any.
 *
 * @example
 * export const handler = instrumented<MyEvent, MyResult>().handler(async (event) => ...);
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger, recordedMetrics, sampledTracing } from './powertools.js';

export function instrumented<Event, Result>() {
  return middy<Event, Result>()
    .use(sampledTracing())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(recordedMetrics());
}
