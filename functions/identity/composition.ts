import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { ProblemError } from '../shared/errors.js';
import { tableNameVariable, userDirectoryVariables } from '../shared/service-definition.js';
import { cognitoUserDirectory } from './adapters/cognito-user-directory.js';
import { dynamoDbIdentityRepository } from './adapters/identity-repository.js';
import { localUserDirectory } from './adapters/local-user-directory.js';
import { identityUseCases } from './domain/identity-use-cases.js';
import type { UserDirectory } from './domain/user-directory.js';
import { identityService } from './service.js';

const tableName = requiredEnv(tableNameVariable(identityService.name));

export const invitationTtlVariable = 'INVITATION_TTL_DAYS';

/** A deployment that trusts an external issuer (Keycloak, say) without a directory endpoint manages users there. */
const managedByIssuer = async (): Promise<never> => {
  throw new ProblemError(
    501,
    'Not Implemented',
    'users-managed-by-issuer',
    'This deployment trusts an external OIDC issuer: create and remove tenants and users in that issuer, with the tenant_id claim.',
  );
};
const externallyManagedDirectory: UserDirectory = {
  createUser: managedByIssuer,
  removeUser: managedByIssuer,
};

function userDirectoryFromEnvironment(): UserDirectory {
  const userPoolId = process.env[userDirectoryVariables.userPoolId];
  if (userPoolId) return cognitoUserDirectory(userPoolId);
  const endpoint = process.env[userDirectoryVariables.localEndpoint];
  return endpoint ? localUserDirectory(endpoint) : externallyManagedDirectory;
}

let directory: UserDirectory | undefined;

/**
 * Built on first use: only the functions whose route declares `uses: ['userDirectory']` are given
 * its variables (and its IAM grant), and only they ever create users.
 */
const configuredDirectory = (): UserDirectory => {
  directory ??= userDirectoryFromEnvironment();
  return directory;
};
const lazyDirectory: UserDirectory = {
  createUser: (request) => configuredDirectory().createUser(request),
  removeUser: (email) => configuredDirectory().removeUser(email),
};

/** The identity service wired to DynamoDB and the user directory, built once per cold start. */
export const identity = identityUseCases({
  repository: dynamoDbIdentityRepository(tableName),
  directory: lazyDirectory,
  newId: ulid,
  now: () => new Date(),
  ...invitationTtl(),
});

/** `INVITATION_TTL_DAYS` when a deployment sets it; a value that is not a positive number fails the cold start. */
function invitationTtl(): { invitationTtlDays?: number } {
  const value = process.env[invitationTtlVariable];
  if (value === undefined || value === '') return {};
  const days = Number(value);
  if (!(days > 0))
    throw new Error(`${invitationTtlVariable} must be a positive number of days, not "${value}"`);
  return { invitationTtlDays: days };
}
