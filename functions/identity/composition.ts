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

/** A deployment that trusts an external issuer (Keycloak, say) without a directory endpoint manages users there. */
const externallyManagedDirectory: UserDirectory = {
  createUser: async () => {
    throw new ProblemError(
      501,
      'Not Implemented',
      'users-managed-by-issuer',
      'This deployment trusts an external OIDC issuer: create tenants and users in that issuer, with the tenant_id claim.',
    );
  },
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
const lazyDirectory: UserDirectory = {
  createUser(request) {
    directory ??= userDirectoryFromEnvironment();
    return directory.createUser(request);
  },
};

/** The identity service wired to DynamoDB and the user directory, built once per cold start. */
export const identity = identityUseCases({
  repository: dynamoDbIdentityRepository(tableName),
  directory: lazyDirectory,
  newId: ulid,
  now: () => new Date(),
});
