/**
 * The e2e tier runs against E2E_BASE_URL when it is set (LocalStack or AWS); otherwise it starts
 * the sandbox exactly as `npm start` does, on a free port, and waits for GET /health. Our modules
 * are loaded with tsx because jest loads global setup outside its module mapping.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { GlobalTestStateHolder } from './global-state.js';
import type * as SpawnSandboxModule from './spawn-sandbox.js';

const relaxedRateLimitScale = '100';

export default async function setup(): Promise<void> {
  if (process.env.E2E_BASE_URL) return;
  const holder = globalThis as GlobalTestStateHolder;
  holder.__serverlessSaasTestState ??= {};
  const { spawnSandbox } = (await tsImport('./spawn-sandbox.ts', __filename)) as typeof SpawnSandboxModule;
  // The suite polls and signs up far faster than one user or address may: the contract's limits
  // are proved by rate-limits.test.ts on a sandbox of its own.
  // Handler logs at INFO go to a file: correlation.test.ts follows one request through every hop
  // in it, and reads the whole suite's output for payment tokens.
  const logFile = join(tmpdir(), `serverless-saas-e2e-${process.pid}.log`);
  const sandbox = await spawnSandbox(
    join(__dirname, '..', '..'),
    { SANDBOX_RATE_LIMIT_SCALE: relaxedRateLimitScale, POWERTOOLS_LOG_LEVEL: 'INFO' },
    logFile,
  );
  process.env.E2E_RATE_LIMIT_SCALE = relaxedRateLimitScale;
  // Tests that need a sandbox of their own (another payment gateway) run only offline.
  process.env.E2E_OFFLINE = 'true';
  process.env.E2E_SANDBOX_LOG_FILE = logFile;
  holder.__serverlessSaasTestState.sandbox = sandbox.child;
  process.env.E2E_BASE_URL = sandbox.url;
  process.env.E2E_TOKEN_URL ??= `${sandbox.url}/_dev/token`;
}
