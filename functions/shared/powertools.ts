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
