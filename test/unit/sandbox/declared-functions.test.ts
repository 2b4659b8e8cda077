import { defineService } from '../../../functions/shared/service-definition.js';
import { declaredContext, declaredEnvironment } from '../../../sandbox/declared-functions.js';
import { lambdaContext } from '../../../sandbox/lambda-context.js';

const service = (name: string, environment: Record<string, string>) =>
  defineService({
    name,
    routes: {},
    sagaTasks: { [`${name}Task`]: { handler: `functions/${name}/task.ts`, environment } },
  });

describe('declared function settings offline', () => {
  it('merges the variables every function declares', () => {
    expect(
      declaredEnvironment([service('a', { A_LIMIT: '1' }), service('b', { B_LIMIT: '2', A_LIMIT: '1' })], {}),
    ).toEqual({ A_LIMIT: '1', B_LIMIT: '2' });
  });

  it('refuses a variable two functions set differently: one process cannot hold both', () => {
    expect(() =>
      declaredEnvironment([service('a', { LIMIT: '1' }), service('b', { LIMIT: '2' })], {}),
    ).toThrow('functions/b/task.ts sets LIMIT=2, but functions/a/task.ts set it to 1');
  });

  it("refuses a declaration that would change one of the sandbox's own variables", () => {
    expect(() =>
      declaredEnvironment([service('a', { ORDERS_TABLE_NAME: 'mine' })], {
        ORDERS_TABLE_NAME: 'sandbox-orders',
      }),
    ).toThrow('but the sandbox set it to sandbox-orders');
  });

  it("gives the handler a context with the function's declared timeout and memory", () => {
    const context = declaredContext('charge.ts', lambdaContext('billing-charge', 'request-1'), {
      timeoutSeconds: 8,
      memoryMB: 512,
    });

    expect(context).toMatchObject({
      functionName: 'billing-charge',
      awsRequestId: 'request-1',
      memoryLimitInMB: '512',
    });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(7000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(8000);
  });

  it('falls back to the defaults CDK uses', () => {
    const context = declaredContext('f.ts', lambdaContext('f', 'r'), {}, 3);

    expect(context.memoryLimitInMB).toBe('256');
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(3000);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(2000);
  });
});
