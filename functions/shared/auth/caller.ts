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

/** A caller whose token was verified, and when that token expires. */
export interface VerifiedCaller extends Caller {
  expiresAt: Date;
}

/** `expiresAt` is the token's expiry in epoch seconds, for what lives as long as the token does. */
export type AuthorizerContext = { tenantId: string; sub: string; roles: string; expiresAt?: string };

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

export function authorizerContext(caller: VerifiedCaller): AuthorizerContext {
  return {
    tenantId: caller.tenantId,
    sub: caller.userId,
    roles: caller.roles.join(','),
    expiresAt: String(Math.floor(caller.expiresAt.getTime() / 1000)),
  };
}

/** When the caller's token expires, from the authorizer context; undefined when it does not say. */
export function tokenExpiryFromAuthorizerContext(
  context: Record<string, unknown> | null | undefined,
): Date | undefined {
  const seconds = Number(context?.expiresAt);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

export function callerFromAuthorizerContext(context: Record<string, unknown> | null | undefined): Caller {
  const { tenantId, sub, roles: roleList } = context ?? {};
  if (typeof tenantId !== 'string' || tenantId === '' || typeof sub !== 'string' || sub === '') {
    throw new UnauthorizedError('The request carries no verified caller.');
  }
  const callerRoles = typeof roleList === 'string' ? roleList.split(',').filter(isRole) : [];
  return { tenantId, userId: sub, roles: callerRoles };
}
