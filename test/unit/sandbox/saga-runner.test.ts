/**
 * The sweeper's way into the saga, end to end offline: the orders service's Step Functions adapter
 * starts an execution through the sandbox's StartExecution endpoint, and the real ASL routes the
 * sweep input to TakeOverOrder.
 */
import { join } from 'node:path';
import { stepFunctionsSweepStarter } from '../../../functions/orders/adapters/step-functions-sweep-starter.js';
import { services } from '../../../functions/services.js';
import { createSagaRunner, declaredSagaTasks, type SagaRunner } from '../../../sandbox/saga-runner.js';
import { localServer } from '../../support/local-server.js';

let runner: SagaRunner;
let server: Awaited<ReturnType<typeof localServer>>;
const takeOverInputs: unknown[] = [];

beforeAll(async () => {
  const taskHandlers = Object.fromEntries(
    [...declaredSagaTasks(services).keys()].map((task) => [
      task,
      async (input: unknown) => {
        if (task !== 'TakeOverOrder') throw new Error(`${task} must not run for a sweep of a settled order`);
        takeOverInputs.push(input);
        return { claimed: false };
      },
    ]),
  );
  runner = await createSagaRunner({ repositoryRoot: join(__dirname, '..', '..', '..'), taskHandlers });
  server = await localServer((request, response) => void runner.handleApiRequest(request, response));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SFN: server.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
});

afterAll(() => server.close());

describe('sandbox saga runner: StartExecution', () => {
  it('starts a sweep the sweeper asks for, which takes the order over (here: nothing to sweep)', async () => {
    await stepFunctionsSweepStarter(runner.stateMachineArn).startSweep({
      tenantId: 't1',
      orderId: 'o1',
      correlationId: 'c1',
    });
    await runner.idle();

    expect(takeOverInputs).toEqual([
      {
        tenantId: 't1',
        orderId: 'o1',
        correlationId: 'c1',
        executionId: expect.stringContaining(':order-saga:'),
      },
    ]);
    expect([...runner.executions.values()].map((execution) => execution.status)).toEqual(['SUCCEEDED']);
  });

  it('refuses a state machine it does not run, and starts nothing', async () => {
    const before = runner.executions.size;

    await expect(
      stepFunctionsSweepStarter('arn:aws:states:us-east-1:000000000000:stateMachine:other').startSweep({
        tenantId: 't1',
        orderId: 'o2',
        correlationId: 'c2',
      }),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    expect(runner.executions.size).toBe(before);
  });
});
