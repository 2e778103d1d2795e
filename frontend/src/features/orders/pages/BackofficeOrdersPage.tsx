import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { SelectField, TextField } from '@/components/Field';
import { Pagination } from '@/components/Pagination';
import { usePageTitle } from '@/lib/usePageTitle';

import { PAGE_SIZE, useOrders } from '../api';
import { OrdersTable } from '../components/OrdersTable';
import { STATUS_LABELS, STATUSES } from '../status';
import { dateParam, pageParam, statusParam, withPage } from '../urlParams';
import styles from '../orders.module.css';

/** Staff: every order, filtered by status and date, newest first. */
export function BackofficeOrdersPage() {
  usePageTitle('Orders');
  const [params, setParams] = useSearchParams();
  const page = pageParam(params);
  const status = statusParam(params);
  const dateFrom = dateParam(params, 'date_from');
  const dateTo = dateParam(params, 'date_to');
  const filtered = Boolean(status || dateFrom || dateTo);
  const orders = useOrders({ status, date_from: dateFrom, date_to: dateTo, page, size: PAGE_SIZE });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['status', 'date_from', 'date_to']) {
      const value = form.get(name);
      if (typeof value === 'string' && value) next.set(name, value);
    }
    setParams(next); // new filters start at page 1
  }

  return (
    <div className={styles.page}>
      <h1>Orders</h1>
      {/* Keyed by the URL's filters: back/forward show what is applied. */}
      <form
        key={`${status}|${dateFrom}|${dateTo}`}
        className={styles.filters}
        onSubmit={applyFilters}
        aria-label="Filter orders"
      >
        <SelectField label="Status" name="status" defaultValue={status ?? ''}>
          <option value="">All statuses</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <TextField label="Placed from" name="date_from" type="date" defaultValue={dateFrom ?? ''} />
        <TextField label="Placed until" name="date_to" type="date" defaultValue={dateTo ?? ''} />
        <div className={styles.filterButtons}>
          <button type="submit" className="button primary">
            Apply filters
          </button>
          {filtered && <Link to="/backoffice/orders">Clear filters</Link>}
        </div>
      </form>

      {orders.isPending ? (
        <Loading label="Loading orders…" />
      ) : orders.isError ? (
        <ErrorNote error={orders.error} />
      ) : orders.data.items.length === 0 ? (
        <EmptyState title={filtered ? 'No orders match these filters.' : 'There are no orders yet.'}>
          {page > 1 && <Link to={`?${withPage(params, 1).toString()}`}>Go to the first page</Link>}
        </EmptyState>
      ) : (
        <div aria-busy={orders.isPlaceholderData || undefined}>
          <p className={styles.meta} role="status">
            {orders.data.total === 1 ? '1 order' : `${orders.data.total} orders`}
          </p>
          <OrdersTable
            orders={orders.data.items}
            orderLink={(order) => `/backoffice/orders/${order.id}`}
            showCustomer
          />
          <Pagination
            page={page}
            size={PAGE_SIZE}
            total={orders.data.total}
            onPage={(next) => setParams(withPage(params, next))}
          />
        </div>
      )}
    </div>
  );
}
