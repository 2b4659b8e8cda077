import { httpHandler } from '../../shared/http-handler.js';
import { pageQuery } from '../../shared/pagination.js';
import { notifications } from '../composition.js';
import { notificationsService } from '../service.js';

export const handler = httpHandler({
  route: notificationsService.routes.listNotifications,
  query: pageQuery,
  handle: async ({ caller, query }) => ({
    statusCode: 200,
    body: await notifications.listNotifications(caller, query),
  }),
});
