import { defineService } from '../shared/service-definition.js';

/** Platform-wide pieces that belong to no business service: health and the token authorizer. */
export const platformService = defineService({
  name: 'platform',
  routes: {
    health: {
      method: 'GET',
      path: '/health',
      handler: 'functions/platform/handlers/health.ts',
      access: 'public',
      publicBecause: 'load balancers and uptime checks call it.',
    },
  },
});

export const authorizerHandlerFile = 'functions/platform/handlers/authorizer.ts';

/** One generic publisher: each service table's stream feeds its own instance of this handler. */
export const outboxPublisherHandlerFile = 'functions/platform/handlers/outbox-publisher.ts';
