import type { ComponentType } from 'react';
import { Link, useParams } from 'react-router';

import type { Schemas } from '@/api/client';
import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { Price } from '@/components/Price';
import { ApiError } from '@/lib/errors';
import { usePageTitle } from '@/lib/usePageTitle';

import { useProduct } from '../api';
import { Availability } from '../components/Availability';
import { Breadcrumb } from '../components/Breadcrumb';
import { Gallery } from '../components/Gallery';
import styles from './ProductPage.module.css';

type Purchase = ComponentType<{ product: Schemas['ProductOut'] }>;

/** One product, by slug or id: gallery, price, availability, description, and buying it. */
export function ProductPage({ Purchase }: { Purchase: Purchase }) {
  const { ref = '' } = useParams();
  const product = useProduct(ref);
  usePageTitle(product.data?.name ?? (product.isError ? 'Product not found' : 'Product'));

  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) {
    if (product.error instanceof ApiError && product.error.status === 404) return <ProductNotFound />;
    return (
      <>
        <h1>Product</h1>
        <ErrorNote error={product.error} />
      </>
    );
  }
  return <ProductDetails product={product.data} Purchase={Purchase} />;
}

function ProductNotFound() {
  return (
    <>
      <h1>Product not found</h1>
      <EmptyState title="This product does not exist or is no longer sold.">
        <Link to="/">Back to the shop</Link>
      </EmptyState>
    </>
  );
}

function Description({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => paragraph.trim());
  if (paragraphs.length === 0) return null;
  return (
    <section className={styles.description} aria-labelledby="product-description">
      <h2 id="product-description">Description</h2>
      {paragraphs.map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
    </section>
  );
}

function ProductDetails({ product, Purchase }: { product: Schemas['ProductOut']; Purchase: Purchase }) {
  return (
    <article>
      <Breadcrumb category={product.category} />
      <div className={styles.layout}>
        {/* Keyed: another product starts at its own first image. */}
        <Gallery key={product.id} name={product.name} images={product.images} />
        <div className={styles.info}>
          <h1 className={styles.name}>{product.name}</h1>
          {product.is_archived ? (
            <p className="badge">No longer sold</p>
          ) : (
            !product.is_published && <p className="badge">Not published</p>
          )}
          <p className={styles.price}>
            <Price amount={product.price} />
          </p>
          <p className={styles.availability}>
            <Availability available={product.available} />
          </p>
          <div className={styles.purchase}>
            {/* Keyed: another product starts with a fresh quantity and message. */}
            <Purchase key={product.id} product={product} />
          </div>
          <p className={styles.facts}>SKU {product.sku}</p>
          <Description text={product.description} />
        </div>
      </div>
    </article>
  );
}
