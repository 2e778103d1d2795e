import { Link } from 'react-router';

import type { Schemas } from '@/api/client';

import { useCategory } from '../api';
import styles from './Breadcrumb.module.css';

export function categoryPath(slug: string): string {
  return `/?category=${encodeURIComponent(slug)}`;
}

/** Shop › ancestors › the product's category, each a link to its list. */
export function Breadcrumb({ category }: { category: Schemas['CategoryRef'] }) {
  // Until (or unless) the ancestors arrive, the product's own category is enough.
  const detail = useCategory(category.id);
  const trail = [...(detail.data?.path ?? []), category];
  return (
    <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
      <ol>
        <li>
          <Link to="/">Shop</Link>
        </li>
        {trail.map((item) => (
          <li key={item.id}>
            <Link to={categoryPath(item.slug)}>{item.name}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
