import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import type { Schemas } from '@/api/client';
import { ErrorNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { ApiError } from '@/lib/errors';

import { useAddToCart, useCart } from '../api';
import styles from './AddToCart.module.css';

/** The product page's quantity and "Add to cart" button. */
export function AddToCart({ product }: { product: Schemas['ProductOut'] }) {
  const cart = useCart();
  const add = useAddToCart();
  const [quantity, setQuantity] = useState('1');

  const inCart = cart.data?.items.find((line) => line.product_id === product.id)?.quantity ?? 0;
  // What can still be added: the cart already holds some of what is available.
  const addable = Math.max(0, product.available - inCart);
  const forSale = product.is_published && !product.is_archived && addable > 0;
  const quantityError = add.error instanceof ApiError ? add.error.fields.quantity : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate({ product_id: product.id, quantity: Number(quantity) });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={`Buy ${product.name}`}>
      <div className={styles.row}>
        <div className={styles.quantity}>
          <TextField
            label="Quantity"
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={Math.max(1, addable)}
            step={1}
            required
            disabled={!forSale}
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
            error={quantityError}
          />
        </div>
        <SubmitButton pending={add.isPending} pendingLabel="Adding…" disabled={!forSale}>
          Add to cart
        </SubmitButton>
      </div>
      {inCart > 0 && <p className={styles.note}>{inCart} already in your cart.</p>}
      {!forSale && (
        <p className={styles.note}>
          {inCart > 0 && product.available > 0
            ? 'Your cart holds all we have of it.'
            : 'Out of stock: check back later.'}
        </p>
      )}
      {/* Always present, so that screen readers announce the message when it appears. */}
      <div role="status">
        {add.isSuccess && (
          <p className="success-note">
            Added to your cart. <Link to="/cart">View cart</Link>
          </p>
        )}
      </div>
      {add.isError && !quantityError && <ErrorNote error={add.error} />}
    </form>
  );
}
