// The storefront loads through nginx over HTTPS: the built page, its header with the search
// box, and a title, without a single browser error; product images come from the API's media.
import assert from 'node:assert/strict';

import { baseUrl, scenario } from './helpers.mjs';

scenario('smoke: the landing page loads over HTTPS', async (run) => {
  const visitor = await run.actor('visitor');
  const response = await visitor.goto('/');
  assert.equal(new URL(response.url()).protocol, 'https:');
  assert.ok(response.url().startsWith(baseUrl()));

  const { page } = visitor;
  await page.getByRole('banner').waitFor();
  await page.getByRole('search').getByRole('searchbox', { name: 'Search products' }).waitFor();
  await page.getByRole('main').waitFor();
  // Everything the page asked for has come back (a late error would show up by now).
  await page.waitForLoadState('networkidle');
  assert.match(await page.title(), /OnlineShop/);
  await visitor.step('landing page');

  // The seeded products' pictures are served by nginx from the API's media folder.
  const listing = await visitor.context.request.get('/api/v1/products?size=1');
  assert.equal(listing.status(), 200);
  const [product] = (await listing.json()).items;
  assert.ok(product?.thumbnail_url, 'the seeded products have pictures');
  const thumbnail = await visitor.context.request.get(product.thumbnail_url);
  assert.equal(thumbnail.status(), 200, `${product.thumbnail_url}: HTTP ${thumbnail.status()}`);
  assert.match(thumbnail.headers()['content-type'] ?? '', /^image\//);
});
