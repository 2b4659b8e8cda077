/**
 * The sandbox answers from the moment it listens: a client polling /health during start-up gets
 * 503 problem+json with Retry-After, never silence, and then 200 once every part is up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const repositoryRoot = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let child: ChildProcess | undefined;

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('sandbox start-up', () => {
  it('answers 503 with Retry-After while starting, then 200 from /health', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    const seen: { status: number; retryAfter: string | null; contentType: string | null }[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && seen.at(-1)?.status !== 200) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`, {
          signal: AbortSignal.timeout(5_000),
        });
        await response.arrayBuffer();
        seen.push({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
        });
      } catch (error) {
        // Not listening yet (refused); a request that hangs would time out and fail the test.
        if (error instanceof Error && error.name === 'TimeoutError') throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(seen.at(-1)?.status).toBe(200);
    const starting = seen.filter((response) => response.status !== 200);
    expect(starting.length).toBeGreaterThan(0);
    for (const response of starting) {
      expect(response).toEqual({ status: 503, retryAfter: '1', contentType: 'application/problem+json' });
    }
  });
});
