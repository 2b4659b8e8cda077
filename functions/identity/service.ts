import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/identity/handlers';

/** Tenants and their memberships; the users themselves live in the user directory (Cognito). */
export const identityService = defineService({
  name: 'identity',
  table: standardTable,
  publishes: ['TenantCreated', 'UserInvited', 'UserRemoved'],
  routes: {
    createTenant: {
      method: 'POST',
      path: '/tenants',
      handler: `${handlers}/create-tenant.ts`,
      tableActions: ['GetItem', 'PutItem'],
      access: 'public',
      publicBecause:
        'signing up creates the first user, so no token can exist yet (rate limited per source IP).',
      limitedAsSignUp: true,
      uses: ['userDirectory'],
    },
    getMe: {
      method: 'GET',
      path: '/me',
      handler: `${handlers}/get-me.ts`,
      access: ['admin', 'member'],
    },
    inviteUser: {
      method: 'POST',
      path: '/users',
      handler: `${handlers}/invite-user.ts`,
      tableActions: ['PutItem'],
      access: ['admin'],
      uses: ['userDirectory'],
    },
    listUsers: {
      method: 'GET',
      path: '/users',
      handler: `${handlers}/list-users.ts`,
      tableActions: ['Query'],
      access: ['admin'],
    },
    removeUser: {
      method: 'DELETE',
      path: '/users/{userId}',
      handler: `${handlers}/remove-user.ts`,
      tableActions: ['GetItem', 'DeleteItem', 'PutItem'],
      access: ['admin'],
      uses: ['userDirectory'],
    },
  },
  schedules: {
    // Frees the emails of invitations nobody accepted in time (INVITATION_TTL_DAYS, default 7).
    sweepExpiredInvitations: {
      handler: `${handlers}/sweep-expired-invitations.ts`,
      tableActions: ['Query', 'DeleteItem', 'PutItem'],
      everyMinutes: 60,
      uses: ['userDirectory'],
    },
  },
  userPoolTriggers: {
    preTokenGeneration: { handler: `${handlers}/pre-token-generation.ts` },
  },
});
