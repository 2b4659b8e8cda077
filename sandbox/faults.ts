/**
 * Fault injection, sandbox only (`SANDBOX_FAULTS=<rate>` with `SANDBOX_SEED=<int>`): that fraction
 * of saga task invocations, PutEvents entries, stream batches and consumer invocations fails,
 * each either before or after its own write, from a seeded generator so a run can be repeated.
 * Production code carries none of this: the sandbox wraps the real handlers and APIs.
 */
export const faultPoints = ['task', 'putEvents', 'stream', 'consumer'] as const;
export type FaultPoint = (typeof faultPoints)[number];

/** `before`: the step fails without doing anything; `after`: it does its work, then reports failure. */
export type FaultTiming = 'before' | 'after';

export const maxFaultRate = 0.5;

export interface FaultSettings {
  rate: number;
  seed: number;
}

export interface FaultInjector extends FaultSettings {
  readonly injected: Readonly<Record<FaultPoint, number>>;
  /** Whether this invocation at `point` fails, and when; undefined for no fault. */
  draw(point: FaultPoint): FaultTiming | undefined;
}

export class InjectedFault extends Error {
  override readonly name = 'SandboxInjectedFault';
}

/** mulberry32: a small seeded generator with a full 2^32 period, plenty for fault draws. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function createFaultInjector({ rate, seed }: FaultSettings): FaultInjector {
  const random = seededRandom(seed);
  const injected: Record<FaultPoint, number> = { task: 0, putEvents: 0, stream: 0, consumer: 0 };
  return {
    rate,
    seed,
    injected,
    draw(point) {
      if (rate === 0 || random() >= rate) return undefined;
      injected[point] += 1;
      return random() < 0.5 ? 'before' : 'after';
    },
  };
}

/** Reads SANDBOX_FAULTS and SANDBOX_SEED; undefined when no faults are asked for. */
export function faultSettingsFromEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
): FaultSettings | undefined {
  const { SANDBOX_FAULTS: rateText, SANDBOX_SEED: seedText } = environment;
  if (rateText === undefined || rateText === '') return undefined;
  const rate = Number(rateText);
  if (!Number.isFinite(rate) || rate < 0 || rate > maxFaultRate) {
    throw new Error(`SANDBOX_FAULTS must be a number from 0 to ${maxFaultRate}, not "${rateText}"`);
  }
  const seed = seedText === undefined || seedText === '' ? 1 : Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new Error(`SANDBOX_SEED must be an integer, not "${seedText}"`);
  return { rate, seed };
}

/** Runs `step` under the injector: it may fail before running, or after it has done its work. */
export async function withFault<T>(
  faults: FaultInjector | undefined,
  point: FaultPoint,
  step: () => Promise<T>,
): Promise<T> {
  const timing = faults?.draw(point);
  if (timing === 'before') throw new InjectedFault(`injected ${point} fault before its write`);
  const result = await step();
  if (timing === 'after') throw new InjectedFault(`injected ${point} fault after its write`);
  return result;
}
