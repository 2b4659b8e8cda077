/**
 * The user directory on a Cognito user pool: email is the username, `custom:tenant_id` is set once
 * at creation (no app client may write it), the role is the user's group, and AdminCreateUser
 * sends the invitation email with a temporary password.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { isRole } from '../../shared/auth/caller.js';
import { traced } from '../../shared/powertools.js';
import type { Role } from '../../shared/service-definition.js';
import type { ExistingDirectoryUser, UserDirectory } from '../domain/user-directory.js';

export const tenantAttribute = 'custom:tenant_id';

const attribute = (attributes: AttributeType[] | undefined, name: string): string => {
  const value = attributes?.find((entry) => entry.Name === name)?.Value;
  if (!value) throw new Error(`Cognito user has no ${name} attribute`);
  return value;
};

export function cognitoUserDirectory(
  userPoolId: string,
  client = traced(new CognitoIdentityProviderClient({})),
): UserDirectory {
  const addToGroup = (email: string, role: Role) =>
    client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: role }));

  /** The existing user as it is: sign-up and invitation never change a user that exists. */
  async function existingUser(email: string): Promise<ExistingDirectoryUser> {
    const found = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    const { Groups = [] } = await client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email }),
    );
    const role = Groups.map((group) => group.GroupName).find(isRole);
    return {
      userId: attribute(found.UserAttributes, 'sub'),
      email,
      tenantId: attribute(found.UserAttributes, tenantAttribute),
      ...(role ? { role } : {}),
    };
  }

  /**
   * Undoes a creation whose group could not be added, so the email is free for a retry instead of
   * held by a user with no role. If the deletion fails too, the user stays without a role and can
   * do nothing: every route needs one.
   */
  async function undoCreation(email: string, cause: unknown): Promise<never> {
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email }));
    } catch (deletion) {
      throw new AggregateError(
        [cause, deletion],
        'A user was created without its role and could not be removed',
      );
    }
    throw cause;
  }

  return {
    async createUser({ email, tenantId, role }) {
      let User: UserType | undefined;
      try {
        ({ User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              { Name: tenantAttribute, Value: tenantId },
            ],
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        ));
      } catch (error) {
        if (!(error instanceof UsernameExistsException)) throw error;
        return { user: await existingUser(email), created: false };
      }
      try {
        await addToGroup(email, role);
      } catch (error) {
        return undoCreation(email, error);
      }
      return { user: { userId: attribute(User?.Attributes, 'sub'), email, tenantId, role }, created: true };
    },

    async removeUser(email) {
      try {
        // Revokes its refresh tokens first; access tokens already issued live until they expire.
        await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: email }));
        await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email }));
      } catch (error) {
        if (!(error instanceof UserNotFoundException)) throw error;
      }
    },
  };
}
