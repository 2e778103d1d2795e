// The catalog's reads: the category tree, one category, product lists and one product.
import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';

import type { CatalogFilters } from './filters';

export const PAGE_SIZE = 12;

export const catalogKeys = {
  tree: ['catalog', 'categories'] as const,
  category: (ref: string) => ['catalog', 'category', ref] as const,
  products: (filters: CatalogFilters) => ['catalog', 'products', filters] as const,
  product: (ref: string) => ['catalog', 'product', ref] as const,
};

export function useCategoryTree() {
  return useQuery({
    queryKey: catalogKeys.tree,
    queryFn: async () => unwrap(await api.GET('/api/v1/categories')),
    // The tree changes rarely; a visit can keep it.
    staleTime: 5 * 60_000,
  });
}

export function useCategory(ref: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.category(ref ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/v1/categories/{ref}', { params: { path: { ref: ref! } } })),
    enabled: ref !== undefined,
    staleTime: 5 * 60_000,
  });
}

export function useProducts(filters: CatalogFilters) {
  return useQuery({
    queryKey: catalogKeys.products(filters),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/products', {
          params: {
            query: {
              q: filters.q || undefined,
              category: filters.category || undefined,
              min_price: filters.minPrice || undefined,
              max_price: filters.maxPrice || undefined,
              sort: filters.sort,
              in_stock: filters.inStock || undefined,
              page: filters.page,
              size: PAGE_SIZE,
            },
          },
        }),
      ),
    // The previous page stays on screen (dimmed) while the next one loads.
    placeholderData: keepPreviousData,
  });
}

export function useProduct(ref: string) {
  return useQuery({
    queryKey: catalogKeys.product(ref),
    queryFn: async () => unwrap(await api.GET('/api/v1/products/{ref}', { params: { path: { ref } } })),
  });
}
