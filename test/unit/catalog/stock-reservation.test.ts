import {
  decideReservation,
  mergeLines,
  type StockedProduct,
} from '../../../functions/catalog/domain/stock-reservation.js';

const product = (productId: string, overrides: Partial<StockedProduct> = {}): [string, StockedProduct] => [
  productId,
  { productId, priceCents: 250, currency: 'EUR', stock: 5, ...overrides },
];

describe('decideReservation', () => {
  it('prices every line from the catalog and totals the order', () => {
    const products = new Map([product('a'), product('b', { priceCents: 1000 })]);

    const decision = decideReservation(
      [
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 1 },
      ],
      products,
    );

    expect(decision).toEqual({
      status: 'RESERVED',
      lines: [
        { productId: 'a', quantity: 2, unitPriceCents: 250 },
        { productId: 'b', quantity: 1, unitPriceCents: 1000 },
      ],
      totalCents: 1500,
      currency: 'EUR',
    });
  });

  it('rejects an unknown product before anything else', () => {
    const products = new Map([product('a', { stock: 0 })]);

    expect(
      decideReservation(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'zzz', quantity: 1 },
        ],
        products,
      ),
    ).toEqual({
      status: 'REJECTED',
      reason: 'PRODUCT_NOT_FOUND',
    });
  });

  it('rejects mixed currencies', () => {
    const products = new Map([product('a'), product('b', { currency: 'USD' })]);

    expect(
      decideReservation(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'b', quantity: 1 },
        ],
        products,
      ),
    ).toEqual({
      status: 'REJECTED',
      reason: 'CURRENCY_MISMATCH',
    });
  });

  it('rejects the whole order when one line is short', () => {
    const products = new Map([product('a'), product('b', { stock: 1 })]);

    expect(
      decideReservation(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'b', quantity: 2 },
        ],
        products,
      ),
    ).toEqual({
      status: 'REJECTED',
      reason: 'OUT_OF_STOCK',
    });
  });

  it('reserves exactly the stock there is', () => {
    const products = new Map([product('a', { stock: 3 })]);

    expect(decideReservation([{ productId: 'a', quantity: 3 }], products).status).toBe('RESERVED');
  });
});

describe('mergeLines', () => {
  it('adds up repeated products so each is updated once', () => {
    expect(
      mergeLines([
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 2 },
        { productId: 'a', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 4 },
      { productId: 'b', quantity: 2 },
    ]);
  });
});
