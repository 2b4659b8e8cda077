import { publicHttpHandler } from '../../shared/http-handler.js';

export const handler = publicHttpHandler({
  handle: async () => ({ statusCode: 200, body: { status: 'ok' } }),
});
