import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import type { Schemas } from '@/api/client';
import { ErrorNote } from '@/components/Feedback';
import { Price } from '@/components/Price';

import { useRemoveCartLine, useUpdateCartLine } from '../api';
import styles from './CartLineRow.module.css';

type CartLine = Schemas['CartLineOut'];

/** Typing pauses this long before the new quantity is sent (Enter or leaving the field: at once). */
const QUANTITY_DELAY_MS = 700;
const MAX_QUANTITY = 999;

/** Why a line stops the checkout, or nothing. */
export function lineWarning(line: CartLine): string | null {
  if (line.archived) return 'This product is no longer sold: remove it to check out.';
  if (line.unpublished) return 'This product is not for sale at the moment: remove it to check out.';
  if (line.unavailable || line.quantity > line.available) {
    return line.available > 0
      ? `Only ${line.available} available: lower the quantity to check out.`
      : 'Out of stock: remove it to check out.';
  }
  return null;
}

function parseQuantity(text: string): number | null {
  const quantity = Number(text);
  return text !== '' && Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY ? quantity : null;
}

export function CartLineRow({ line, currency }: { line: CartLine; currency: string }) {
  const update = useUpdateCartLine();
  const remove = useRemoveCartLine();
  const [draft, setDraft] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const id = useId();
  const warningId = `${id}-warning`;
  const warning = lineWarning(line);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  function commit(text: string) {
    window.clearTimeout(timer.current);
    const quantity = parseQuantity(text);
    if (quantity === null) return;
    if (quantity === line.quantity) {
      setDraft(null);
      return;
    }
    update.mutate(
      { itemId: line.id, quantity },
      // Typed on meanwhile: keep the newer draft; otherwise show the cart's quantity again.
      { onSettled: () => setDraft((current) => (current === text ? null : current)) },
    );
  }

  return (
    <tr aria-busy={update.isPending || remove.isPending || undefined}>
      <td>
        <Link to={`/products/${line.product_id}`} className={styles.name}>
          {line.name}
        </Link>
        <div className={styles.sku}>SKU {line.sku}</div>
        {warning && (
          <p id={warningId} className={styles.warning}>
            {warning}
          </p>
        )}
        <ErrorNote error={update.error ?? remove.error} />
      </td>
      <td className="number" data-label="Price">
        <Price amount={line.unit_price} currency={currency} />
      </td>
      <td data-label="Quantity">
        <label htmlFor={`${id}-quantity`} className="visually-hidden">
          Quantity of {line.name}
        </label>
        <input
          id={`${id}-quantity`}
          className={styles.quantity}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_QUANTITY}
          step={1}
          value={draft ?? String(line.quantity)}
          aria-invalid={warning && line.quantity > line.available ? true : undefined}
          aria-describedby={warning ? warningId : undefined}
          onChange={(event) => {
            const text = event.target.value;
            setDraft(text);
            window.clearTimeout(timer.current);
            timer.current = window.setTimeout(() => commit(text), QUANTITY_DELAY_MS);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && draft !== null) commit(draft);
          }}
          onBlur={() => {
            if (draft === null) return;
            // Nothing sendable typed (empty, 0): back to the cart's quantity.
            if (parseQuantity(draft) === null) setDraft(null);
            else commit(draft);
          }}
        />
      </td>
      <td className="number" data-label="Total">
        <Price amount={line.line_total} currency={currency} />
      </td>
      <td>
        <button
          type="button"
          className="button danger"
          disabled={remove.isPending}
          aria-label={`Remove ${line.name}`}
          onClick={() => remove.mutate(line.id)}
        >
          {remove.isPending ? 'Removing…' : 'Remove'}
        </button>
      </td>
    </tr>
  );
}
