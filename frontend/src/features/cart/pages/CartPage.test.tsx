import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { renderRoutes, signOut } from '@/test/backend';

import { cartRoutes } from '../index';
import { createProduct, deleteProduct, setStock, uniqueWord } from '@/test/factories';

let mug: Schemas['ProductOut'];
let cup: Schemas['ProductOut'];
let scarce: Schemas['ProductOut'];

beforeAll(async () => {
  mug = await createProduct({ name: `Cart mug ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 10 });
  cup = await createProduct({ name: `Cart cup ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 4 });
  scarce = await createProduct({ name: `Scarce mug ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 3 });
});

afterAll(async () => {
  for (const product of [mug, cup, scarce]) await deleteProduct(product);
});

// Each test is a new guest with a new cart.
beforeEach(() => {
  signOut();
});

async function addToCart(product: Schemas['ProductOut'], quantity: number) {
  unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: product.id, quantity } }));
}

async function cartNow() {
  return unwrap(await api.GET('/api/v1/cart'));
}

function lineOf(name: string) {
  return screen.getByRole('link', { name }).closest('tr')!;
}

describe('the cart page', () => {
  it('changes a quantity, removes lines, and ends empty', async () => {
    await addToCart(mug, 1);
    await addToCart(cup, 2);
    const user = userEvent.setup();
    renderRoutes(cartRoutes, '/cart');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your cart' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: mug.name })).toHaveAttribute('href', `/products/${mug.id}`);
    expect(within(lineOf(cup.name)).getByText(/14\.50/)).toBeInTheDocument();
    expect(screen.getByText(/21\.75/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Checkout' })).toHaveAttribute('href', '/checkout');

    // A new quantity, sent when leaving the field.
    const quantity = screen.getByLabelText(`Quantity of ${mug.name}`);
    await user.clear(quantity);
    await user.type(quantity, '3');
    await user.tab();
    await waitFor(() => expect(within(lineOf(mug.name)).getByText(/21\.75/)).toBeInTheDocument());
    expect(screen.getByText(/36\.25/)).toBeInTheDocument();
    expect(screen.getByLabelText(`Quantity of ${mug.name}`)).toHaveValue(3);

    // Too many: the API refuses, the quantity stays.
    const cupQuantity = screen.getByLabelText(`Quantity of ${cup.name}`);
    await user.clear(cupQuantity);
    await user.type(cupQuantity, '9{Enter}');
    expect(await within(lineOf(cup.name)).findByRole('alert')).toHaveTextContent(/not enough stock/i);
    await waitFor(() => expect(screen.getByLabelText(`Quantity of ${cup.name}`)).toHaveValue(2));

    await user.click(screen.getByRole('button', { name: `Remove ${mug.name}` }));
    await waitFor(() => expect(screen.queryByRole('link', { name: mug.name })).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: `Remove ${cup.name}` }));

    expect(await screen.findByText('Your cart is empty.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Continue shopping' })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('link', { name: 'Checkout' })).not.toBeInTheDocument();
  });

  it('flags a line asking for more than is available, and offers no checkout', async () => {
    await addToCart(scarce, 3);
    await setStock(scarce, 1);
    expect((await cartNow()).can_checkout).toBe(false);

    renderRoutes(cartRoutes, '/cart');
    expect(await screen.findByText('Only 1 available: lower the quantity to check out.')).toBeInTheDocument();
    expect(screen.getByLabelText(`Quantity of ${scarce.name}`)).toHaveAccessibleDescription(
      'Only 1 available: lower the quantity to check out.',
    );
    expect(screen.getByText('Some lines need your attention before you can check out.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Checkout' })).not.toBeInTheDocument();
  });
});
