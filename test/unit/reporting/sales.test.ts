import { confirmedSale, salesReportQuery } from '../../../functions/reporting/domain/sales.js';
import { fieldErrors } from '../../../functions/shared/validation.js';

describe('daily sales', () => {
  it('counts a confirmed order on the UTC day it was confirmed', () => {
    expect(
      confirmedSale({
        orderId: 'o1',
        totalCents: 2400,
        currency: 'EUR',
        confirmedAt: '2026-11-29T23:59:59.999Z',
      }),
    ).toEqual({ orderId: 'o1', date: '2026-11-29', currency: 'EUR', revenueCents: 2400 });
  });

  it.each([
    [{ from: '2026-01-01', to: '2026-12-31' }],
    [{ from: '2024-01-01', to: '2024-12-31' }], // a leap year: 366 days
    [{ from: '2026-11-29', to: '2026-11-29' }],
  ])('accepts %j', (query) => {
    expect(salesReportQuery.safeParse(query).success).toBe(true);
  });

  it.each([
    [{ from: '2026-01-01', to: '2027-01-02' }, 'query.to', 'at most 366 days'],
    [{ from: '2026-12-01', to: '2026-11-01' }, 'query.to', 'must not be after'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'query.from', 'real calendar date'],
    [{ from: '29/11/2026', to: '2026-11-30' }, 'query.from', 'YYYY-MM-DD'],
    [{ from: '2026-11-01' }, 'query.to', ''],
    [{ from: '2026-11-01', to: '2026-11-02', currency: 'EUR' }, 'query.currency', 'Unknown field'],
  ])('refuses %j', (query, path, message) => {
    const result = salesReportQuery.safeParse(query);

    expect(result.success).toBe(false);
    expect(fieldErrors('query', result.error?.issues ?? [])).toContainEqual({
      path,
      message: expect.stringContaining(message),
    });
  });
});
