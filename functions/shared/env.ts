/**
 * Configuration is read once at module scope and fails the cold start, not a request, when missing.
 *
 * @example
 * const tableName = requiredEnv('CATALOG_TABLE_NAME');
 */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is not set`);
  return value;
}
