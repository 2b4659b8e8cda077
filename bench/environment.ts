/**
 * Imported first by bench/run.ts: Powertools reads its configuration when the shared logger and
 * metrics are constructed at import, and the handler factory its rate limits, so the environment
 * must be in place before any handler module loads. (Both imports have no side effects.)
 *
 * The handlers log at INFO and write their metrics, as deployed: the logger resets to the level it
 * was built with at every invocation, so it must be built at INFO for its lines to be written (and
 * priced). Those lines are counted here and kept off the terminal; warnings and errors still print.
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
  // Metrics are written as deployed: each flush is an EMF line that CloudWatch Logs ingests.
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_METRICS_NAMESPACE: 'ServerlessSaas',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
});

/**
 * Bytes of the INFO and metric (EMF) lines the handlers have written, which Lambda would send to
 * CloudWatch Logs.
 */
export const handlerLogs = { bytes: 0 };

const pricedLines = ['{"level":"INFO"', '{"_aws":'];
const terminalWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (pricedLines.some((start) => text.startsWith(start))) {
    handlerLogs.bytes += Buffer.byteLength(text);
    return true;
  }
  return (terminalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;
