/**
 * Starts the sandbox exactly as `npm start` does, in a child process on a free port, and reads
 * where it listens from its start-up banner. The e2e tier's global setup starts one for every
 * file; tests that need a sandbox of their own (faults injected, a short deadline) start another.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const startTimeoutMs = 60_000;

export interface SpawnedSandbox {
  child: ChildProcess;
  url: string;
  dynamoDbEndpoint: string;
  /** Everything it printed so far, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** `repositoryRoot` comes from the caller: this module also loads as ESM (tsx), without __dirname. */
export async function spawnSandbox(
  repositoryRoot: string,
  environment: Record<string, string> = {},
  /** Everything it prints (banner, handler logs) is appended to this file too. */
  logFile?: string,
): Promise<SpawnedSandbox> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sandbox did not start:\n${output.join('')}`)),
      startTimeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)[\s\S]*DynamoDB Local (http:\/\/127\.0\.0\.1:\d+)/.exec(
        output.join(''),
      );
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${output.join('')}`));
    });
  });
  const [, url = '', dynamoDbEndpoint = ''] = banner;
  const health = await fetch(`${url}/health`);
  if (health.status !== 200) throw new Error(`sandbox /health answered ${health.status}`);
  return {
    child,
    url,
    dynamoDbEndpoint,
    output: () => output.join(''),
    stop: () => stopSandbox(child),
  };
}

export async function stopSandbox(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
