import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import type { Schemas } from '@/api/client';
import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { ADDRESS_FIELDS, AddressFields, addressFrom, type Address, type AddressField } from '@/components/AddressFields';
import { TextAreaField } from '@/components/Field';
import { RequireAuth } from '@/components/Guards';
import { Price } from '@/components/Price';
import { SubmitButton } from '@/components/SubmitButton';
import { useAuth } from '@/lib/auth';
import { ApiError } from '@/lib/errors';
import { usePageTitle } from '@/lib/usePageTitle';

import { usePlaceOrder, useCart, useProfile } from '../api';
import styles from './CheckoutPage.module.css';

type AddressDraft = Record<AddressField, string>;

function draftOf(address: Address | null | undefined): AddressDraft {
  return {
    full_name: address?.full_name ?? '',
    phone: address?.phone ?? '',
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    postal_code: address?.postal_code ?? '',
    country: address?.country ?? '',
  };
}

export function CheckoutPage() {
  usePageTitle('Checkout');
  return (
    <RequireAuth>
      <h1>Checkout</h1>
      <Checkout />
    </RequireAuth>
  );
}

function Checkout() {
  const { user } = useAuth();
  const cart = useCart();
  const profile = useProfile();

  if (cart.isPending || profile.isPending) return <Loading />;
  if (cart.isError) return <ErrorNote error={cart.error} />;
  if (cart.data.items.length === 0) {
    return (
      <EmptyState title="Your cart is empty: there is nothing to order.">
        <Link to="/">Continue shopping</Link>
      </EmptyState>
    );
  }
  if (!cart.data.can_checkout) {
    return (
      <EmptyState title="Some lines of your cart need your attention first.">
        <Link to="/cart">Back to your cart</Link>
      </EmptyState>
    );
  }
  return (
    <div className={styles.layout}>
      {user && !user.is_verified && (
        // The API refuses orders until then: say so before the form is filled in.
        <p className={`error-note ${styles.notice}`} role="status">
          Confirm your e-mail address before ordering: open the link we sent to {user.email}.{' '}
          <Link to="/verify-email">Send a new link</Link>
        </p>
      )}
      <OrderSummary cart={cart.data} />
      {/* Without the profile (an error), the address starts empty: checkout still works. */}
      <CheckoutForm defaultAddress={profile.data?.default_address} />
    </div>
  );
}

function OrderSummary({ cart }: { cart: Schemas['CartOut'] }) {
  return (
    <section className={`card ${styles.summary}`} aria-labelledby="order-summary">
      <h2 id="order-summary">Order summary</h2>
      <ul className={styles.lines}>
        {cart.items.map((line) => (
          <li key={line.id}>
            <span>
              {line.name} <span className={styles.times}>× {line.quantity}</span>
            </span>
            <Price amount={line.line_total} currency={cart.currency} />
          </li>
        ))}
      </ul>
      <p className={styles.total}>
        <span>Total</span>
        <Price amount={cart.total} currency={cart.currency} />
      </p>
      <Link to="/cart">Change the cart</Link>
    </section>
  );
}

function CheckoutForm({ defaultAddress }: { defaultAddress: Address | null | undefined }) {
  const navigate = useNavigate();
  // One key per attempt: a retry of the same form (e.g. after a network error) cannot order
  // twice; a changed form is another request and gets a new key.
  const idempotencyKey = useRef<string | null>(null);
  const placeOrder = usePlaceOrder((order) => {
    idempotencyKey.current = null;
    navigate(`/orders/${order.id}?placed=1`);
  });
  const [address, setAddress] = useState(() => draftOf(defaultAddress));
  const [comment, setComment] = useState('');
  const form = useRef<HTMLFormElement>(null);

  const fieldErrors = placeOrder.error instanceof ApiError ? placeOrder.error.fields : {};
  const addressError = (name: AddressField) => fieldErrors[`shipping_address.${name}`];
  const shownErrors = ADDRESS_FIELDS.some(({ name }) => addressError(name)) || Boolean(fieldErrors.comment);

  useEffect(() => {
    if (shownErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [placeOrder.error, shownErrors]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    idempotencyKey.current ??= crypto.randomUUID();
    placeOrder.mutate({
      order: { shipping_address: addressFrom((name) => address[name]), comment: comment.trim() || null },
      idempotencyKey: idempotencyKey.current,
    });
  }

  return (
    <form
      ref={form}
      className={`form ${styles.form}`}
      onSubmit={submit}
      onChange={() => {
        idempotencyKey.current = null;
      }}
      aria-labelledby="shipping-address"
    >
      <h2 id="shipping-address">Shipping address</h2>
      <AddressFields
        errorOf={addressError}
        inputProps={(name) => ({
          value: address[name],
          onChange: (event) => setAddress((current) => ({ ...current, [name]: event.target.value })),
        })}
      />
      <TextAreaField
        label="Comment (optional)"
        name="comment"
        rows={3}
        maxLength={2000}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        error={fieldErrors.comment}
        hint="For example, delivery instructions."
      />
      {placeOrder.isError &&
        (shownErrors ? (
          <p className="error-note" role="alert">
            Please correct the marked fields.
          </p>
        ) : (
          <ErrorNote error={placeOrder.error} />
        ))}
      <SubmitButton pending={placeOrder.isPending} pendingLabel="Placing your order…">
        Place order
      </SubmitButton>
    </form>
  );
}
