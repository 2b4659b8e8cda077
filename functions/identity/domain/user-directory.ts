import type { Role } from '../../shared/service-definition.js';

/** A user as the directory knows it: the id tokens carry as `sub`, its one tenant and its role. */
export interface DirectoryUser {
  userId: string;
  email: string;
  tenantId: string;
  role: Role;
}

export interface DirectoryUserRequest {
  email: string;
  tenantId: string;
  role: Role;
}

/**
 * Where users live and sign in: Cognito in AWS, the sandbox's issuer offline. An email is one user
 * with one tenant for good (Cognito's `custom:tenant_id` is immutable).
 */
export interface UserDirectory {
  /**
   * Creates the user and sends the invitation. When the email already exists, nothing changes and
   * the existing user comes back with `created: false`: the caller decides whether that is a
   * retry of its own earlier attempt or a conflict.
   */
  createUser(request: DirectoryUserRequest): Promise<{ user: DirectoryUser; created: boolean }>;
}
