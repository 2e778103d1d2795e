// What each status is called and allows: backend/app/orders/lifecycle.py.
import type { OrderStatus, OrderStep } from './api';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: 'Pending',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export const STATUSES = Object.keys(STATUS_LABELS) as OrderStatus[];

/** While the goods are still in the warehouse; the owner and staff alike. */
export function isCancellable(status: OrderStatus): boolean {
  return status === 'pending' || status === 'paid';
}

/** Staff's next step on the way pending → paid → shipped → delivered. */
export const NEXT_STEP: Partial<Record<OrderStatus, { step: OrderStep; label: string }>> = {
  pending: { step: 'pay', label: 'Mark as paid' },
  paid: { step: 'ship', label: 'Mark as shipped' },
  shipped: { step: 'deliver', label: 'Mark as delivered' },
};
