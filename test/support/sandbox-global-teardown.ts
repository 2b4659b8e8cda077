import type { GlobalTestStateHolder } from './global-state.js';

export default async function teardown(): Promise<void> {
  const state = (globalThis as GlobalTestStateHolder).__serverlessSaasTestState;
  const child = state?.sandbox;
  if (state) state.sandbox = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
