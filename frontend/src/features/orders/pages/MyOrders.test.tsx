import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { registerAccount, renderRoutes, signIn, signInAs } from '@/test/backend';

import { orderRoutes } from '../routes';
import { cancelPlacedOrders, placeOrder } from '../testing';

const routes = [...orderRoutes, { path: '/login', element: <h1>Login page</h1> }];

afterAll(cancelPlacedOrders);

describe('My orders', () => {
  it('lists the orders, each linking to its page', async () => {
    await signIn('customer');
    const order = await placeOrder();
    renderRoutes(routes, '/orders');
    expect(await screen.findByRole('heading', { level: 1, name: 'My orders' })).toBeInTheDocument();
    const link = await screen.findByRole('link', { name: order.number });
    expect(link).toHaveAttribute('href', `/orders/${order.id}`);
    const row = link.closest('tr')!;
    expect(within(row).getByText('Pending')).toBeInTheDocument();
  });

  it('keeps the page in the URL', async () => {
    await signIn('customer');
    renderRoutes(routes, '/orders?page=9999');
    expect(await screen.findByText('There are no orders on this page.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the first page' })).toHaveAttribute('href', '/orders');
  });

  it('has an empty state with a way to the shop', async () => {
    // A new account (unconfirmed, which logging in allows) has no orders.
    await signInAs(await registerAccount());
    renderRoutes(routes, '/orders');
    expect(await screen.findByText('You have not ordered anything yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse the shop' })).toHaveAttribute('href', '/');
  });

  it('sends visitors to log in first', async () => {
    const { router } = renderRoutes(routes, '/orders?page=2');
    expect(await screen.findByRole('heading', { name: 'Login page' })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/orders?page=2')}`);
  });
});

describe('An order', () => {
  it('thanks for a placed order, shows it, and cancels it after a confirmation', async () => {
    await signIn('customer');
    const order = await placeOrder('Please ring twice');
    const user = userEvent.setup();
    renderRoutes(routes, `/orders/${order.id}?placed=1`);

    expect(await screen.findByRole('heading', { level: 1, name: `Order ${order.number}` })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      `Thank you! Your order ${order.number} is placed. A confirmation e-mail is on its way`,
    );
    const [item] = order.items;
    const row = screen.getByRole('rowheader', { name: item.name }).closest('tr')!;
    expect(within(row).getByText(item.sku)).toBeInTheDocument();
    expect(within(row).getByText(String(item.quantity))).toBeInTheDocument();
    expect(screen.getByText(/Compiler Lane 7/).closest('address')).toHaveTextContent('22201 Arlington');
    expect(screen.getByText('Please ring twice')).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Warehouses' })).not.toBeInTheDocument();

    // Asked, then kept: nothing happens, the focus goes back.
    await user.click(screen.getByRole('button', { name: 'Cancel order' }));
    const question = screen.getByRole('group', { name: new RegExp(`Cancel order ${order.number}\\?`) });
    expect(question).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Keep the order' }));
    expect(screen.getByRole('button', { name: 'Cancel order' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Cancel order' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel the order' }));
    expect(await screen.findByText(`Order ${order.number} is now cancelled.`)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Change this order' })).toHaveFocus();
    expect(screen.getAllByText('Cancelled').length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
    const stored = unwrap(await api.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: order.id } } }));
    expect(stored.status).toBe('cancelled');
  });

  it('shows the API error for an order that is not there', async () => {
    await signIn('customer');
    renderRoutes(routes, `/orders/${crypto.randomUUID()}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('Order not found.');
    expect(screen.getByRole('link', { name: 'Back to my orders' })).toHaveAttribute('href', '/orders');
  });
});
