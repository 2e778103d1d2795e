import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api, type Schemas } from '@/api/client';
import { useAuth } from '@/lib/auth';
import { unwrap } from '@/lib/errors';
import { getCartToken } from '@/lib/session';
import { accounts, renderRoutes, signIn, signOut } from '@/test/backend';

import { createProduct, deleteProduct, setStock, uniqueWord } from '@/test/factories';
import { AddToCart } from './AddToCart';
import { CartLink } from './CartLink';

function renderProduct(product: Schemas['ProductOut']) {
  return renderRoutes(
    [
      {
        path: '/',
        element: (
          <>
            <CartLink />
            <AddToCart product={product} />
          </>
        ),
      },
      { path: '/cart', element: <p>The cart page</p> },
    ],
    '/',
  );
}

let mug: Schemas['ProductOut'];
let soldOut: Schemas['ProductOut'];

beforeAll(async () => {
  mug = await createProduct({ name: `Test mug ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 3 });
  soldOut = await createProduct({ name: `Sold-out mug ${uniqueWord()}`, category: 'mugs', price: '7.25', stock: 0 });
});

afterAll(async () => {
  await deleteProduct(mug);
  await deleteProduct(soldOut);
});

beforeEach(() => {
  signOut();
});

describe('AddToCart and CartLink', () => {
  it('adds to a guest cart (a cart token is issued) and the header count follows', async () => {
    const user = userEvent.setup();
    renderProduct(mug);

    expect(await screen.findByRole('link', { name: 'Cart, 0 items' })).toHaveTextContent('Cart (0)');
    const quantity = screen.getByLabelText('Quantity');
    expect(quantity).toHaveAttribute('max', '3');
    await user.clear(quantity);
    await user.type(quantity, '2');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));

    expect(await screen.findByText(/Added to your cart/)).toBeInTheDocument();
    expect(getCartToken()).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Cart, 2 items' })).toHaveTextContent('Cart (2)');
    expect(screen.getByText('2 already in your cart.')).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'View cart' }));
    expect(await screen.findByText('The cart page')).toBeInTheDocument();
  });

  it("shows the API's refusal when the stock fell meanwhile, and offers no more than is left", async () => {
    const user = userEvent.setup();
    renderProduct(mug);

    const quantity = await screen.findByLabelText('Quantity');
    await user.clear(quantity);
    await user.type(quantity, '2');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    expect(await screen.findByRole('link', { name: 'Cart, 2 items' })).toBeInTheDocument();
    expect(quantity).toHaveAttribute('max', '1');

    // Sold elsewhere while the page was open: the page still offers one more.
    await setStock(mug, 2);
    await user.clear(quantity);
    await user.type(quantity, '1');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/not enough stock/i);
    expect(screen.getByRole('link', { name: 'Cart, 2 items' })).toBeInTheDocument();
    await setStock(mug, 3);
  });

  it('says why nothing more can be added once the cart holds all there is', async () => {
    const user = userEvent.setup();
    renderProduct(mug);

    const quantity = await screen.findByLabelText('Quantity');
    await user.clear(quantity);
    await user.type(quantity, '3');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    expect(await screen.findByText('Your cart holds all we have of it.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
  });

  it('cannot add what is not available', async () => {
    renderProduct(soldOut);

    expect(await screen.findByRole('link', { name: 'Cart, 0 items' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
    expect(screen.getByLabelText('Quantity')).toBeDisabled();
    expect(screen.getByText('Out of stock: check back later.')).toBeInTheDocument();
  });
});

/** The header's account buttons, as far as this test needs them. */
function SessionButtons() {
  const { user, login, logout } = useAuth();
  return user ? (
    <button type="button" onClick={() => logout()}>
      Log out
    </button>
  ) : (
    <button type="button" onClick={() => login(accounts.email('customer'), accounts.password)}>
      Log in
    </button>
  );
}

describe('CartLink across sign-in and sign-out', () => {
  it("counts the merged cart after login, and the new guest's after logout", async () => {
    // The customer's cart: one mug, whatever earlier tests left.
    await signIn('customer');
    unwrap(await api.DELETE('/api/v1/cart'));
    unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: mug.id, quantity: 1 } }));
    signOut();
    // The guest's: one more.
    unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: mug.id, quantity: 1 } }));

    const user = userEvent.setup();
    const { unmount } = renderRoutes([{ path: '/', element: <><CartLink /><SessionButtons /></> }], '/');
    expect(await screen.findByRole('link', { name: 'Cart, 1 item' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('link', { name: 'Cart, 2 items' })).toBeInTheDocument();

    await user.click(await screen.findByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('link', { name: 'Cart, 0 items' })).toBeInTheDocument();
    unmount();

    await signIn('customer');
    unwrap(await api.DELETE('/api/v1/cart'));
  });
});
