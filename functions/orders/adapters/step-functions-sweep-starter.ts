import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SweepInput } from '../../../tasks/order-saga-tasks.js';
import { traced } from '../../shared/powertools.js';
import type { SweepStarter } from '../domain/orders-port.js';

/** Starts the order saga with a sweep input; the execution's TakeOverOrder decides if it acts. */
export function stepFunctionsSweepStarter(stateMachineArn: string): SweepStarter {
  const client = traced(new SFNClient({}));
  return {
    async startSweep({ tenantId, orderId, correlationId }) {
      const input: SweepInput = { sweep: true, order: { tenantId, orderId, correlationId } };
      await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    },
  };
}
