import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { SelectField, TextField } from '@/components/Field';
import { Pagination } from '@/components/Pagination';
import { formatDateTime } from '@/lib/format';
import { usePageTitle } from '@/lib/usePageTitle';

import { useMovements, useWarehouses, type MovementFilters } from '../api';
import styles from '../inventory.module.css';
import { isMovementKind, MOVEMENT_KIND_LABELS } from '../movementKinds';
import { pageParam } from './params';

const FILTERS = ['warehouse', 'sku', 'kind', 'date_from', 'date_to'] as const;

/** The journal's filters live in the URL: shareable, and kept by back and forward. */
function filtersFrom(params: URLSearchParams): MovementFilters {
  const kind = params.get('kind');
  return {
    warehouse: params.get('warehouse') || undefined,
    sku: params.get('sku') || undefined,
    kind: isMovementKind(kind) ? kind : undefined,
    date_from: params.get('date_from') || undefined,
    date_to: params.get('date_to') || undefined,
    page: pageParam(params),
  };
}

function signed(quantity: number): string {
  return quantity > 0 ? `+${quantity}` : String(quantity);
}

export function MovementsPage() {
  usePageTitle('Stock movements');
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const filtered = FILTERS.some((name) => filters[name] !== undefined);
  const movements = useMovements(filters);
  const warehouses = useWarehouses();

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  }

  return (
    <>
      <p>
        <Link to="/backoffice">← Back-office</Link>
      </p>
      <h1>Stock movements</h1>
      {/* Keyed by the URL, so that back and forward show their filters, and by the list of
          warehouses, whose arrival must not unselect the warehouse the URL names. */}
      <form key={`${params.toString()}|${warehouses.isSuccess}`} className={styles.filters} aria-label="Filter movements" onSubmit={applyFilters}>
        <SelectField label="Warehouse" name="warehouse" defaultValue={filters.warehouse ?? ''}>
          <option value="">All warehouses</option>
          {warehouses.data?.items.map((warehouse) => (
            <option key={warehouse.code} value={warehouse.code}>
              {warehouse.code} — {warehouse.name}
            </option>
          ))}
          {/* A code from the URL is selectable before (or without) the list. */}
          {filters.warehouse && !warehouses.data?.items.some((warehouse) => warehouse.code === filters.warehouse) && (
            <option value={filters.warehouse}>{filters.warehouse}</option>
          )}
        </SelectField>
        <TextField label="SKU" name="sku" defaultValue={filters.sku ?? ''} spellCheck={false} />
        <SelectField label="Kind" name="kind" defaultValue={filters.kind ?? ''}>
          <option value="">All kinds</option>
          {Object.entries(MOVEMENT_KIND_LABELS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="From" name="date_from" type="date" defaultValue={filters.date_from ?? ''} />
        <TextField label="To" name="date_to" type="date" defaultValue={filters.date_to ?? ''} />
        <div className={styles.filterButtons}>
          <button type="submit" className="button primary">
            Apply filters
          </button>
          {filtered && (
            <button type="button" className="button" onClick={() => setParams(new URLSearchParams())}>
              Clear filters
            </button>
          )}
        </div>
      </form>

      {movements.isPending ? (
        <Loading />
      ) : movements.isError ? (
        <ErrorNote error={movements.error} />
      ) : movements.data.items.length === 0 ? (
        <EmptyState title={filtered ? 'No movements match these filters.' : 'No stock movements yet.'} />
      ) : (
        <>
          <div className="table-wrap" aria-busy={movements.isFetching || undefined}>
            <table>
              <caption className={styles.caption}>
                {movements.data.total} movement{movements.data.total === 1 ? '' : 's'}, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Warehouse</th>
                  <th scope="col">SKU</th>
                  <th scope="col">Product</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="number">
                    Quantity
                  </th>
                  <th scope="col">Who</th>
                  <th scope="col">Order</th>
                </tr>
              </thead>
              <tbody>
                {movements.data.items.map((movement) => (
                  <tr key={movement.id}>
                    <td className={styles.nowrap}>
                      <time dateTime={movement.created_at}>{formatDateTime(movement.created_at)}</time>
                    </td>
                    <td className={styles.nowrap}>{movement.warehouse_code}</td>
                    <td className={styles.nowrap}>{movement.sku}</td>
                    <td className={styles.name}>{movement.product_name}</td>
                    <td>{MOVEMENT_KIND_LABELS[movement.kind]}</td>
                    <td className={`number ${styles.nowrap}`}>{signed(movement.quantity)}</td>
                    <td>{movement.user_email ?? '—'}</td>
                    <td className={styles.nowrap}>
                      {movement.order_id ? (
                        <Link to={`/backoffice/orders/${movement.order_id}`} aria-label={`Order ${movement.order_id}`}>
                          {movement.order_id.slice(0, 8)}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={movements.data.page}
            size={movements.data.size}
            total={movements.data.total}
            onPage={(next) =>
              setParams((current) => {
                current.set('page', String(next));
                return current;
              })
            }
          />
        </>
      )}
    </>
  );
}
