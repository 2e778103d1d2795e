import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api, type Schemas } from '@/api/client';
import type { paths } from '@/api/schema';
import { unwrap } from '@/lib/errors';
import { renderRoutes } from '@/test/backend';

import { PAGE_SIZE } from '../api';
import { catalogRoutes } from '../index';
import { createProduct, deleteProduct, uniqueWord } from '@/test/factories';

type ProductQuery = NonNullable<paths['/api/v1/products']['get']['parameters']['query']>;

/** What the API lists for `query`: the page must show the same. */
async function listed(query: ProductQuery = {}) {
  return unwrap(await api.GET('/api/v1/products', { params: { query: { size: PAGE_SIZE, ...query } } }));
}

function routes() {
  return catalogRoutes({ Purchase: () => null });
}

function productCards() {
  return within(screen.getByRole('list', { name: 'Products' })).getAllByRole('article');
}

function countText(total: number) {
  return `${total} ${total === 1 ? 'product' : 'products'}`;
}

let word: string;
let ours: Schemas['ProductOut'][];

beforeAll(async () => {
  word = uniqueWord();
  ours = [
    await createProduct({ name: `${word} chef knife`, stock: 3, images: 1 }),
    await createProduct({ name: `${word} paring knife` }),
  ];
});

afterAll(async () => {
  for (const product of ours) await deleteProduct(product);
});

