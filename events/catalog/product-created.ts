import { defineEvent } from '../envelope.js';
import { productEventData, sampleProduct } from './product-schema.js';

export const productCreated = defineEvent({
  source: 'saas.catalog',
  detailType: 'ProductCreated',
  version: 1,
  data: productEventData,
  sample: sampleProduct,
});
