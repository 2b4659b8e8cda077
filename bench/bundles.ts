/**
 * Bundle size and cold init per function, as ratios to a baseline built in the same run: each
 * handler is bundled alone with the options the CDK construct uses (lib/config/bundling.ts), then
 * imported in fresh Node processes to time its module initialisation. Runs are interleaved (one
 * round imports every bundle once) so a noisy moment of the machine hits all of them alike.
 * Baselines: a bare GetItem handler for every function, a bare aws-jwt-verify authorizer for the
 * authorizers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { authorizerHandlerFile, outboxPublisherHandlerFile } from '../functions/platform/service.js';
import { services } from '../functions/services.js';
import { orderPaymentToken } from '../functions/shared/order-payment-token.js';
import { paymentProviderVariables, tableNameVariable } from '../functions/shared/service-definition.js';
import { functionBundling } from '../lib/config/bundling.js';

export interface BundleFigures {
  handler: string;
  baseline: string;
  minifiedBytes: number;
  gzipBytes: number;
  coldInitMs: number;
  /** Median over the rounds of the run of init time over the baseline's in the same round. */
  initRatio: number;
  bytesRatio: number;
}

const repositoryRoot = join(import.meta.dirname, '..');
export const bareGetItem = 'bench/baselines/bare-get-item.ts';
export const bareAuthorizer = 'bench/baselines/bare-authorizer.ts';
const tracerLoad = 'bench/baselines/tracer-load.ts';

export function handlerFiles(): string[] {
  const files = new Set<string>([authorizerHandlerFile, outboxPublisherHandlerFile]);
  for (const service of services) {
    for (const route of Object.values(service.routes)) files.add(route.handler);
    for (const task of Object.values(service.sagaTasks ?? {})) files.add(task.handler);
    for (const subscription of Object.values(service.subscriptions ?? {})) files.add(subscription.handler);
    for (const trigger of Object.values(service.userPoolTriggers ?? {})) files.add(trigger.handler);
    for (const schedule of Object.values(service.schedules ?? {})) files.add(schedule.handler);
    if (service.webSocket) {
      for (const entry of Object.values(service.webSocket)) files.add(entry.handler);
    }
  }
  return [...files].sort();
}

const baselineOf = (handler: string): string =>
  handler.includes('authorizer') ? bareAuthorizer : bareGetItem;

/** The environment a deployed function has, so module-scope configuration succeeds at import. */
function functionEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AUTH_ISSUER: 'https://issuer.example.com',
    AUTH_AUDIENCE: 'bench',
    EVENT_BUS_NAME: 'bench',
    ORDER_SAGA_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
    WEBSOCKET_MANAGEMENT_ENDPOINT: 'https://ws.example.com',
    UNDELIVERED_EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
    USER_POOL_ID: 'us-east-1_bench',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  for (const service of services) env[tableNameVariable(service.name)] = `${service.name}-bench`;
  env[orderPaymentToken.tableVariable] = `${orderPaymentToken.ownerService}-bench`;
  // As deployed to dev; the bench's bundles are built with the stage's own settings.
  env[paymentProviderVariables.gateway] = 'test';
  env[paymentProviderVariables.timeoutMs] = '5000';
  return env;
}

function initMs(bundlePath: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(bundlePath)});console.log(performance.now()-t)`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: functionEnvironment(),
    }).toString(),
  );
}

const median = (samples: readonly number[]): number =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;

export async function measureBundles(
  runs: number,
): Promise<{ functions: BundleFigures[]; tracerLoadMs: number }> {
  // Inside the repository, so anything left external resolves from node_modules as it would deployed.
  const outDir = join(repositoryRoot, 'bench', 'results', 'bundles');
  mkdirSync(outDir, { recursive: true });
  const { externalModules, banner, esbuildArgs, ...options } = functionBundling;
  // The CLI arguments the CDK passes, as the JS API's options: only --alias:<module>=<path> is used.
  const alias: Record<string, string> = {};
  for (const [argument, value] of Object.entries(esbuildArgs)) {
    if (!argument.startsWith('--alias:')) throw new Error(`bench does not translate ${argument}`);
    alias[argument.slice('--alias:'.length)] = value;
  }
  const bundles = new Map<string, { path: string; bytes: Buffer; samples: number[] }>();
  for (const handler of [bareGetItem, bareAuthorizer, tracerLoad, ...handlerFiles()]) {
    const path = join(outDir, `${handler.replaceAll('/', '_')}.mjs`);
    await build({
      ...options,
      entryPoints: [join(repositoryRoot, handler)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: externalModules,
      alias,
      absWorkingDir: repositoryRoot,
      banner: { js: banner },
      outfile: path,
      logLevel: 'error',
    });
    bundles.set(handler, { path, bytes: readFileSync(path), samples: [] });
  }
  for (let round = 0; round < runs; round += 1) {
    for (const bundle of bundles.values()) bundle.samples.push(initMs(bundle.path));
  }
  const figures = (handler: string): BundleFigures => {
    const bundle = bundles.get(handler);
    const baseline = bundles.get(baselineOf(handler));
    if (!bundle || !baseline) throw new Error(`no bundle for ${handler}`);
    const coldInitMs = median(bundle.samples);
    return {
      handler,
      baseline: baselineOf(handler).replace('bench/baselines/', '').replace('.ts', ''),
      minifiedBytes: bundle.bytes.byteLength,
      gzipBytes: gzipSync(bundle.bytes).byteLength,
      coldInitMs: Number(coldInitMs.toFixed(1)),
      // Paired by round (each round imports every bundle once, back to back): a slow stretch of the
      // machine weighs on both sides of a ratio alike.
      initRatio: Number(
        median(
          bundle.samples.map((sample, round) => sample / (baseline.samples[round] ?? Number.NaN)),
        ).toFixed(2),
      ),
      bytesRatio: Number((bundle.bytes.byteLength / baseline.bytes.byteLength).toFixed(1)),
    };
  };
  return {
    functions: [bareGetItem, bareAuthorizer, ...handlerFiles()].map(figures),
    tracerLoadMs: Number(median(bundles.get(tracerLoad)?.samples ?? []).toFixed(1)),
  };
}
