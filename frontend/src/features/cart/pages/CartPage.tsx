import { Link } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { Price } from '@/components/Price';
import { usePageTitle } from '@/lib/usePageTitle';

import { useCart } from '../api';
import { CartLineRow } from '../components/CartLineRow';
import styles from './CartPage.module.css';

export function CartPage() {
  usePageTitle('Your cart');
  const cart = useCart();

  return (
    <>
      <h1>Your cart</h1>
      {cart.isPending ? (
        <Loading label="Loading your cart…" />
      ) : cart.isError ? (
        <ErrorNote error={cart.error} />
      ) : cart.data.items.length === 0 ? (
        <EmptyState title="Your cart is empty.">
          <Link to="/">Continue shopping</Link>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" className="number">
                    Price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col" className="number">
                    Total
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.data.items.map((line) => (
                  <CartLineRow key={line.id} line={line} currency={cart.data.currency} />
                ))}
              </tbody>
            </table>
          </div>
          <div className={styles.summary}>
            <p className={styles.total} aria-live="polite">
              Total <Price amount={cart.data.total} currency={cart.data.currency} />
            </p>
            {!cart.data.can_checkout && (
              <p className={styles.blocked}>Some lines need your attention before you can check out.</p>
            )}
            <div className={styles.actions}>
              <Link to="/" className="button">
                Continue shopping
              </Link>
              {cart.data.can_checkout && (
                <Link to="/checkout" className="button primary">
                  Checkout
                </Link>
              )}
            </div>
          </div>
        </>
      )}
    </>
  );
}
