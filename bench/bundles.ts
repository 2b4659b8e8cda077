/**
 * Bundle size and cold init per function: each handler bundled alone with the esbuild options the
 * CDK construct uses (AWS SDK external, as the runtime provides it), then imported in a fresh Node process to time its module initialisation.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { authorizerHandlerFile, outboxPublisherHandlerFile } from '../functions/platform/service.js';
import { services } from '../functions/services.js';
import { tableNameVariable } from '../functions/shared/service-definition.js';

export interface BundleFigures {
  handler: string;
  minifiedBytes: number;
  gzipBytes: number;
  coldInitMs: number;
}

const repositoryRoot = join(import.meta.dirname, '..');

export function handlerFiles(): string[] {
  const files = new Set<string>([authorizerHandlerFile, outboxPublisherHandlerFile]);
  for (const service of services) {
    for (const route of Object.values(service.routes)) files.add(route.handler);
    for (const task of Object.values(service.sagaTasks ?? {})) files.add(task.handler);
    for (const subscription of Object.values(service.subscriptions ?? {})) files.add(subscription.handler);
    for (const trigger of Object.values(service.userPoolTriggers ?? {})) files.add(trigger.handler);
  }
  return [...files].sort();
}

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
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  for (const service of services) env[tableNameVariable(service.name)] = `${service.name}-bench`;
  return env;
}

function coldInitMs(bundlePath: string, runs: number): number {
  const script = `const t=performance.now();await import(${JSON.stringify(bundlePath)});console.log(performance.now()-t)`;
  const samples = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: functionEnvironment(),
      }).toString(),
    ),
  );
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

export async function measureBundles(runs = 5): Promise<BundleFigures[]> {
  // Inside the repository, so the external AWS SDK resolves from node_modules as the runtime's would.
  const outDir = join(repositoryRoot, 'bench', 'results', 'bundles');
  mkdirSync(outDir, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const handler of handlerFiles()) {
    const outfile = join(outDir, `${handler.replaceAll('/', '_')}.mjs`);
    await build({
      entryPoints: [join(repositoryRoot, handler)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      mainFields: ['module', 'main'],
      // As the CDK construct bundles: the Node 24 runtime provides the AWS SDK v3.
      external: ['@aws-sdk/*'],
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      outfile,
      logLevel: 'error',
    });
    const code = readFileSync(outfile);
    figures.push({
      handler,
      minifiedBytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
      coldInitMs: coldInitMs(outfile, runs),
    });
  }
  return figures;
}
