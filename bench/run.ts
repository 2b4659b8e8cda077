/**
 * `npm run bench` (or `npm run bench -- --quick`, under two minutes): the speed, size and cost
 * figures the project tracks, each against a baseline measured in the same run, printed and written
 * to bench/results/latest.json and latest.md. Nothing here asserts a speed: the machines are shared
 * and noisy. It does fail if any order is lost or stuck.
 *   - bundle size and cold init per function, as ratios to a bare handler (bundles.ts)
 *   - warm: get-product through the handler factory against a bare GetItem handler, same item
 *   - handler overhead of the middy stack (in-process, no I/O)
 *   - sandbox: GET /products throughput, order-to-final latency, push and read-model lag
 *   - the sandbox's efficiency against DynamoDB Local's own write bound
 *   - the cost of one confirmed order for Express and Standard, and the per-tenant order ceiling
 */
import './environment.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureBundles } from './bundles.js';
import { measureOrderCost } from './order-cost.js';
import {
  checkNothingLost,
  measureHandlerOverhead,
  measureRawWriteBound,
  measureSandbox,
  measureWarmGetProduct,
  startMeasuredSandbox,
} from './sandbox-load.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick ?? false;
const size = quick
  ? { initRuns: 5, reads: 300, orders: 30, costOrders: 5, warmCalls: 200, rawWrites: 500 }
  : { initRuns: 21, reads: 1000, orders: 100, costOrders: 20, warmCalls: 1000, rawWrites: 2000 };
const resultsDir = join(import.meta.dirname, 'results');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** `java -version` writes to stderr: its first line names the JVM DynamoDB Local runs on. */
function javaVersion(): string {
  const { stderr } = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return stderr?.split('\n')[0]?.trim() || 'java not found';
}

const machine = {
  os: `${type()} ${process.arch}`,
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
  node: process.version,
  java: javaVersion(),
};

const { functions: bundles, tracerLoadMs } = await measureBundles(size.initRuns);
console.log(
  `\nBundles and cold init (median of ${size.initRuns} fresh processes, interleaved), ratio to a bare handler`,
);
console.table(
  bundles.map((bundle) => ({
    handler: bundle.handler,
    minified: kb(bundle.minifiedBytes),
    'init ms': bundle.coldInitMs,
    'init ratio': bundle.initRatio,
    baseline: bundle.baseline,
  })),
);

console.log(
  `The first sampled invocation also loads the tracer (X-Ray SDK): ${tracerLoadMs} ms alone, an upper bound`,
);

const overhead = await measureHandlerOverhead();
console.log(
  `\nHandler overhead (health route through the full middy stack): ${overhead.meanMicros.toFixed(1)} µs per call`,
);

const { sandbox: running, startMs } = await startMeasuredSandbox();
let results: Record<string, unknown>;
try {
  const warm = await measureWarmGetProduct(running, size.warmCalls);
  console.log(
    `\nWarm get-product: ${warm.factoryMicros} µs through the handler factory, ${warm.bareMicros} µs bare: ratio ${warm.ratio}; ${warm.bareCountedMicros} µs bare with the two bucket writes: ratio ${warm.ratioAtEqualWork}`,
  );
  const sandbox = await measureSandbox(running, startMs, size);
  console.log('\nSandbox');
  console.table(sandbox);
  const cost = await measureOrderCost(running, size.costOrders);
  const rawWrites = await measureRawWriteBound(running, size.rawWrites);
  const writeUnitsPerOrder = cost.lines.find((line) => line.item === 'DynamoDB write units')?.perOrder ?? 0;
  const efficiency = {
    writeUnitsPerOrder,
    ordersPerSecond: sandbox.orderToFinal.ordersPerSecond,
    rawWritesPerSecond: rawWrites.writesPerSecond,
    ratio: Number(
      ((writeUnitsPerOrder * sandbox.orderToFinal.ordersPerSecond) / rawWrites.writesPerSecond).toFixed(2),
    ),
  };
  const lostOrStuck = await checkNothingLost(running);
  console.log('\nCost of one confirmed order (per 1M orders, us-east-1 list prices)');
  console.table(cost.lines);
  console.log(
    `Express: $${cost.express.usdPer1MOrders} per 1M orders; biggest: ${cost.express.biggest.map((line) => `${line.item} $${line.usdPer1MOrders}`).join(', ')}`,
  );
  console.log(
    `Standard: $${cost.standard.usdPer1MOrders} per 1M orders; biggest: ${cost.standard.biggest.map((line) => `${line.item} $${line.usdPer1MOrders}`).join(', ')}`,
  );
  console.log(
    `Busiest partition key: ${cost.busiestPartition.key}, ${cost.busiestPartition.writeUnitsPerOrder} write units per order: at most ${cost.busiestPartition.ordersPerSecondCeiling} orders a second per tenant (next: ${cost.hotPartitions.map((entry) => `${entry.key} ${entry.writeUnitsPerOrder}`).join(', ')})`,
  );
  console.log(
    `Efficiency: ${efficiency.writeUnitsPerOrder} write units x ${efficiency.ordersPerSecond} orders/s over DynamoDB Local's ${efficiency.rawWritesPerSecond} raw writes/s = ${efficiency.ratio}`,
  );
  console.log(`Lost or stuck after the run: ${JSON.stringify(lostOrStuck)}`);
  results = { warm, sandbox, cost, efficiency, lostOrStuck };
} finally {
  await running.stop();
}

