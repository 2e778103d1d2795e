import { useState, type FormEvent } from 'react';

import { TextField } from '@/components/Field';

import type { CatalogFilters, FilterChange } from '../filters';
import styles from './FilterPanel.module.css';

/** Price range (applied with the button or Enter) and "in stock only" (applied at once). */
export function FilterPanel({ filters, onChange }: { filters: CatalogFilters; onChange(change: FilterChange): void }) {
  const [minPrice, setMinPrice] = useState(filters.minPrice);
  const [maxPrice, setMaxPrice] = useState(filters.maxPrice);
  // Back/forward changes the URL under the form: show what the list now uses.
  const applied = `${filters.minPrice}|${filters.maxPrice}`;
  const [shown, setShown] = useState(applied);
  if (shown !== applied) {
    setShown(applied);
    setMinPrice(filters.minPrice);
    setMaxPrice(filters.maxPrice);
  }

  const [rangeError, setRangeError] = useState<string | undefined>();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const min = minPrice.trim();
    const max = maxPrice.trim();
    // The API refuses such a range too; said here, at the field, before asking.
    if (min && max && Number(min) > Number(max)) {
      setRangeError('The max price must not be below the min price.');
      return;
    }
    setRangeError(undefined);
    onChange({ min_price: min, max_price: max });
  }

  return (
    <form className={styles.panel} aria-labelledby="catalog-filters-heading" onSubmit={submit}>
      <h2 id="catalog-filters-heading" className={styles.heading}>
        Filters
      </h2>
      <fieldset className={styles.price}>
        <legend>Price</legend>
        <TextField
          label="Min price"
          name="min_price"
          type="number"
          inputMode="decimal"
          min={0}
          step="0.01"
          value={minPrice}
          onChange={(event) => setMinPrice(event.target.value)}
        />
        <TextField
          label="Max price"
          name="max_price"
          type="number"
          inputMode="decimal"
          min={0}
          step="0.01"
          value={maxPrice}
          error={rangeError}
          onChange={(event) => setMaxPrice(event.target.value)}
        />
      </fieldset>
      <button type="submit" className="button">
        Apply price
      </button>
      <label className="checkbox">
        <input
          type="checkbox"
          name="in_stock"
          checked={filters.inStock}
          onChange={(event) => onChange({ in_stock: event.target.checked ? '1' : null })}
        />
        In stock only
      </label>
    </form>
  );
}
