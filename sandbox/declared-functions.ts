/**
 * The per-function settings services declare (`FunctionSettings`), applied offline as CDK applies
 * them in AWS: each function's environment, timeout and memory. Every handler runs in this one
 * process, so a variable two functions set differently cannot be honoured and stops the sandbox.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  declaredFunctionsOf,
  type FunctionSettings,
  functionDefaults,
  type ServiceDefinition,
} from '../functions/shared/service-definition.js';
import { lambdaContext } from './lambda-context.js';

/**
 * The variables every declared function sets, merged. `platform` holds what the sandbox itself
 * sets (tables, endpoints): a declaration may not give one of those another value either.
 */
export function declaredEnvironment(
  services: readonly ServiceDefinition[],
  platform: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const merged: Record<string, string> = {};
  const setBy = new Map<string, string>();
  for (const declared of services.flatMap(declaredFunctionsOf)) {
    for (const [name, value] of Object.entries(declared.environment ?? {})) {
      const earlier = merged[name] ?? platform[name];
      if (earlier !== undefined && earlier !== value) {
        throw new Error(
          `${declared.handler} sets ${name}=${value}, but ${setBy.get(name) ?? 'the sandbox'} set it to ${earlier}: every handler shares one process offline, so a variable must have one value.`,
        );
      }
      merged[name] = value;
      setBy.set(name, declared.handler);
    }
  }
  return merged;
}

/**
 * The context a declared function sees: the one its caller built (the gateway calls authorizers
 * without one), with the function's own timeout and memory.
 */
export function declaredContext(
  functionName: string,
  context: Context | undefined,
  settings: FunctionSettings,
  defaultTimeoutSeconds: number = functionDefaults.timeoutSeconds,
): Context {
  return lambdaContext(
    context?.functionName ?? functionName,
    context?.awsRequestId ?? randomUUID(),
    (settings.timeoutSeconds ?? defaultTimeoutSeconds) * 1000,
    settings.memoryMB ?? functionDefaults.memoryMB,
  );
}
