/**
 * `npm run bench`: the speed, size and cost figures the project tracks, printed as a table and
 * written to bench/results/latest.json. Nothing here asserts: the figures go in the closing notes
 * and are compared over time.
 *   - bundle size (minified, gzip) and cold init per function
 *   - handler overhead of the middy stack (in-process, no I/O)
 *   - sandbox latency and throughput of GET /products
 *   - order-to-final-state latency of the saga in the sandbox (p50/p95 over 100 orders)
 *   - read-model lag: from a settlement readable over REST to the GraphQL order view showing it
 *   - the cost model of one confirmed order: DynamoDB writes, events, state transitions
 */
import './environment.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBundles } from './bundles.js';
import { measureOrderCost } from './order-cost.js';
import { measureHandlerOverhead, measureSandbox, startMeasuredSandbox } from './sandbox-load.js';

const resultsDir = join(import.meta.dirname, 'results');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const bundles = await measureBundles();
console.log(
  '\nBundles (esbuild, minified ESM, AWS SDK external as in Lambda) and cold init (median of 5 fresh processes)',
);
console.table(
  bundles.map((bundle) => ({
    handler: bundle.handler,
    minified: kb(bundle.minifiedBytes),
    gzip: kb(bundle.gzipBytes),
    'cold init ms': bundle.coldInitMs.toFixed(1),
  })),
);

const overhead = await measureHandlerOverhead();
console.log(
  `\nHandler overhead (health route through the full middy stack): ${overhead.meanMicros.toFixed(1)} µs per call`,
);

const { sandbox: running, startMs } = await startMeasuredSandbox();
let sandbox: Awaited<ReturnType<typeof measureSandbox>>;
let cost: Awaited<ReturnType<typeof measureOrderCost>>;
try {
  sandbox = await measureSandbox(running, startMs);
  cost = await measureOrderCost(running);
} finally {
  await running.stop();
}
console.log('\nSandbox');
console.table(sandbox);

console.log('\nCost model of one confirmed order');
console.table(cost);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, bundles, overhead, sandbox, cost }, null, 2)}\n`,
);
process.exit(0);
