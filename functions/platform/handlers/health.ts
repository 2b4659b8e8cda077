import { publicHttpHandler } from '../../shared/http-handler.js';
import { platformService } from '../service.js';

export const handler = publicHttpHandler({
  route: platformService.routes.health,
  handle: async () => ({ statusCode: 200, body: { status: 'ok' } }),
});