const measured = {
  measuredAt: new Date().toISOString(),
  quick,
  machine,
  bundles,
  tracerLoadMs,
  overhead,
  ...results,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(measured, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.md'), markdown(measured));
console.log(`\nwrote ${join(resultsDir, 'latest.json')} and latest.md`);
process.exit(0);

function markdown(figures: typeof measured): string {
  const { warm, sandbox, cost, efficiency } = results as {
    warm: Awaited<ReturnType<typeof measureWarmGetProduct>>;
    sandbox: Awaited<ReturnType<typeof measureSandbox>>;
    cost: Awaited<ReturnType<typeof measureOrderCost>>;
    efficiency: Record<string, number>;
  };
  const rows = (header: string[], lines: (string | number)[][]) =>
    [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => ' --- ').join('|')}|`,
      ...lines.map((line) => `| ${line.join(' | ')} |`),
    ].join('\n');
  return `${[
    `# Benchmark results${figures.quick ? ' (quick)' : ''}`,
    `Measured ${figures.measuredAt} on ${machine.os}, ${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.java}. Reproduce with \`npm run bench\` (\`-- --quick\` for a short run).`,
    '## Cold init per function (ratio to a bare handler in the same run)',
    rows(
      ['handler', 'minified', 'init ms', 'ratio', 'baseline'],
      figures.bundles.map((bundle) => [
        bundle.handler,
        kb(bundle.minifiedBytes),
        bundle.coldInitMs,
        bundle.initRatio,
        bundle.baseline,
      ]),
    ),
    `Cold starts do not load the tracer (the X-Ray SDK under Powertools): the first invocation X-Ray samples does, which costs ${figures.tracerLoadMs} ms measured alone (an upper bound).`,
    `Warm get-product: ${warm.factoryMicros} µs through the handler factory against ${warm.bareMicros} µs bare (ratio ${warm.ratio}), and against ${warm.bareCountedMicros} µs for the bare handler doing the same DynamoDB work (the read and the two rate-limit bucket writes, in parallel): ratio ${warm.ratioAtEqualWork}. Handler overhead of the middy stack: ${figures.overhead.meanMicros.toFixed(1)} µs.`,
    '## Sandbox',
    rows(
      ['measure', 'value'],
      [
        [
          'GET /products',
          `${sandbox.getProducts.requestsPerSecond} req/s, p50 ${sandbox.getProducts.p50Ms} ms, p99 ${sandbox.getProducts.p99Ms} ms`,
        ],
        [
          'order to final status',
          `p50 ${sandbox.orderToFinal.p50Ms} ms, p95 ${sandbox.orderToFinal.p95Ms} ms, ${sandbox.orderToFinal.ordersPerSecond} orders/s`,
        ],
        [
          'event to WebSocket push',
          `p50 ${sandbox.eventToPush.p50Ms} ms, p95 ${sandbox.eventToPush.p95Ms} ms`,
        ],
        [
          'settled to GraphQL view',
          `p50 ${sandbox.settledToView.p50Ms} ms, p95 ${sandbox.settledToView.p95Ms} ms`,
        ],
        [
          'efficiency against DynamoDB Local',
          `${efficiency.writeUnitsPerOrder} WCU/order x ${efficiency.ordersPerSecond} orders/s / ${efficiency.rawWritesPerSecond} raw writes/s = ${efficiency.ratio}`,
        ],
      ],
    ),
    '## Cost per 1M confirmed orders',
    rows(
      ['item', 'per order', 'USD per 1M orders'],
      cost.lines.map((line) => [line.item, line.perOrder, line.usdPer1MOrders]),
    ),
    `Express: **$${cost.express.usdPer1MOrders}**; Standard: **$${cost.standard.usdPer1MOrders}**. Busiest partition key: \`${cost.busiestPartition.key}\`, ${cost.busiestPartition.writeUnitsPerOrder} write units per order, so at most ${cost.busiestPartition.ordersPerSecondCeiling} orders a second per tenant (next: ${cost.hotPartitions.map((entry) => `\`${entry.key}\` ${entry.writeUnitsPerOrder}`).join(', ')}).`,
    cost.notes.map((note) => `- ${note}`).join('\n'),
  ].join('\n\n')}\n`;
}
