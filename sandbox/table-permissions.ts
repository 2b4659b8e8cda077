/**
 * Offline, IAM's check of what a function does to its own table: each invocation runs in its
 * function's context, and a DynamoDB request for an action the function did not declare on its
 * service's table (`tableActions`, the same list CDK grants) fails with AccessDeniedException
 * before it reaches DynamoDB Local, as IAM refuses it deployed. So a declaration that forgets an
 * action fails `npm test`, not the first deploy. Requests made outside any function (the
 * sandbox's own setup, its stream pollers, tests) and to other tables are not checked here.
 *
 * @example
 * installTablePermissionCheck(documentClient);
 * await invokedAs({ name: 'catalog-getProduct', table: 'sandbox-catalog', actions: ['GetItem'] }, () => handler(event));
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableAction } from '../functions/shared/service-definition.js';

export interface FunctionPermissions {
  /** The function's name, as IAM's refusal names its role. */
  name: string;
  /** Its service's table; undefined for a function of a service without one. */
  table: string | undefined;
  actions: readonly TableAction[];
}

const invocation = new AsyncLocalStorage<FunctionPermissions>();

/** Runs `work` as an invocation of the function, with its permissions in force. */
export function invokedAs<T>(permissions: FunctionPermissions, work: () => Promise<T>): Promise<T> {
  return invocation.run(permissions, work);
}

const transactionItemActions: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/** The actions IAM checks for one request, each with the table it names. */
export function requestedActions(
  commandName: string,
  input: Record<string, unknown>,
): { action: string; table: string }[] {
  if (commandName === 'TransactWriteItemsCommand') {
    return ((input.TransactItems ?? []) as Record<string, { TableName: string }>[]).flatMap((item) =>
      Object.entries(item).map(([kind, body]) => ({
        action: transactionItemActions[kind] ?? kind,
        table: body.TableName,
      })),
    );
  }
  if (commandName === 'TransactGetItemsCommand') {
    return ((input.TransactItems ?? []) as { Get: { TableName: string } }[]).map((item) => ({
      action: 'GetItem',
      table: item.Get.TableName,
    }));
  }
  if (commandName === 'BatchGetItemCommand' || commandName === 'BatchWriteItemCommand') {
    return Object.keys((input.RequestItems ?? {}) as object).map((table) => ({
      action: commandName.replace(/Command$/, ''),
      table,
    }));
  }
  return [{ action: commandName.replace(/Command$/, ''), table: String(input.TableName) }];
}

export class AccessDeniedException extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };

  constructor(permissions: FunctionPermissions, action: string, table: string) {
    super(
      `User: arn:aws:sts::000000000000:assumed-role/${permissions.name}/sandbox is not authorized to perform: dynamodb:${action} on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${table} because no identity-based policy allows the dynamodb:${action} action`,
    );
    this.name = 'AccessDeniedException';
  }
}

/** Clients already checked: one sandbox after another in a process installs the check once. */
const checkedClients = new WeakSet<DynamoDBDocumentClient>();

export function installTablePermissionCheck(client: DynamoDBDocumentClient): void {
  if (checkedClients.has(client)) return;
  checkedClients.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const permissions = invocation.getStore();
      if (permissions?.table) {
        const allowed: readonly string[] = permissions.actions;
        for (const { action, table } of requestedActions(
          context.commandName ?? '',
          args.input as Record<string, unknown>,
        )) {
          if (table === permissions.table && !allowed.includes(action)) {
            throw new AccessDeniedException(permissions, action, table);
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'sandboxTablePermissionCheck' },
  );
}
