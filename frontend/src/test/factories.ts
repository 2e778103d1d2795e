// Test data made through the staff API, beside the session under test: products with a known
// stock and images, deleted again by the tests that made them. Features' tests share these.
import createClient from 'openapi-fetch';

import type { Schemas } from '@/api/client';
import type { paths } from '@/api/schema';
import { unwrap } from '@/lib/errors';

import { loginTokens } from './backend';

type Product = Schemas['ProductOut'];

// The seeded demo warehouse that every test product is stocked in.
const WAREHOUSE = 'MAIN';

// A valid 1×1 PNG: the API decodes and re-encodes every upload.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const BOUNDARY = 'test-image-boundary';

/** A multipart body by hand: jsdom's FormData and Blob are not what Node's fetch sends. */
function multipartImage(filename: string): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: image/png\r\n\r\n',
  );
  const image = Uint8Array.from(atob(PNG), (char) => char.charCodeAt(0));
  const tail = encoder.encode(`\r\n--${BOUNDARY}--\r\n`);
  const body = new Uint8Array(new ArrayBuffer(head.length + image.length + tail.length));
  body.set(head);
  body.set(image, head.length);
  body.set(tail, head.length + image.length);
  return body;
}

/** An API client signed in as the seeded operator. */
export async function staffClient() {
  const tokens = await loginTokens('operator');
  const headers = { Authorization: `Bearer ${tokens.access_token}` };
  return { headers, client: createClient<paths>({ baseUrl: location.origin, headers }) };
}

/** Letters only, so that the search treats it as one word. */
export function uniqueWord(): string {
  return `Zq${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}`;
}

export async function createProduct({
  name,
  category = 'knives',
  price = '12.50',
  stock = 0,
  images = 0,
  description = '',
}: {
  name: string;
  category?: string;
  price?: string;
  stock?: number;
  images?: number;
  description?: string;
}): Promise<Product> {
  const { client, headers } = await staffClient();
  const { id: categoryId } = unwrap(
    await client.GET('/api/v1/categories/{ref}', { params: { path: { ref: category } } }),
  );
  const sku = `T-${crypto.randomUUID().slice(0, 8)}`;
  const product = unwrap(
    await client.POST('/api/v1/products', {
      body: { sku, name, description, price, weight_kg: '0.1', category_id: categoryId, is_published: true },
    }),
  );
  for (let index = 0; index < images; index += 1) {
    const response = await fetch(new URL(`/api/v1/products/${product.id}/images`, location.origin), {
      method: 'POST',
      headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipartImage(`image-${index}.png`),
    });
    if (!response.ok) throw new Error(`image upload: ${response.status} ${await response.text()}`);
  }
  if (stock > 0) {
    unwrap(
      await client.POST('/api/v1/warehouses/{code}/supply', {
        params: { path: { code: WAREHOUSE } },
        body: { items: [{ sku, quantity: stock }] },
      }),
    );
  }
  return unwrap(await client.GET('/api/v1/products/{ref}', { params: { path: { ref: product.id } } }));
}

/** A stock count: the product now has `counted` units in the test warehouse. */
export async function setStock(product: Product, counted: number): Promise<void> {
  const { client } = await staffClient();
  unwrap(
    await client.POST('/api/v1/warehouses/{code}/adjust', {
      params: { path: { code: WAREHOUSE } },
      body: { sku: product.sku, counted, reason: 'frontend test' },
    }),
  );
}

export async function deleteProduct(product: Pick<Product, 'id'>): Promise<void> {
  const { client } = await staffClient();
  unwrap(
    await client.DELETE('/api/v1/products/{ref}', { params: { path: { ref: product.id } } }),
  );
}
