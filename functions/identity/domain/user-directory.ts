import type { Role } from '../../shared/service-definition.js';

/** A user as the directory knows it: the id tokens carry as `sub`, its one tenant and its role. */
export interface DirectoryUser {
  userId: string;
  email: string;
  tenantId: string;
  role: Role;
}

/**
 * A user the directory already had. `role` is absent when its creation stopped before the role was
 * given (a crash between Cognito's two calls): such a user can do nothing until it is removed.
 */
export type ExistingDirectoryUser = Omit<DirectoryUser, 'role'> & { role?: Role };

export interface DirectoryUserRequest {
  email: string;
  tenantId: string;
  role: Role;
}

export type CreateUserResult =
  | { created: true; user: DirectoryUser }
  | { created: false; user: ExistingDirectoryUser };

/**
 * Where users live and sign in: Cognito in AWS, the sandbox's issuer offline. An email is one user
 * with one tenant for good (Cognito's `custom:tenant_id` is immutable).
 */
export interface UserDirectory {
  /**
   * Creates the user with its role and sends the invitation; a creation that fails half-way is
   * undone, so no user is left without its role. When the email already exists, the existing user
   * comes back exactly as it was, with `created: false`: neither its role nor any attribute is ever
   * changed here, and the caller decides whether it is a retry of its own attempt or a conflict.
   */
  createUser(request: DirectoryUserRequest): Promise<CreateUserResult>;
  /** Signs the user out everywhere, then deletes it; an email the directory does not have is fine. */
  removeUser(email: string): Promise<void>;
}
