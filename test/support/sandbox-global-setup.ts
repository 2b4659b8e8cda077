/**
 * The e2e tier runs against E2E_BASE_URL when it is set (LocalStack or AWS); otherwise it starts
 * the sandbox exactly as `npm start` does, on a free port, and waits for GET /health.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { GlobalTestStateHolder } from './global-state.js';

const repositoryRoot = join(__dirname, '..', '..');
const startTimeoutMs = 60_000;

export default async function setup(): Promise<void> {
  if (process.env.E2E_BASE_URL) return;
  const holder = globalThis as GlobalTestStateHolder;
  holder.__serverlessSaasTestState ??= {};
  const state = holder.__serverlessSaasTestState;
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  state.sandbox = child;
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sandbox did not start:\n${output.join('')}`)),
      startTimeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${output.join('')}`));
    });
  });
  const health = await fetch(`${url}/health`);
  if (health.status !== 200) throw new Error(`sandbox /health answered ${health.status}`);
  process.env.E2E_BASE_URL = url;
  process.env.E2E_TOKEN_URL ??= `${url}/_dev/token`;
}
