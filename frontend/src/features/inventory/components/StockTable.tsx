import { useDeferredValue, useMemo, useState } from 'react';

import { EmptyState } from '@/components/Feedback';
import { TextField } from '@/components/Field';

import type { StockLine } from '../api';
import styles from '../inventory.module.css';
import { useRecentlyChanged } from '../useRecentlyChanged';

/** The stock lines of a warehouse, filterable; rows a live update changed light up briefly. */
export function StockTable({ code, lines }: { code: string; lines: StockLine[] }) {
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);

  const values = useMemo(
    () => new Map(lines.map((line) => [line.sku, `${line.on_hand}/${line.reserved}/${line.available}`])),
    [lines],
  );
  const changed = useRecentlyChanged(values);

  const needle = deferredFilter.trim().toLowerCase();
  const shown = needle
    ? lines.filter((line) => line.sku.toLowerCase().includes(needle) || line.name.toLowerCase().includes(needle))
    : lines;

  if (lines.length === 0) {
    return <EmptyState title="This warehouse holds no stock yet.">Add a supply below.</EmptyState>;
  }

  return (
    <>
      <div className={styles.tableFilter}>
        <TextField
          label="Filter by SKU or product"
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          hint={needle ? `${shown.length} of ${lines.length} lines shown.` : undefined}
        />
      </div>
      {/* Screen readers hear which lines a live update changed; the eyes see them light up. */}
      <p className="visually-hidden" aria-live="polite">
        {changed.size > 0 && `Updated: ${[...changed].join(', ')}.`}
      </p>
      {shown.length === 0 ? (
        <EmptyState title={`No line matches “${deferredFilter.trim()}”.`} />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Stock in {code}</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Product</th>
                <th scope="col" className="number">
                  On hand
                </th>
                <th scope="col" className="number">
                  Reserved
                </th>
                <th scope="col" className="number">
                  Available
                </th>
                <th scope="col" className="number">
                  Weight (kg)
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((line) => (
                <tr key={line.sku} className={changed.has(line.sku) ? styles.changed : undefined}>
                  <th scope="row" className={styles.nowrap}>
                    {line.sku}
                  </th>
                  <td className={styles.name}>{line.name}</td>
                  <td className="number">{line.on_hand}</td>
                  <td className="number">{line.reserved}</td>
                  <td className="number">{line.available}</td>
                  <td className="number">{line.total_weight_kg}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
