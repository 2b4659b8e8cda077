/**
 * Imported first by handler tests: handlers read their configuration at module scope, so it must
 * be in place before the handler modules load.
 */

Object.assign(process.env, {
  ORDERS_TABLE_NAME: 'orders-test',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'serverless-saas',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

export const ordersTableName = 'orders-test';
