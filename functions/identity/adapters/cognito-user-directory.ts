/**
 * The user directory on a Cognito user pool: email is the username, `custom:tenant_id` is set once
 * at creation (no app client may write it), the role is the user's group, and AdminCreateUser
 * sends the invitation email with a temporary password.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { isRole } from '../../shared/auth/caller.js';
import { traced } from '../../shared/powertools.js';
import type { Role } from '../../shared/service-definition.js';
import type { DirectoryUser, UserDirectory } from '../domain/user-directory.js';

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

  /** The existing user; one left without a group by an interrupted creation gets the role asked for now. */
  async function existingUser(email: string, requestedRole: Role): Promise<DirectoryUser> {
    const found = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    const { Groups = [] } = await client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email }),
    );
    let role = Groups.map((group) => group.GroupName).find(isRole);
    if (!role) {
      await addToGroup(email, requestedRole);
      role = requestedRole;
    }
    return {
      userId: attribute(found.UserAttributes, 'sub'),
      email,
      tenantId: attribute(found.UserAttributes, tenantAttribute),
      role,
    };
  }

  return {
    async createUser({ email, tenantId, role }) {
      try {
        const { User } = await client.send(
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
        );
        await addToGroup(email, role);
        return { user: { userId: attribute(User?.Attributes, 'sub'), email, tenantId, role }, created: true };
      } catch (error) {
        if (!(error instanceof UsernameExistsException)) throw error;
        return { user: await existingUser(email, role), created: false };
      }
    },
  };
}
