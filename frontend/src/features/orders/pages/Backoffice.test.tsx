import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { accounts, renderRoutes, signIn } from '@/test/backend';

import { orderRoutes } from '../routes';
import { cancelPlacedOrders, placeOrder } from '../testing';

afterAll(cancelPlacedOrders);

function isoDate(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

/** An order of the seeded customer's, then the operator signed in to manage it. */
async function customerOrderForOperator() {
  await signIn('customer');
  const order = await placeOrder();
  await signIn('operator');
  return order;
}

describe('Back-office orders list', () => {
  it('shows every order with its customer, and filters by status and dates in the URL', async () => {
    // A cancelled order of our own, so that the status filter has something to show.
    const cancelled = await customerOrderForOperator();
    unwrap(await api.POST('/api/v1/orders/{order_id}/cancel', { params: { path: { order_id: cancelled.id } } }));
    const order = await customerOrderForOperator();
    const user = userEvent.setup();
    const { router } = renderRoutes(orderRoutes, '/backoffice/orders');
    expect(await screen.findByRole('heading', { level: 1, name: 'Orders' })).toBeInTheDocument();
    const row = (await screen.findByRole('link', { name: order.number })).closest('tr')!;
    expect(within(row).getByText(accounts.email('customer'))).toBeInTheDocument();
    expect(within(row).getByRole('link')).toHaveAttribute('href', `/backoffice/orders/${order.id}`);

    // Status: only cancelled orders; ours (pending) is gone.
    await user.selectOptions(screen.getByLabelText('Status'), 'cancelled');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=cancelled'));
    await waitFor(() => expect(screen.queryByRole('link', { name: order.number })).not.toBeInTheDocument());
    expect(await screen.findByRole('link', { name: cancelled.number })).toBeInTheDocument();
    expect(within(screen.getByRole('table')).queryAllByText(/^(Pending|Paid|Shipped|Delivered)$/)).toEqual([]);

    // Dates: nothing is placed tomorrow.
    await user.selectOptions(screen.getByLabelText('Status'), '');
    await user.type(screen.getByLabelText('Placed from'), isoDate(1));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(`?date_from=${isoDate(1)}`));
    expect(await screen.findByText('No orders match these filters.')).toBeInTheDocument();

    // Today's pending orders hold ours again.
    await user.clear(screen.getByLabelText('Placed from'));
    await user.type(screen.getByLabelText('Placed from'), isoDate(0));
    await user.type(screen.getByLabelText('Placed until'), isoDate(0));
    await user.selectOptions(screen.getByLabelText('Status'), 'pending');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByRole('link', { name: order.number })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?status=pending&date_from=${isoDate(0)}&date_to=${isoDate(0)}`);

    await user.click(screen.getByRole('link', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(screen.getByLabelText('Status')).toHaveValue('');
  });

  it('reads its filters from the URL and shows the API error for a reversed range', async () => {
    await signIn('operator');
    renderRoutes(orderRoutes, `/backoffice/orders?date_from=${isoDate(0)}&date_to=${isoDate(-1)}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('date_from must not be after date_to.');
    expect(screen.getByLabelText('Placed from')).toHaveValue(isoDate(0));
  });

  it('is for staff only', async () => {
    await signIn('customer');
    renderRoutes(orderRoutes, '/backoffice/orders');
    expect(await screen.findByText("This page is for the shop's staff.")).toBeInTheDocument();
  });
});

describe('Back-office order', () => {
  it('moves the order from pending to delivered, one allowed step at a time', async () => {
    const order = await customerOrderForOperator();
    const user = userEvent.setup();
    renderRoutes(orderRoutes, `/backoffice/orders/${order.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: `Order ${order.number}` })).toBeInTheDocument();
    expect(screen.getByText(`Customer: ${accounts.email('customer')}`)).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Warehouses' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to all orders' })).toHaveAttribute('href', '/backoffice/orders');
    expect(screen.queryByRole('button', { name: 'Mark as shipped' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark as paid' }));
    expect(await screen.findByText(`Order ${order.number} is now paid.`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel order' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark as shipped' }));
    expect(await screen.findByText(`Order ${order.number} is now shipped.`)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark as delivered' }));
    expect(await screen.findByText(`Order ${order.number} is now delivered.`)).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Status' })).toHaveFocus();
    const stored = unwrap(await api.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: order.id } } }));
    expect(stored.status).toBe('delivered');
  });

  it('shows the API message for a step the order no longer allows, then the order as it is', async () => {
    const order = await customerOrderForOperator();
    const user = userEvent.setup();
    renderRoutes(orderRoutes, `/backoffice/orders/${order.id}`);
    const pay = await screen.findByRole('button', { name: 'Mark as paid' });
    // Someone else cancels it meanwhile (the page may still be settling: act).
    await act(async () => {
      unwrap(await api.POST('/api/v1/orders/{order_id}/cancel', { params: { path: { order_id: order.id } } }));
    });

    await user.click(pay);
    expect(await screen.findByRole('alert')).toHaveTextContent('An order that is cancelled cannot be paid.');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Mark as paid' })).not.toBeInTheDocument());
  });
});
