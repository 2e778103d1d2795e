import { Link } from 'react-router';

import type { Schemas } from '@/api/client';
import { Price } from '@/components/Price';

import { Availability } from './Availability';
import styles from './ProductCard.module.css';

export function productPath(product: { slug: string }): string {
  return `/products/${encodeURIComponent(product.slug)}`;
}

/** One product of a list; the whole card is clickable through its name's link. */
export function ProductCard({ product }: { product: Schemas['ProductListItem'] }) {
  const image = product.thumbnail_url ?? product.image_url;
  return (
    <article className={styles.card}>
      {image ? (
        <img className={styles.image} src={image} alt={product.name} loading="lazy" />
      ) : (
        <div className={styles.placeholder} role="img" aria-label={`${product.name}: no image yet`}>
          No image
        </div>
      )}
      <div className={styles.body}>
        <h2 className={styles.name}>
          <Link to={productPath(product)} className={styles.link}>
            {product.name}
          </Link>
        </h2>
        <p className={styles.meta}>
          <Price amount={product.price} />
          <Availability available={product.available} />
        </p>
      </div>
    </article>
  );
}
