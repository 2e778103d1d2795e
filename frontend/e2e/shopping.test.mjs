// The shop as people use it, in Debian's chromium against the real backend behind nginx:
//  1. a new shopper registers, opens the confirmation link from the e-mail that arrived, logs
//     in, searches, adds two products, checks out and sees the order — while an operator
//     watches the first product's available quantity fall on the live stock page, unreloaded;
//  2. a guest's cart survives logging in.
// Every step leaves a screenshot under ARTIFACTS_DIR/<scenario>/.
/* global window -- used only inside page.evaluate(), which runs in the browser */
import assert from 'node:assert/strict';

import { accounts, linkIn, scenario, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'plum-violin-harbour-42';
// The demo warehouse with the first priority: checkout reserves there first.
const WAREHOUSE = 'MAIN';

/** @typedef {import('./helpers.mjs').Actor} Actor */
/** @typedef {{ id: string, sku: string, name: string, available: number }} Product */

/**
 * Two published products that MAIN holds enough of for this order, with names whose first
 * word (the demo brand) finds them in a search. Read from the API, as any client could.
 *
 * @param {Actor} operator signed in: the warehouse detail is for staff
 * @returns {Promise<[Product, Product]>}
 */
async function twoProductsStockedIn(operator) {
  const token = await operator.page.evaluate(
    () => JSON.parse(localStorage.getItem('onlineshop.tokens') ?? '{}').access_token,
  );
  const detail = await operator.context.request.get(`/api/v1/warehouses/${WAREHOUSE}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(detail.status(), 200);
  const stocked = new Set(
    (await detail.json()).stock.filter((/** @type {any} */ line) => line.available >= 3).map((/** @type {any} */ line) => line.sku),
  );
  const listing = await operator.context.request.get('/api/v1/products?in_stock=true&size=100&sort=name');
  const products = (await listing.json()).items.filter((/** @type {Product} */ product) => stocked.has(product.sku));
  const first = products[0];
  const second = products.find((/** @type {Product} */ product) => brand(product) !== brand(first));
  assert.ok(first && second, 'the demo catalog has two stocked products of different brands');
  return [first, second];
}

function brand(/** @type {Product} */ product) {
  return product.name.split(' ')[0];
}

/** @param {Actor} actor @param {string} email @param {string} password */
async function logIn(actor, email, password) {
  const { page } = actor;
  await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await actor.step('login form');
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).waitFor();
}

/** Search with the header's box, open `product` from the results and add it to the cart. */
async function searchAndAdd(/** @type {Actor} */ actor, /** @type {Product} */ product, /** @type {number} */ itemsAfter) {
  const { page } = actor;
  const search = page.getByRole('search').getByRole('searchbox', { name: 'Search products' });
  await search.fill(brand(product));
  await search.press('Enter');
  await page.getByRole('heading', { level: 1, name: `Results for “${brand(product)}”` }).waitFor();
  await actor.step(`search ${brand(product)}`);
  await page.getByRole('main').getByRole('link', { name: product.name, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to your cart.').waitFor();
  const cart = page.getByRole('banner').getByRole('link', { name: /^Cart, / });
  await cart.and(page.getByRole('link', { name: `Cart, ${itemsAfter} item${itemsAfter === 1 ? '' : 's'}` })).waitFor();
  await actor.step(`added ${product.sku}`);
}

/**
 * The live stock table's Available cell of `sku`.
 * @param {Actor} operator @param {string} sku
 */
function availableCell(operator, sku) {
  const row = operator.page
    .getByRole('table', { name: `Stock in ${WAREHOUSE}` })
    .getByRole('row')
    .filter({ has: operator.page.getByRole('rowheader', { name: sku, exact: true }) });
  // Columns after the SKU: Product, On hand, Reserved, Available, Weight.
  return row.getByRole('cell').nth(3);
}

scenario(
  'a new shopper orders two products while an operator watches the stock fall live',
  async (run) => {
    // The operator opens the live stock page first.
    const operator = await run.actor('operator');
    await operator.goto('/');
    await logIn(operator, accounts.email('operator'), accounts.password);
    const [first, second] = await twoProductsStockedIn(operator);
    await operator.page.getByRole('banner').getByRole('link', { name: 'Back-office' }).click();
    await operator.page.getByRole('link', { name: 'Warehouses' }).click();
    await operator.page.getByRole('link', { name: WAREHOUSE, exact: true }).click();
    await operator.page.getByText('Live', { exact: true }).waitFor();
    const available = availableCell(operator, first.sku);
    const before = Number(await available.textContent());
    assert.ok(before >= 1, `${first.sku} is available in ${WAREHOUSE}`);
    // Survives only as long as the page is not reloaded.
    await operator.page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    await operator.step(`live stock of ${WAREHOUSE}`);

    // A new shopper registers …
    const shopper = await run.actor('shopper');
    const email = uniqueEmail('e2e-shopper');
    await shopper.goto('/');
    await shopper.step('landing page');
    await shopper.page.getByRole('banner').getByRole('link', { name: 'Register' }).click();
    await shopper.page.getByLabel('E-mail').fill(email);
    await shopper.page.getByLabel('Password').fill(PASSWORD);
    await shopper.step('registration form');
    await shopper.page.getByRole('button', { name: 'Create account' }).click();
    await shopper.page.getByText(`Check your inbox: we sent a confirmation link to ${email}.`).waitFor();
    await shopper.step('check your inbox');

    // … opens the confirmation link from the e-mail that arrived …
    const confirmation = await waitForMail(email, { subject: /confirm/i });
    await shopper.goto(linkIn(confirmation, '/verify-email'));
    await shopper.page.getByText('Your e-mail address is confirmed.', { exact: false }).waitFor();
    await shopper.step('e-mail confirmed');

    // … logs in, searches and adds two products …
    await logIn(shopper, email, PASSWORD);
    await shopper.step('logged in');
    await searchAndAdd(shopper, first, 1);
    await searchAndAdd(shopper, second, 2);

    // … checks out …
    await shopper.page.getByRole('banner').getByRole('link', { name: /^Cart, / }).click();
    await shopper.page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
    await shopper.page.getByRole('main').getByRole('link', { name: first.name }).waitFor();
    await shopper.page.getByRole('main').getByRole('link', { name: second.name }).waitFor();
    await shopper.step('cart');
    await shopper.page.getByRole('link', { name: 'Checkout' }).click();
    await shopper.page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    const form = shopper.page.getByRole('main');
    await form.getByLabel('Full name').fill('Ada Lovelace');
    await form.getByLabel('Phone', { exact: true }).fill('+44 20 7946 0000');
    await form.getByLabel('Address', { exact: true }).fill('12 Analytical Row');
    await form.getByLabel('City').fill('London');
    await form.getByLabel('Postal code').fill('NW1 2DB');
    await form.getByLabel('Country').fill('GB');
    await shopper.step('checkout form');
    await form.getByRole('button', { name: 'Place order' }).click();

    // … and sees the order.
    const thanks = shopper.page.getByText(/^Thank you! Your order \S+ is placed\./);
    await thanks.waitFor();
    const number = /** @type {string} */ ((await thanks.textContent())?.match(/Your order (\S+) is placed/)?.[1]);
    assert.ok(number, 'the confirmation names the order');
    await shopper.page.getByRole('heading', { level: 1, name: `Order ${number}` }).waitFor();
    await shopper.step('order placed');

    // The operator's page showed the reservation by itself.
    await assert.doesNotReject(
      available.filter({ hasText: new RegExp(`^${before - 1}$`) }).waitFor(),
      `the available quantity of ${first.sku} fell from ${before} to ${before - 1}`,
    );
    assert.equal(await operator.page.evaluate(() => Reflect.get(window, '__sameDocument')), true, 'no reload');
    await operator.step(`stock of ${first.sku} fell live`);

    await shopper.page.getByRole('banner').getByRole('link', { name: 'My orders' }).click();
    await shopper.page.getByRole('link', { name: number }).waitFor();
    await shopper.step('my orders');
    const placed = await waitForMail(email, { subject: number });
    assert.match(placed.text ?? '', new RegExp(first.name));
  },
  { timeout: 180_000 },
);

scenario('a guest cart survives logging in', async (run) => {
  const guest = await run.actor('guest');
  await guest.goto('/?in_stock=true&sort=-price');
  const card = guest.page.getByRole('list', { name: 'Products' }).getByRole('listitem').first();
  const name = /** @type {string} */ (await card.getByRole('link').first().textContent()).trim();
  await card.getByRole('link').first().click();
  await guest.page.getByRole('heading', { level: 1, name }).waitFor();
  await guest.page.getByRole('button', { name: 'Add to cart' }).click();
  await guest.page.getByText('Added to your cart.').waitFor();
  await guest.page.getByRole('banner').getByRole('link', { name: 'Cart, 1 item' }).waitFor();
  await guest.step('guest added a product');

  await logIn(guest, accounts.email('customer'), accounts.password);
  await guest.page.getByRole('banner').getByRole('link', { name: /^Cart, / }).click();
  await guest.page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
  await guest.page.getByRole('main').getByRole('link', { name, exact: true }).waitFor();
  await guest.step('the cart after login');
  const stored = await guest.page.evaluate(() => localStorage.getItem('onlineshop.cart-token'));
  assert.equal(stored, null, 'the guest token is spent once merged');
});
