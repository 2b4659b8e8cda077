/**
 * The order saga as plain data: its ASL file, the bus pattern that starts it, and how Task states
 * name their functions. CDK deploys it and the sandbox runs it from this same declaration; the
 * Task states' handlers are declared by the owning services (`sagaTasks` in their service.ts).
 */
import { orderPlaced } from '../events/orders/order-placed.js';
import type { EventPattern } from '../functions/shared/service-definition.js';

export const orderSaga = {
  name: 'order-saga',
  /** The deployed state machine's name: fixed, so services start it by ARN without a stack reference. */
  stateMachineName: (namePrefix: string): string => `${namePrefix}-order-saga`,
  /**
   * A task function's deployed name: fixed, so the saga stack names its functions by ARN instead
   * of importing them from the service stacks (an import would block renaming a task later).
   */
  taskFunctionName: (namePrefix: string, task: string): string => `${namePrefix}-${task}`,
  definitionFile: 'statemachines/order-saga.asl.json',
  trigger: { source: [orderPlaced.source], 'detail-type': [orderPlaced.detailType] } satisfies EventPattern,
} as const;

/** The `${...}` placeholder a Task state's `Resource` holds, filled by definitionSubstitutions. */
export const functionArnPlaceholder = (taskState: string): string => `${taskState}FunctionArn`;
