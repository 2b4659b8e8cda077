/**
 * Not a baseline: what the first sampled invocation of a function adds, loading the Powertools
 * tracer and the X-Ray SDK that cold starts skip (functions/shared/powertools.ts). Measured alone,
 * so an upper bound: a function has already loaded some of the Node built-ins it needs.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

export const handlerMiddleware = captureLambdaHandler(new Tracer(), { captureResponse: false });
