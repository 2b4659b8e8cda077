import { httpHandler } from '../../shared/http-handler.js';
import { reporting } from '../composition.js';
import { salesReportQuery } from '../domain/sales.js';
import { reportingService } from '../service.js';

export const handler = httpHandler({
  route: reportingService.routes.salesReport,
  query: salesReportQuery,
  handle: async ({ caller, query }) => ({
    statusCode: 200,
    body: { days: await reporting.salesReport(caller.tenantId, query.from, query.to) },
  }),
});