describe('the catalog page', () => {
  it('lists products with their picture, name, price and availability', async () => {
    const expected = await listed();
    renderRoutes(routes(), '/');

    expect(await screen.findByRole('heading', { level: 1, name: 'All products' })).toBeInTheDocument();
    expect(await screen.findByText(countText(expected.total))).toBeInTheDocument();
    const cards = productCards();
    expect(cards).toHaveLength(expected.items.length);

    const first = expected.items[0];
    const card = cards[0];
    expect(within(card).getByRole('link', { name: first.name })).toHaveAttribute('href', `/products/${first.slug}`);
    if (first.thumbnail_url) expect(within(card).getByRole('img', { name: first.name })).toBeInTheDocument();
    expect(within(card).getByText(/In stock|Only \d+ left|Out of stock/)).toBeInTheDocument();
    expect(within(card).getByText(/\d+\.\d{2}/)).toBeInTheDocument();
    // The category tree is there, its branches closed.
    const categories = screen.getByRole('navigation', { name: 'Categories' });
    expect(within(categories).getByRole('link', { name: 'All products' })).toHaveAttribute('aria-current', 'page');
    expect(within(categories).getByRole('button', { name: 'Subcategories of Clothing' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
  });

  it('narrows the list to a search, which is in the URL', async () => {
    const all = await listed();
    const { router } = renderRoutes(routes(), '/');
    await screen.findByText(countText(all.total));

    // What the header's search box does.
    await act(() => router.navigate(`/?q=${word}`));
    expect(await screen.findByRole('heading', { level: 1, name: `Results for “${word}”` })).toBeInTheDocument();
    expect(await screen.findByText('2 products')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: `${word} chef knife` })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: `${word} paring knife` })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?q=${word}`);
    // A search sorts by relevance unless told otherwise.
    expect(screen.getByLabelText('Sort by')).toHaveValue('relevance');

    // Back to the whole list.
    await act(() => router.navigate(-1));
    expect(await screen.findByRole('heading', { level: 1, name: 'All products' })).toBeInTheDocument();
  });

  it('keeps page, filters, sort and category in the URL, and a change starts again at page 1', async () => {
    // What the API lists at each step (asked first: the page's own requests then run alone).
    const all = await listed();
    const secondPage = await listed({ page: 2 });
    const inStock = await listed({ in_stock: true });
    const cheapest = await listed({ in_stock: true, sort: 'price' });
    const ranged = await listed({ in_stock: true, sort: 'price', min_price: 50, max_price: 150 });
    const cookware = await listed({ in_stock: true, sort: 'price', min_price: 50, max_price: 150, category: 'cookware' });

    const user = userEvent.setup();
    const { router } = renderRoutes(routes(), '/');
    await screen.findByText(countText(all.total));
    const search = () => new URLSearchParams(router.state.location.search);

    // Next page.
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(search().get('page')).toBe('2'));
    expect(await screen.findByText(`Page 2 of ${Math.ceil(all.total / PAGE_SIZE)}`)).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: secondPage.items[0].name })).toBeInTheDocument();

    // In stock only: back to page 1.
    await user.click(screen.getByRole('checkbox', { name: 'In stock only' }));
    await waitFor(() => expect(search().get('in_stock')).toBe('1'));
    expect(search().has('page')).toBe(false);
    expect(await screen.findByText(countText(inStock.total))).toBeInTheDocument();

    // Cheapest first.
    await user.selectOptions(screen.getByLabelText('Sort by'), 'Price: low to high');
    await waitFor(() => expect(search().get('sort')).toBe('price'));
    await waitFor(() => expect(within(productCards()[0]).getByRole('link')).toHaveTextContent(cheapest.items[0].name));

    // A price range.
    await user.type(screen.getByLabelText('Min price'), '50');
    await user.type(screen.getByLabelText('Max price'), '150');
    await user.click(screen.getByRole('button', { name: 'Apply price' }));
    await waitFor(() => expect(search().get('min_price')).toBe('50'));
    expect(search().get('max_price')).toBe('150');
    expect(await screen.findByText(countText(ranged.total))).toBeInTheDocument();
    await waitFor(() => expect(within(productCards()[0]).getByRole('link')).toHaveTextContent(ranged.items[0].name));

    // A category, from the tree: its subcategories' products are in.
    const categories = screen.getByRole('navigation', { name: 'Categories' });
    await user.click(within(categories).getByRole('button', { name: 'Subcategories of Home and kitchen' }));
    await user.click(within(categories).getByRole('link', { name: 'Cookware' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Cookware' })).toBeInTheDocument();
    expect(search().get('category')).toBe('cookware');
    expect(search().get('sort')).toBe('price');
    expect(await screen.findByText(countText(cookware.total))).toBeInTheDocument();

    // Back: the previous list, and the form shows its filters again.
    await act(() => router.navigate(-1));
    expect(await screen.findByRole('heading', { level: 1, name: 'All products' })).toBeInTheDocument();
    expect(await screen.findByText(countText(ranged.total))).toBeInTheDocument();
    await act(() => router.navigate(-1));
    await waitFor(() => expect(screen.getByLabelText('Min price')).toHaveValue(null));
    expect(screen.getByRole('checkbox', { name: 'In stock only' })).toBeChecked();
  });

  it('says when nothing matches, with a way out', async () => {
    const user = userEvent.setup();
    const { router } = renderRoutes(routes(), `/?q=${word}&min_price=99999`);

    expect(await screen.findByText(`No products match “${word}”.`)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(`?q=${word}`));
    expect(await screen.findByText('2 products')).toBeInTheDocument();

    await act(() => router.navigate('/?min_price=99999'));
    expect(await screen.findByText('No products match these filters.')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'show all products' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'All products' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });

  it('leads a link past the last page back to the first', async () => {
    const user = userEvent.setup();
    const { router } = renderRoutes(routes(), `/?q=${word}&page=9`);

    expect(await screen.findByText('There are no products on this page.')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Go to the first page' }));
    await waitFor(() => expect(router.state.location.search).toBe(`?q=${word}`));
    expect(await screen.findByText('2 products')).toBeInTheDocument();
  });

  it('refuses a price range upside down at the field, without asking the API', async () => {
    const user = userEvent.setup();
    const { router } = renderRoutes(routes(), '/');

    await user.type(await screen.findByLabelText('Min price'), '300');
    await user.type(screen.getByLabelText('Max price'), '50');
    await user.click(screen.getByRole('button', { name: 'Apply price' }));

    expect(screen.getByLabelText('Max price')).toHaveAccessibleDescription('The max price must not be below the min price.');
    expect(router.state.location.search).toBe('');
  });

  it("shows the API's error", async () => {
    renderRoutes(routes(), '/?category=no-such-category');
    expect(await screen.findByRole('alert')).toHaveTextContent("There is no category 'no-such-category'.");
  });
});
