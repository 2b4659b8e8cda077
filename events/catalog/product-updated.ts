import { defineEvent } from '../envelope.js';
import { productEventData, sampleProduct } from './product-schema.js';

export const productUpdated = defineEvent({
  source: 'saas.catalog',
  detailType: 'ProductUpdated',
  version: 1,
  data: productEventData,
  sample: { ...sampleProduct, stock: 7, version: 2, updatedAt: '2026-11-23T11:00:00.000Z' },
});
