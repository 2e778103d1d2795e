import { screen, waitFor } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { useParams, useSearchParams, type RouteObject } from 'react-router';

import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { registerAccount, renderRoutes, signIn, signInAs, signOut } from '@/test/backend';

import { cartRoutes } from '../index';
import { createProduct, deleteProduct, uniqueWord } from '@/test/factories';

/** Stand-ins for the pages of other features that checkout leads to. */
function OrderPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  return <p>{`Order ${id} ${params.get('placed') === '1' ? 'placed' : ''}`}</p>;
}

const routes: RouteObject[] = [
  ...cartRoutes,
  { path: '/login', element: <p>The login page</p> },
  { path: '/orders/:id', element: <OrderPage /> },
];

const ADDRESS = {
  'Full name': 'Ada Lovelace',
  Phone: '+44 20 7946 0000',
  Address: '12 St James Square',
  City: 'London',
  'Postal code': 'SW1Y 4JH',
  Country: 'GB',
};

async function fillAddress(user: UserEvent, address: Record<string, string>) {
  for (const [label, value] of Object.entries(address)) {
    const input = screen.getByLabelText(label);
    await user.clear(input);
    await user.type(input, value);
  }
}

let mug: Schemas['ProductOut'];

beforeAll(async () => {
  mug = await createProduct({ name: `Checkout mug ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 50 });
});

afterAll(async () => {
  await deleteProduct(mug);
});

/** The seeded customer, with only our mug in the cart (whatever earlier tests left there). */
async function customerWithMug(quantity: number) {
  await signIn('customer');
  unwrap(await api.DELETE('/api/v1/cart'));
  unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: mug.id, quantity } }));
}

describe('the checkout page', () => {
  it('sends guests to the login page first', async () => {
    signOut();
    const { router } = renderRoutes(routes, '/checkout');

    expect(await screen.findByText('The login page')).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/checkout')}`);
  });

  it('tells an account whose address is not confirmed yet before the form is filled in', async () => {
    const email = await registerAccount();
    await signInAs(email);
    unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: mug.id, quantity: 1 } }));
    renderRoutes(routes, '/checkout');

    expect(await screen.findByText(/Confirm your e-mail address before ordering/)).toHaveTextContent(email);
    expect(screen.getByRole('link', { name: 'Send a new link' })).toHaveAttribute('href', '/verify-email');
  });

  it('places the order with the shipping address, then the cart is empty', async () => {
    await customerWithMug(2);
    const user = userEvent.setup();
    const { router, unmount } = renderRoutes(routes, '/checkout');

    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout' })).toBeInTheDocument();
    const summary = await screen.findByRole('region', { name: 'Order summary' });
    expect(summary).toHaveTextContent(mug.name);
    expect(summary).toHaveTextContent('× 2');
    expect(summary).toHaveTextContent(/14\.50/);

    await fillAddress(user, ADDRESS);
    await user.type(screen.getByLabelText('Comment (optional)'), 'Ring twice.');
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    expect(await screen.findByText(/^Order .* placed$/)).toBeInTheDocument();
    const [, , orderId] = router.state.location.pathname.split('/');
    expect(router.state.location.search).toBe('?placed=1');
    // The page's refetches done with, the API tells the rest.
    unmount();

    const order = unwrap(await api.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: orderId } } }));
    expect(order.shipping_address).toMatchObject({ full_name: 'Ada Lovelace', city: 'London', country: 'GB', line2: null });
    expect(order.comment).toBe('Ring twice.');
    expect(order.items).toEqual([expect.objectContaining({ product_id: mug.id, quantity: 2 })]);
    expect(unwrap(await api.GET('/api/v1/cart')).items).toEqual([]);
  });

  it("puts the API's address errors at their fields and orders nothing", async () => {
    await customerWithMug(1);
    const user = userEvent.setup();
    const { unmount } = renderRoutes(routes, '/checkout');

    await screen.findByRole('region', { name: 'Order summary' });
    // Blank to the API (it trims), though not empty to the browser.
    await fillAddress(user, { ...ADDRESS, City: '   ' });
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Please correct the marked fields.');
    const city = screen.getByLabelText('City');
    expect(city).toHaveAttribute('aria-invalid', 'true');
    expect(city).toHaveAccessibleDescription(/at least 1 character/i);
    await waitFor(() => expect(city).toHaveFocus());
    expect(screen.getByLabelText('Postal code')).not.toHaveAttribute('aria-invalid');
    unmount();
    expect(unwrap(await api.GET('/api/v1/cart')).items).toHaveLength(1);
  });

  it("starts from the profile's default address", async () => {
    await customerWithMug(1);
    const profile = unwrap(await api.GET('/api/v1/users/me/profile'));
    const saved = { ...ADDRESS_IN_SCHEMA, full_name: 'Grace Hopper', city: 'Arlington' };
    unwrap(await api.PUT('/api/v1/users/me/profile', { body: { ...profile, default_address: saved } }));
    try {
      const { unmount } = renderRoutes(routes, '/checkout');
      expect(await screen.findByLabelText('Full name')).toHaveValue('Grace Hopper');
      expect(screen.getByLabelText('City')).toHaveValue('Arlington');
      expect(screen.getByLabelText('Address line 2 (optional)')).toHaveValue('');
      expect(screen.getByLabelText('Country')).toHaveValue('GB');
      unmount();
    } finally {
      unwrap(await api.PUT('/api/v1/users/me/profile', { body: profile }));
    }
  });
});

const ADDRESS_IN_SCHEMA: Schemas['Address'] = {
  full_name: ADDRESS['Full name'],
  phone: ADDRESS.Phone,
  line1: ADDRESS.Address,
  line2: null,
  city: ADDRESS.City,
  region: null,
  postal_code: ADDRESS['Postal code'],
  country: ADDRESS.Country,
};
