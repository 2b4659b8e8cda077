/**
 * Imported first by bench/run.ts: Powertools reads its configuration when the shared logger, tracer
 * and metrics are constructed at import, so the environment must be in place before any handler
 * module loads.
 */
Object.assign(process.env, {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
});
