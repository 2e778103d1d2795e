// Test fixtures: a warehouse of the test's own, so that tests disturb no one's stock.
import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { loginTokens } from '@/test/backend';

export function uniqueCode(prefix = 'T'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
}

/** Seeded products' SKUs (those MAIN stocks), as the signed-in operator sees them. */
export async function seededSkus(count: number): Promise<string[]> {
  const main = unwrap(await api.GET('/api/v1/warehouses/{code}', { params: { path: { code: 'MAIN' } } }));
  return main.stock.slice(0, count).map((line) => line.sku);
}

/** A new warehouse holding `quantity` of each SKU; needs an operator signed in. */
export async function warehouseWithStock(skus: string[], quantity = 10): Promise<string> {
  const code = uniqueCode();
  unwrap(
    await api.POST('/api/v1/warehouses', {
      body: { code, name: `Test ${code}`, max_weight_kg: '100000', priority: 1000, is_active: true },
    }),
  );
  if (skus.length > 0) await supply(code, skus, quantity);
  return code;
}

export async function supply(code: string, skus: string[], quantity: number): Promise<void> {
  unwrap(
    await api.POST('/api/v1/warehouses/{code}/supply', {
      params: { path: { code } },
      body: { items: skus.map((sku) => ({ sku, quantity })) },
    }),
  );
}

/** Deactivates a test's warehouse, so that no order takes stock from it afterwards. */
export async function retire(code: string): Promise<void> {
  const { access_token } = await loginTokens('operator');
  const response = await fetch(new URL(`/api/v1/warehouses/${code}`, location.origin), {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ is_active: false }),
  });
  if (!response.ok) throw new Error(`retire ${code}: ${response.status}`);
}
