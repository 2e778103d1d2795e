// The catalog page's state lives in the URL's search params, so that back/forward, reload
// and shared links show the same list.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

import type { Schemas } from '@/api/client';

export type ProductSort = Schemas['ProductSort'];

export interface CatalogFilters {
  q: string;
  /** A category's slug. */
  category: string;
  minPrice: string;
  maxPrice: string;
  inStock: boolean;
  /** Absent: the API's default (relevance with a search, else newest first). */
  sort?: ProductSort;
  page: number;
}

export const SORT_LABELS: Record<ProductSort, string> = {
  relevance: 'Relevance',
  '-created_at': 'Newest first',
  price: 'Price: low to high',
  '-price': 'Price: high to low',
  name: 'Name: A to Z',
};

function isSort(value: string | null): value is ProductSort {
  return value !== null && value in SORT_LABELS;
}

export function defaultSort(q: string): ProductSort {
  return q ? 'relevance' : '-created_at';
}

export function parseFilters(params: URLSearchParams): CatalogFilters {
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim() ?? '',
    category: params.get('category') ?? '',
    minPrice: params.get('min_price') ?? '',
    maxPrice: params.get('max_price') ?? '',
    inStock: params.get('in_stock') === '1',
    sort: isSort(sort) ? sort : undefined,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The URL params of a change; `null` or '' removes a param. */
export type FilterChange = Partial<Record<'q' | 'category' | 'min_price' | 'max_price' | 'in_stock' | 'sort' | 'page', string | null>>;

function applyChange(current: URLSearchParams, change: FilterChange): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [name, value] of Object.entries(change)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  // Another filter means another list: start again at its first page.
  if (!('page' in change)) next.delete('page');
  return next;
}

export function useCatalogFilters() {
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params);

  const update = useCallback(
    (change: FilterChange) => setParams((current) => applyChange(current, change)),
    [setParams],
  );

  /** The link to the list with `change` applied (for <Link to>). */
  const hrefWith = useCallback(
    (change: FilterChange) => {
      const search = applyChange(params, change).toString();
      return search ? `/?${search}` : '/';
    },
    [params],
  );

  return { filters, update, hrefWith };
}

export function hasNarrowingFilters(filters: CatalogFilters): boolean {
  return Boolean(filters.category || filters.minPrice || filters.maxPrice || filters.inStock);
}
