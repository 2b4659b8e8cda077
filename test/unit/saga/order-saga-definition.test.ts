/**
 * Timing rules of the order saga's ASL that keep every order settleable:
 * - a Task state waits longer than its function may run, so an attempt is over before its retry
 *   or its compensation starts (no stray write racing the next step);
 * - the worst case of every path (each attempt timing out, each retry at its longest backoff) fits
 *   inside the execution's TimeoutSeconds, which fits inside Express's 5-minute limit;
 * - the settlement deadline the sweeper uses lies beyond the execution's timeout;
 * - every Task either catches everything or is only reached from a state that does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { services } from '../../../functions/services.js';
import { sagaTaskDefaults } from '../../../functions/shared/service-definition.js';
import { nonRetryableSagaErrors } from '../../../tasks/order-saga-tasks.js';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
}

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: Retrier[];
  TimeoutSeconds?: number;
}

const definition = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'statemachines', 'order-saga.asl.json'), 'utf8'),
) as { StartAt: string; TimeoutSeconds: number; States: Record<string, State> };
const expressLimitSeconds = 300;

const declaredTimeouts = new Map(
  services.flatMap((service) =>
    Object.entries(service.sagaTasks ?? {}).map(([state, task]) => [
      state,
      task.timeoutSeconds ?? sagaTaskDefaults.timeoutSeconds,
    ]),
  ),
);
const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

/** Every attempt times out and every retry waits its longest backoff (jitter only shortens it). */
function worstCaseSeconds(state: State): number {
  if (state.Type !== 'Task') return 0;
  const retriers = (state.Retry ?? []).filter((retrier) => (retrier.MaxAttempts ?? 3) > 0);
  let attempts = 1;
  let waiting = 0;
  for (const retrier of retriers) {
    const maxAttempts = retrier.MaxAttempts ?? 3;
    attempts += maxAttempts;
    for (let retry = 0; retry < maxAttempts; retry += 1) {
      const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retry;
      waiting += Math.min(delay, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    }
  }
  return attempts * (state.TimeoutSeconds ?? 60) + waiting;
}

function successors(state: State): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((choice) => choice.Next),
    ...(state.Catch ?? []).map((handler) => handler.Next),
  ];
}

/** The longest path's worst case from `name` (the saga is acyclic: retries are not loops). */
function longestFrom(name: string, visiting = new Set<string>()): number {
  if (visiting.has(name)) throw new Error(`The saga loops through ${name}`);
  const state = definition.States[name] as State;
  const next = successors(state);
  visiting.add(name);
  const rest = next.length === 0 ? 0 : Math.max(...next.map((successor) => longestFrom(successor, visiting)));
  visiting.delete(name);
  return worstCaseSeconds(state) + rest;
}

describe('order saga definition', () => {
  it.each(tasks.map(([name]) => name))('%s waits longer than its function may run', (name) => {
    const task = /^\$\{(\w+)FunctionArn\}$/.exec(definition.States[name]?.Resource ?? '')?.[1] ?? '';
    const declared = declaredTimeouts.get(task);
    expect([name, task, declared]).toEqual([name, task, expect.any(Number)]);
    expect(definition.States[name]?.TimeoutSeconds).toBeGreaterThan(declared as number);
  });

  it("fits the worst case of its longest path inside the execution's timeout, and that inside Express's limit", () => {
    const worst = longestFrom(definition.StartAt);

    expect(worst).toBeLessThanOrEqual(definition.TimeoutSeconds);
    expect(definition.TimeoutSeconds).toBeLessThan(expressLimitSeconds);
  });

  it('catches every error of every task, so no failure ends an execution without a decision', () => {
    for (const [name, state] of tasks) {
      expect([name, state.Catch?.some((handler) => handler.ErrorEquals.includes('States.ALL'))]).toEqual([
        name,
        true,
      ]);
    }
  });

  it('never retries the errors that retrying cannot change', () => {
    for (const [, state] of tasks) {
      expect(state.Retry?.[0]).toEqual({ ErrorEquals: [...nonRetryableSagaErrors], MaxAttempts: 0 });
    }
  });

  it('sets the default settlement deadline beyond any execution', async () => {
    process.env.ORDERS_TABLE_NAME ??= 'unused';
    const { orderDependencies } = await import('../../../functions/orders/composition.js');

    expect(orderDependencies.settlementDeadlineSeconds).toBeGreaterThan(2 * definition.TimeoutSeconds);
  });
});
