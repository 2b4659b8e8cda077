/**
 * Runs the order saga offline: the same ASL file CDK deploys, executed by aws-local-stepfunctions,
 * with every Task state mapped to the handler its owning service declares. Each execution gets a
 * Context Object with an execution ARN, as Step Functions provides, which the claim relies on.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { SagaTaskDefinition, ServiceDefinition } from '../functions/shared/service-definition.js';
import { functionArnPlaceholder, orderSaga } from '../statemachines/order-saga.js';
import { awsJsonError, serveAwsJsonOperation } from './aws-json-api.js';
import { lambdaContext } from './lambda-context.js';

/** The execution input: the OrderPlaced event as the EventBridge rule delivers it. */
export type SagaInput = object;

export type TaskHandler = (input: unknown, context: Context) => Promise<unknown>;

export interface SagaExecution {
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** States entered so far, retries included: what Step Functions Standard bills as transitions. */
  statesEntered: number;
  /** From start to end, once it has ended: what Express bills. */
  durationMs?: number;
  output?: unknown;
  error?: string;
}

export interface SagaRunner {
  start(input: SagaInput): SagaExecution;
  readonly stateMachineArn: string;
  readonly executions: ReadonlyMap<string, SagaExecution>;
  /** Resolves once no execution is running. */
  idle(): Promise<void>;
  /** Serves `AWSStepFunctions.StartExecution` (AWS JSON 1.0), the one Step Functions API the handlers call. */
  handleApiRequest(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export interface SagaRunnerOptions {
  repositoryRoot: string;
  /** Handlers by task name: the `sagaTasks` key that names its placeholder, `${<task>FunctionArn}`. */
  taskHandlers: Readonly<Record<string, TaskHandler>>;
  /** Milliseconds to wait between retries, keyed by state name (tests shorten the real backoff). */
  retryIntervalOverrides?: Record<string, number>;
  onExecutionFailed?: (execution: SagaExecution) => void;
}

const account = '000000000000';
const region = 'us-east-1';
const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${orderSaga.name}`;

/** The sandbox's one state machine, for the handlers that start it (ORDER_SAGA_ARN). */
export const sandboxOrderSagaArn = stateMachineArn;

/** Every saga task the services declare, by name, with its handler file. */
/** Every service's saga tasks by ASL state name. */
export function declaredSagaTasks(services: readonly ServiceDefinition[]): Map<string, SagaTaskDefinition> {
  return new Map(services.flatMap((service) => Object.entries(service.sagaTasks ?? {})));
}

const functionArnPrefix = `arn:aws:lambda:${region}:${account}:function:`;

export async function loadSagaDefinition(repositoryRoot: string): Promise<StateMachineDefinition> {
  const text = await readFile(join(repositoryRoot, orderSaga.definitionFile), 'utf8');
  // The Resource ARNs are never called offline (every Task is overridden) but must be well formed.
  return JSON.parse(
    text.replace(/\$\{(\w+)\}/g, (placeholder, name: string) => {
      const task = name.replace(/FunctionArn$/, '');
      if (functionArnPlaceholder(task) !== name) throw new Error(`Unknown ASL placeholder ${placeholder}`);
      return `${functionArnPrefix}${task}`;
    }),
  ) as StateMachineDefinition;
}

export async function createSagaRunner(options: SagaRunnerOptions): Promise<SagaRunner> {
  const definition = await loadSagaDefinition(options.repositoryRoot);
  // A Task state runs the task its Resource names; two states may run one task (ClaimOrder, RecheckClaim).
  const taskStates = Object.entries(definition.States).flatMap(([name, state]) =>
    state.Type === 'Task' ? [[name, String(state.Resource).replace(functionArnPrefix, '')] as const] : [],
  );
  const missing = taskStates.filter(([, task]) => !options.taskHandlers[task]).map(([, task]) => task);
  if (missing.length > 0) throw new Error(`No handler declared for saga task(s): ${missing.join(', ')}`);

  const stateMachine = new StateMachine(definition);
  type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
  type LocalHandlerOutput = Awaited<ReturnType<LocalHandlers[string]>>;
  const taskResourceLocalHandlers: LocalHandlers = Object.fromEntries(
    taskStates.map(([state, task]) => {
      const handler = options.taskHandlers[task] as TaskHandler;
      // Task outputs are JSON by construction: Lambda serialises what the handler returns.
      return [
        state,
        async (input: unknown) =>
          (await handler(input, lambdaContext(task, randomUUID()))) as LocalHandlerOutput,
      ];
    }),
  );
  const executions = new Map<string, SagaExecution>();
  const running = new Set<Promise<unknown>>();

  function start(eventInput: SagaInput): SagaExecution {
    // An execution input is JSON by construction: it arrives as an EventBridge event.
    const input = eventInput as Parameters<StateMachine['run']>[0];
    const name = randomUUID();
    const executionArn = `arn:aws:states:${region}:${account}:execution:${orderSaga.name}:${name}`;
    const execution: SagaExecution = { executionArn, status: 'RUNNING', statesEntered: 0 };
    const startedAt = performance.now();
    executions.set(executionArn, execution);
    const runOptions: RunOptions = {
      overrides: {
        taskResourceLocalHandlers,
        ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
      },
      context: {
        Execution: { Id: executionArn, Name: name, Input: input, StartTime: new Date().toISOString() },
        StateMachine: { Id: stateMachineArn, Name: orderSaga.name },
      },
    };
    const run = stateMachine.run(input, runOptions);
    const countStates = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') execution.statesEntered += 1;
      }
    })();
    const settled = Promise.all([run.result, countStates])
      .then(([output]) => output)
      .then(
        (output) => {
          execution.status = 'SUCCEEDED';
          execution.output = output;
        },
        (error: unknown) => {
          execution.status = 'FAILED';
          // The runner wraps what failed the execution (a Fail state's Error, a task's error) as its cause.
          const failure = error instanceof Error && error.cause instanceof Error ? error.cause : error;
          execution.error =
            failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
          options.onExecutionFailed?.(execution);
        },
      );
    running.add(settled);
    void settled.finally(() => {
      execution.durationMs = performance.now() - startedAt;
      running.delete(settled);
    });
    return execution;
  }

  return {
    executions,
    stateMachineArn,
    start,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    handleApiRequest(request, response) {
      return serveAwsJsonOperation<{ stateMachineArn?: string; input?: string }>(request, response, {
        target: 'AWSStepFunctions.StartExecution',
        version: '1.0',
        handle: (body) => {
          if (body.stateMachineArn !== stateMachineArn) {
            return awsJsonError('StateMachineDoesNotExist', `No state machine ${body.stateMachineArn}`);
          }
          let input: SagaInput;
          try {
            // An execution input is JSON by construction.
            input = JSON.parse(body.input ?? '{}') as SagaInput;
          } catch {
            return awsJsonError('InvalidExecutionInput', 'input is not JSON');
          }
          const execution = start(input);
          return {
            status: 200,
            body: { executionArn: execution.executionArn, startDate: Date.now() / 1000 },
          };
        },
      });
    },
  };
}
