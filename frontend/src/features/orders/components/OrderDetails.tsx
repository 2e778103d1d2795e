import { Fragment } from 'react';

import { Price } from '@/components/Price';
import { formatDateTime } from '@/lib/format';

import type { Order } from '../api';
import styles from '../orders.module.css';

/** An order's lines, total, address, contact, comment and dates, for its owner and for staff. */
export function OrderDetails({ order }: { order: Order }) {
  // Staff get where each line's units are reserved; customers never do.
  const showWarehouses = order.items.some((item) => item.allocations);
  const address = order.shipping_address;
  const dates: [string, string | null][] = [
    ['Placed', order.created_at],
    ['Paid', order.paid_at],
    ['Shipped', order.shipped_at],
    ['Delivered', order.delivered_at],
    ['Cancelled', order.cancelled_at],
  ];

  return (
    <>
      <section className={styles.section} aria-labelledby="order-items">
        <h2 id="order-items">Items</h2>
        <div className="table-wrap" role="region" aria-labelledby="order-items" tabIndex={0}>
          <table className={styles.itemsTable}>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">SKU</th>
                {showWarehouses && <th scope="col">Warehouses</th>}
                <th scope="col" className="number">
                  Quantity
                </th>
                <th scope="col" className="number">
                  Unit price
                </th>
                <th scope="col" className="number">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.name}</th>
                  <td className={styles.sku}>{item.sku}</td>
                  {showWarehouses && (
                    <td>
                      {item.allocations?.map((a) => `${a.warehouse_code} × ${a.quantity}`).join(', ') || '—'}
                    </td>
                  )}
                  <td className="number">{item.quantity}</td>
                  <td className="number">
                    <Price amount={item.unit_price} currency={order.currency} />
                  </td>
                  <td className="number">
                    <Price amount={item.line_total} currency={order.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className={styles.total}>
                <th scope="row" colSpan={showWarehouses ? 5 : 4}>
                  Total
                </th>
                <td className="number">
                  <Price amount={order.total} currency={order.currency} />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <div className={styles.columns}>
        <section className={`card ${styles.section}`} aria-labelledby="order-address">
          <h2 id="order-address">Shipping address</h2>
          <address>
            {address.full_name}
            <br />
            {address.line1}
            {address.line2 && (
              <>
                <br />
                {address.line2}
              </>
            )}
            <br />
            {address.postal_code} {address.city}
            {address.region && `, ${address.region}`}
            <br />
            {address.country}
            {address.phone && (
              <>
                <br />
                {address.phone}
              </>
            )}
          </address>
        </section>

        <section className={`card ${styles.section}`} aria-labelledby="order-contact">
          <h2 id="order-contact">Contact</h2>
          <dl className="facts">
            <dt>E-mail</dt>
            <dd>{order.contact.email}</dd>
            {order.contact.phone && (
              <>
                <dt>Phone</dt>
                <dd>{order.contact.phone}</dd>
              </>
            )}
          </dl>
        </section>

        <section className={`card ${styles.section}`} aria-labelledby="order-dates">
          <h2 id="order-dates">Dates</h2>
          <dl className="facts">
            {dates.map(([label, date]) =>
              date ? (
                <Fragment key={label}>
                  <dt>{label}</dt>
                  <dd>{formatDateTime(date)}</dd>
                </Fragment>
              ) : null,
            )}
          </dl>
        </section>
      </div>

      {order.comment && (
        <section className={`card ${styles.section}`} aria-labelledby="order-comment">
          <h2 id="order-comment">Comment</h2>
          <p className={styles.comment}>{order.comment}</p>
        </section>
      )}
    </>
  );
}
