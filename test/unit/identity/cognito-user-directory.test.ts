import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { cognitoUserDirectory } from '../../../functions/identity/adapters/cognito-user-directory.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const userPoolId = 'eu-west-1_AbCdEfGhI';
const directory = cognitoUserDirectory(
  userPoolId,
  new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
);
const request = { email: 'ada@example.com', tenantId: 'tenant-1', role: 'admin' } as const;

const attributes = (tenantId: string) => [
  { Name: 'sub', Value: 'sub-ada' },
  { Name: 'email', Value: 'ada@example.com' },
  { Name: 'custom:tenant_id', Value: tenantId },
];

beforeEach(() => {
  cognito.reset();
  cognito.on(AdminAddUserToGroupCommand).resolves({});
});

describe('cognitoUserDirectory', () => {
  it('creates the user by email with its tenant, sends the invitation email and adds the role group', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: attributes('tenant-1') } });

    const result = await directory.createUser(request);

    expect(result).toEqual({
      user: { userId: 'sub-ada', email: 'ada@example.com', tenantId: 'tenant-1', role: 'admin' },
      created: true,
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: userPoolId,
      Username: 'ada@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'ada@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:tenant_id', Value: 'tenant-1' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: userPoolId,
      Username: 'ada@example.com',
      GroupName: 'admin',
    });
  });

  it('returns an existing user unchanged, with its own tenant and role', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({ Username: 'sub-ada', UserAttributes: attributes('tenant-9') });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'member' }] });

    const result = await directory.createUser(request);

    expect(result).toEqual({
      user: { userId: 'sub-ada', email: 'ada@example.com', tenantId: 'tenant-9', role: 'member' },
      created: false,
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('never puts an existing user without a group into one, whatever role is asked for', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({ UserAttributes: attributes('tenant-9') });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    const result = await directory.createUser({ ...request, tenantId: 'tenant-9' });

    expect(result).toEqual({
      user: { userId: 'sub-ada', email: 'ada@example.com', tenantId: 'tenant-9' },
      created: false,
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('deletes a user it created when its group cannot be added, and fails', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: attributes('tenant-1') } });
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('TooManyRequestsException'));
    cognito.on(AdminDeleteUserCommand).resolves({});

    await expect(directory.createUser(request)).rejects.toThrow('TooManyRequestsException');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: userPoolId,
      Username: 'ada@example.com',
    });
  });

  it('says so when the user it could not finish cannot be deleted either', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: attributes('tenant-1') } });
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('TooManyRequestsException'));
    cognito.on(AdminDeleteUserCommand).rejects(new Error('InternalErrorException'));

    await expect(directory.createUser(request)).rejects.toThrow('could not be removed');
  });

  it('signs a removed user out everywhere before deleting it, and takes an unknown one as removed', async () => {
    const calls: string[] = [];
    cognito.on(AdminUserGlobalSignOutCommand).callsFake(() => calls.push('signOut'));
    cognito.on(AdminDeleteUserCommand).callsFake(() => calls.push('delete'));

    await directory.removeUser('ada@example.com');
    expect(calls).toEqual(['signOut', 'delete']);
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: userPoolId,
      Username: 'ada@example.com',
    });

    cognito
      .on(AdminUserGlobalSignOutCommand)
      .rejects(new UserNotFoundException({ message: 'gone', $metadata: {} }));
    await expect(directory.removeUser('gone@example.com')).resolves.toBeUndefined();
  });

  it('lets any other Cognito error through for the caller to fail on', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new Error('TooManyRequestsException'));

    await expect(directory.createUser(request)).rejects.toThrow('TooManyRequestsException');
  });
});
