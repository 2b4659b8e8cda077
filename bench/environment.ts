/**
 * Imported first by bench/run.ts: Powertools reads its configuration when the shared logger, tracer
 * and metrics are constructed at import, and the handler factory its rate limits, so the
 * environment must be in place before any handler module loads. (Both imports have no side effects.)
 */
import {
  contractRateLimits,
  rateLimitEnvironment,
  scaledRateLimits,
} from '../functions/shared/rate-limits.js';
import { sandboxRateLimitTableName } from '../sandbox/tables.js';

/** One admin drives the whole load: the contract's per-user limit would measure the limiter, not the platform. */
export const loadTestRateLimits = scaledRateLimits(contractRateLimits, 1000);

Object.assign(process.env, {
  // The buckets are written as deployed (their write units are in the cost), never exhausted.
  ...rateLimitEnvironment(sandboxRateLimitTableName, loadTestRateLimits),
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
});
