import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { Schemas } from '@/api/client';
import { renderRoutes } from '@/test/backend';

import { catalogRoutes } from '../index';
import { createProduct, deleteProduct, uniqueWord } from '@/test/factories';

/** The slot the app fills with the cart's "add to cart": here, a stand-in that shows what it got. */
function Purchase({ product }: { product: Schemas['ProductOut'] }) {
  return <p>Purchase slot for {product.name}</p>;
}

const routes = () => catalogRoutes({ Purchase });

let pictured: Schemas['ProductOut'];
let bare: Schemas['ProductOut'];

beforeAll(async () => {
  const word = uniqueWord();
  pictured = await createProduct({
    name: `${word} santoku knife`,
    stock: 3,
    images: 2,
    description: 'A light knife.\n\nHand wash only.',
  });
  bare = await createProduct({ name: `${word} butter knife` });
});

afterAll(async () => {
  await deleteProduct(pictured);
  await deleteProduct(bare);
});

describe('the product page', () => {
  it('shows the gallery, price, availability, category and description, and the purchase slot', async () => {
    const user = userEvent.setup();
    renderRoutes(routes(), `/products/${pictured.slug}`);

    expect(await screen.findByRole('heading', { level: 1, name: pictured.name })).toBeInTheDocument();
    expect(screen.getByText('Only 3 left')).toBeInTheDocument();
    expect(screen.getByText(/12\.50/)).toBeInTheDocument();
    expect(screen.getByText('Purchase slot for ' + pictured.name)).toBeInTheDocument();
    expect(screen.getByText('Hand wash only.')).toBeInTheDocument();

    // Main image and thumbnails, switched with the mouse or the keyboard.
    const [first, second] = pictured.images;
    const main = screen.getByRole('img', { name: `${pictured.name}, image 1 of 2` });
    expect(main).toHaveAttribute('src', first.url);
    const showSecond = screen.getByRole('button', { name: 'Show image 2 of 2' });
    expect(showSecond).toHaveAttribute('aria-pressed', 'false');
    await user.click(showSecond);
    expect(screen.getByRole('img', { name: `${pictured.name}, image 2 of 2` })).toHaveAttribute('src', second.url);
    expect(showSecond).toHaveAttribute('aria-pressed', 'true');
    screen.getByRole('button', { name: 'Show image 1 of 2' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('img', { name: `${pictured.name}, image 1 of 2` })).toHaveAttribute('src', first.url);

    // The way back to its category, with the ancestors.
    const breadcrumb = await screen.findByRole('navigation', { name: 'Breadcrumb' });
    expect(await within(breadcrumb).findByRole('link', { name: 'Home and kitchen' })).toHaveAttribute(
      'href',
      '/?category=home-and-kitchen',
    );
    expect(within(breadcrumb).getByRole('link', { name: 'Cookware' })).toBeInTheDocument();
    expect(within(breadcrumb).getByRole('link', { name: 'Knives' })).toHaveAttribute('href', '/?category=knives');
  });

  it('shows a placeholder without images, and "Out of stock"; the id works as well as the slug', async () => {
    renderRoutes(routes(), `/products/${bare.id}`);

    expect(await screen.findByRole('heading', { level: 1, name: bare.name })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: `${bare.name}: no image yet` })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Show image/ })).not.toBeInTheDocument();
    expect(screen.getByText('Out of stock')).toBeInTheDocument();
  });

  it('says so when the product does not exist', async () => {
    renderRoutes(routes(), '/products/no-such-product');

    expect(await screen.findByRole('heading', { level: 1, name: 'Product not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the shop' })).toHaveAttribute('href', '/');
  });
});
