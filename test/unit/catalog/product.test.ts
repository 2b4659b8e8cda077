import {
  applyPatch,
  createProduct,
  newProductSchema,
  productPatchSchema,
} from '../../../functions/catalog/domain/product.js';

const valid = { sku: 'MUG-1_a', name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 4 };

describe('newProductSchema', () => {
  it('accepts a product within every limit', () => {
    expect(newProductSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['an empty sku', { sku: '' }],
    ['a sku of 65 characters', { sku: 'a'.repeat(65) }],
    ['a sku with a space', { sku: 'MUG 1' }],
    ['an empty name', { name: '' }],
    ['a name of 201 characters', { name: 'n'.repeat(201) }],
    ['a negative price', { priceCents: -1 }],
    ['a fractional price', { priceCents: 1.5 }],
    ['a price over 1e9', { priceCents: 1_000_000_001 }],
    ['a lower-case currency', { currency: 'eur' }],
    ['a four-letter currency', { currency: 'EURO' }],
    ['negative stock', { stock: -1 }],
    ['stock over 1e9', { stock: 1_000_000_001 }],
    ['an unknown field', { colour: 'red' }],
  ])('rejects %s', (_, change) => {
    expect(newProductSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('accepts the boundaries', () => {
    const boundaries = { sku: 'a'.repeat(64), name: 'n'.repeat(200), priceCents: 1_000_000_000, stock: 0 };

    expect(newProductSchema.safeParse({ ...valid, ...boundaries }).success).toBe(true);
  });
});

describe('productPatchSchema', () => {
  it('rejects an empty patch', () => {
    expect(productPatchSchema.safeParse({}).success).toBe(false);
  });

  it('rejects a sku change', () => {
    expect(productPatchSchema.safeParse({ sku: 'OTHER' }).success).toBe(false);
  });

  it('accepts any of name, priceCents and stock', () => {
    expect(productPatchSchema.safeParse({ stock: 0 }).success).toBe(true);
  });
});

describe('product rules', () => {
  it('starts at version 1 with equal timestamps', () => {
    const product = createProduct(valid, 'p1', new Date('2026-11-24T10:00:00.000Z'));

    expect(product).toEqual({
      ...valid,
      productId: 'p1',
      version: 1,
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
    });
  });

  it('bumps the version and updatedAt on a patch, keeping the rest', () => {
    const product = createProduct(valid, 'p1', new Date('2026-11-24T10:00:00.000Z'));

    const patched = applyPatch(product, { stock: 9 }, new Date('2026-11-24T11:00:00.000Z'));

    expect(patched).toEqual({ ...product, stock: 9, version: 2, updatedAt: '2026-11-24T11:00:00.000Z' });
  });
});
