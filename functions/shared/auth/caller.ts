/**
 * Who is calling: the authorizer derives it from the verified token and hands it to API Gateway
 * as authorizer context (string values only); handlers read it back. Both directions live here.
 *
 * @example
 * const caller = callerFromAuthorizerContext(event.requestContext.authorizer);
 */
import { ProblemError } from '../errors.js';
import { type Role, roles } from '../service-definition.js';

export interface Caller {
  tenantId: string;
  userId: string;
  roles: Role[];
}

export type AuthorizerContext = { tenantId: string; sub: string; roles: string };

export class UnauthorizedError extends ProblemError {
  constructor(detail: string) {
    super(401, 'Unauthorized', 'unauthorized', detail, undefined, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function authorizerContext(caller: Caller): AuthorizerContext {
  return { tenantId: caller.tenantId, sub: caller.userId, roles: caller.roles.join(',') };
}

export function callerFromAuthorizerContext(context: Record<string, unknown> | null | undefined): Caller {
  const { tenantId, sub, roles: roleList } = context ?? {};
  if (typeof tenantId !== 'string' || tenantId === '' || typeof sub !== 'string' || sub === '') {
    throw new UnauthorizedError('The request carries no verified caller.');
  }
  const callerRoles = typeof roleList === 'string' ? roleList.split(',').filter(isRole) : [];
  return { tenantId, userId: sub, roles: callerRoles };
}
