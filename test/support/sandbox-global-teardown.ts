import { rmSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { GlobalTestStateHolder } from './global-state.js';
import type * as SpawnSandboxModule from './spawn-sandbox.js';

export default async function teardown(): Promise<void> {
  const state = (globalThis as GlobalTestStateHolder).__serverlessSaasTestState;
  const child = state?.sandbox;
  if (state) state.sandbox = undefined;
  if (!child) return;
  const { stopSandbox } = (await tsImport('./spawn-sandbox.ts', __filename)) as typeof SpawnSandboxModule;
  await stopSandbox(child);
  if (process.env.E2E_SANDBOX_LOG_FILE) rmSync(process.env.E2E_SANDBOX_LOG_FILE, { force: true });
}
