import { useState } from 'react';
import { Link } from 'react-router';

import type { Schemas } from '@/api/client';
import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { SelectField } from '@/components/Field';
import { Pagination } from '@/components/Pagination';
import { usePageTitle } from '@/lib/usePageTitle';

import { PAGE_SIZE, useCategoryTree, useProducts } from '../api';
import { CategoryTree } from '../components/CategoryTree';
import { FilterPanel } from '../components/FilterPanel';
import { ProductCard } from '../components/ProductCard';
import {
  defaultSort,
  hasNarrowingFilters,
  SORT_LABELS,
  useCatalogFilters,
  type CatalogFilters,
  type ProductSort,
} from '../filters';
import styles from './CatalogPage.module.css';

type CategoryNode = Schemas['CategoryNode'];

function findCategory(nodes: CategoryNode[], slug: string): CategoryNode | undefined {
  for (const node of nodes) {
    if (node.slug === slug) return node;
    const found = findCategory(node.children ?? [], slug);
    if (found) return found;
  }
  return undefined;
}

function heading(filters: CatalogFilters, category: CategoryNode | undefined): string {
  if (filters.q) return `Results for “${filters.q}”`;
  if (filters.category) return category?.name ?? 'Products';
  return 'All products';
}

function emptyTitle(filters: CatalogFilters): string {
  // A stale or shared link past the last page: the list itself is not empty.
  if (filters.page > 1) return 'There are no products on this page.';
  if (filters.q) return `No products match “${filters.q}”.`;
  if (hasNarrowingFilters(filters)) return 'No products match these filters.';
  return 'There are no products yet.';
}

/** The shop's landing page: category tree, filters, sorting and the product grid. */
export function CatalogPage() {
  const { filters, update, hrefWith } = useCatalogFilters();
  const tree = useCategoryTree();
  const products = useProducts(filters);
  // Phones only (CSS): the categories and filters fold away above the list.
  const [panelOpen, setPanelOpen] = useState(false);
  const category = filters.category ? findCategory(tree.data ?? [], filters.category) : undefined;
  const title = heading(filters, category);
  usePageTitle(title);

  const sort = filters.sort ?? defaultSort(filters.q);
  const sorts = (Object.keys(SORT_LABELS) as ProductSort[]).filter(
    // Relevance means something only for a search.
    (option) => option !== 'relevance' || filters.q !== '',
  );
  const page = products.data;

  return (
    <div className={styles.layout}>
      <button
        type="button"
        className={`button ${styles.panelToggle}`}
        aria-expanded={panelOpen}
        aria-controls="catalog-sidebar"
        onClick={() => setPanelOpen(!panelOpen)}
      >
        Categories and filters
      </button>
      <aside id="catalog-sidebar" className={`${styles.sidebar} ${panelOpen ? styles.open : ''}`}>
        {tree.isPending ? (
          <Loading label="Loading categories…" />
        ) : tree.isError ? (
          <ErrorNote error={tree.error} />
        ) : (
          <CategoryTree
            tree={tree.data}
            selected={filters.category}
            hrefFor={(slug) => hrefWith({ category: slug })}
          />
        )}
        <FilterPanel filters={filters} onChange={update} />
      </aside>

      <section className={styles.results} aria-labelledby="catalog-heading">
        <h1 id="catalog-heading">{title}</h1>
        {category?.description && !filters.q && <p className={styles.description}>{category.description}</p>}

        <div className={styles.toolbar}>
          <p role="status" className={styles.count}>
            {page && `${page.total} ${page.total === 1 ? 'product' : 'products'}`}
          </p>
          {hasNarrowingFilters(filters) && (
            <button
              type="button"
              className="button"
              onClick={() => update({ category: null, min_price: null, max_price: null, in_stock: null })}
            >
              Clear filters
            </button>
          )}
          <div className={styles.sort}>
            <SelectField
              label="Sort by"
              value={sort}
              onChange={(event) => {
                const value = event.target.value as ProductSort;
                update({ sort: value === defaultSort(filters.q) ? null : value });
              }}
            >
              {sorts.map((option) => (
                <option key={option} value={option}>
                  {SORT_LABELS[option]}
                </option>
              ))}
            </SelectField>
          </div>
        </div>

        {products.isError && <ErrorNote error={products.error} />}
        {products.isPending ? (
          <Loading label="Loading products…" />
        ) : page && page.items.length === 0 ? (
          <EmptyState title={emptyTitle(filters)}>
            {filters.page > 1 ? (
              <p>
                <Link to={hrefWith({ page: null })}>Go to the first page</Link>
              </p>
            ) : (filters.q || hasNarrowingFilters(filters)) && (
              <p>
                {filters.q ? 'Try other words' : 'Try fewer filters'}, or <Link to="/">show all products</Link>.
              </p>
            )}
          </EmptyState>
        ) : (
          page && (
            <>
              <ul className={styles.grid} aria-busy={products.isPlaceholderData || undefined} aria-label="Products">
                {page.items.map((product) => (
                  <li key={product.id}>
                    <ProductCard product={product} />
                  </li>
                ))}
              </ul>
              <Pagination
                page={page.page}
                size={PAGE_SIZE}
                total={page.total}
                onPage={(next) => update({ page: next > 1 ? String(next) : null })}
              />
            </>
          )
        )}
      </section>
    </div>
  );
}
