// The admin panel (SQLAdmin at /admin) as the seeded admin clicks through it in Debian's
// chromium, through nginx, with the CSRF token its pages carry (a meta tag that
// backend/app/admin/templates/sqladmin/base.html copies into every POST form and into jQuery's
// AJAX headers): log in through the form, create a warehouse through a form, delete a profile
// through SQLAdmin's modal and AJAX DELETE, mark one order paid from its details page and
// another from the list's Actions menu (each through the page that asks, a POST form), and
// log out through the same kind of page.
//
// Everything it changes it makes first, through the API as the seeded accounts: the
// customer's profile and two orders of one unit each. Every step leaves a screenshot under
// ARTIFACTS_DIR/<scenario>/.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { accounts, scenario } from './helpers.mjs';

/** @typedef {import('./helpers.mjs').Actor} Actor */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').APIRequestContext} APIRequestContext */
/** @typedef {{ id: string, number: string, status: string }} Order */

const SHIPPING_ADDRESS = {
  full_name: 'Grace Hopper',
  phone: '+44 20 7946 0001',
  line1: '1 Compiler Lane',
  city: 'London',
  postal_code: 'EC1A 1BB',
  country: 'GB',
};

/** The answer's JSON, after checking its status (the body is in the message otherwise). */
async function json(/** @type {import('playwright-core').APIResponse} */ response, /** @type {number} */ status) {
  assert.equal(response.status(), status, `${response.url()}: HTTP ${response.status()} ${await response.text()}`);
  return response.json();
}

/**
 * One order of one unit of `productId`, placed by the customer as the storefront does: an
 * emptied cart, the product added, then checkout with an Idempotency-Key.
 *
 * @param {APIRequestContext} customer @param {string} productId
 * @returns {Promise<Order>}
 */
async function placeOrder(customer, productId) {
  assert.equal((await customer.delete('/api/v1/cart')).status(), 204);
  await json(await customer.post('/api/v1/cart/items', { data: { product_id: productId, quantity: 1 } }), 201);
  const order = await json(
    await customer.post('/api/v1/orders', {
      data: { shipping_address: SHIPPING_ADDRESS },
      headers: { 'Idempotency-Key': randomUUID() },
    }),
    201,
  );
  assert.equal(order.status, 'pending');
  return order;
}

/** The order's status as staff read it from the API. */
async function statusOf(/** @type {APIRequestContext} */ staff, /** @type {Order} */ order) {
  return (await json(await staff.get(`/api/v1/orders/${order.id}`), 200)).status;
}

/**
 * Do `act`, a click that makes the page send a `method` request to the panel (a form, or
 * SQLAdmin's AJAX delete), and check the answer: a page or a redirect, never a refusal (the
 * CSRF check's 403 says what it refused).
 *
 * @param {Page} page @param {string} method @param {() => Promise<void>} act
 */
async function sends(page, method, act) {
  const answered = page.waitForResponse(
    (response) => response.request().method() === method && new URL(response.url()).pathname.startsWith('/admin/'),
  );
  await act();
  const response = await answered;
  if (response.status() >= 400) {
    const body = await response.text().catch(() => '');
    assert.fail(`${method} ${new URL(response.url()).pathname}: HTTP ${response.status()} ${body}`);
  }
}

/** The page that asks (admin_confirm.html): its question, then its button, which POSTs. */
async function confirm(/** @type {Actor} */ admin, /** @type {string} */ question, /** @type {string} */ button) {
  const { page } = admin;
  await page.getByRole('heading', { name: question }).waitFor();
  await admin.step(`asked: ${button}`);
  await sends(page, 'POST', () => page.getByRole('button', { name: button, exact: true }).click());
}

scenario(
  'an admin logs in, creates, deletes, marks orders paid and logs out of the panel',
  async (run) => {
    // What the admin will act on, made through the API.
    const customer = await run.api('customer');
    const staff = await run.api('operator');
    const me = await json(await customer.get('/api/v1/users/me'), 200);
    const firstName = `E2E ${randomUUID().slice(0, 8)}`;
    await json(await customer.put('/api/v1/users/me/profile', { data: { first_name: firstName, last_name: 'Admin' } }), 200);
    const listing = await json(await customer.get('/api/v1/products?in_stock=true&size=100'), 200);
    // The product most in stock: two units fewer of it leave the other scenarios enough.
    const product = listing.items.reduce(
      (/** @type {any} */ best, /** @type {any} */ item) => (item.available > best.available ? item : best),
    );
    assert.ok(product.available >= 2, 'the demo catalog has a product with two units available');
    const fromDetails = await placeOrder(customer, product.id);
    const fromList = await placeOrder(customer, product.id);

    // Log in through the form.
    const admin = await run.actor('admin');
    const { page } = admin;
    await admin.goto('/admin/login');
    await page.getByPlaceholder('Enter username').fill(accounts.email('admin'));
    await page.getByPlaceholder('Password', { exact: true }).fill(accounts.password);
    await admin.step('login form');
    await sends(page, 'POST', () => page.getByRole('button', { name: 'Login' }).click());
    await page.waitForURL((url) => url.pathname === '/admin/');
    await page.getByRole('link', { name: 'Logout' }).waitFor();
    await admin.step('logged in');

    // A form: a new warehouse.
    const code = `E2E-${randomUUID().slice(0, 8).toUpperCase()}`;
    await admin.goto('/admin/warehouse/list');
    await page.getByRole('link', { name: 'New Warehouse' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/warehouse/create');
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByLabel('Name', { exact: true }).fill('Made in a browser');
    await page.getByLabel('Max Weight Kg').fill('10');
    await admin.step('new warehouse form');
    await sends(page, 'POST', () => page.getByRole('button', { name: 'Save', exact: true }).click());
    await page.waitForURL((url) => url.pathname === '/admin/warehouse/list');
    await page.getByRole('cell', { name: code, exact: true }).waitFor();
    await admin.step('warehouse created');
    const warehouse = await staff.get(`/api/v1/warehouses/${code}`);
    assert.equal(warehouse.status(), 200, `the warehouse ${code} exists`);

    // SQLAdmin's delete: its modal, then its AJAX DELETE (with the token in a header).
    await admin.goto(`/admin/profile/details/${me.id}`);
    await page.getByRole('cell', { name: firstName, exact: true }).waitFor();
    await admin.step('profile');
    await page.getByRole('link', { name: 'Delete', exact: true }).click();
    const dialog = page.locator('#modal-delete');
    await dialog.getByText(`This will permanently delete Profile ${me.id}?`).waitFor();
    await admin.step('delete modal');
    await sends(page, 'DELETE', () => dialog.getByRole('button', { name: 'Delete', exact: true }).click());
    await page.waitForURL((url) => url.pathname === '/admin/profile/list');
    await admin.step('profile deleted');
    const profile = await json(await customer.get('/api/v1/users/me/profile'), 200);
    assert.equal(profile.first_name, null, 'the profile is gone');

    // An action from the details page: its button asks first; the answer goes back there.
    const details = `/admin/order/details/${fromDetails.id}`;
    await admin.goto(details);
    await admin.step(`order ${fromDetails.number}`);
    await page.getByRole('link', { name: 'Mark paid', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/order/action/mark-paid');
    assert.equal(await statusOf(staff, fromDetails), 'pending', 'asking changes nothing');
    await confirm(admin, 'Mark the selected pending orders as paid?', 'Mark paid');
    await page.waitForURL((url) => url.pathname === details);
    await page.getByText(`Marked paid: ${fromDetails.number}.`).waitFor();
    await admin.step(`order ${fromDetails.number} paid`);
    assert.equal(await statusOf(staff, fromDetails), 'paid');

    // From the list: the row selected, the Actions menu, then the same question.
    await admin.goto(`/admin/order/list?search=${encodeURIComponent(fromList.number)}`);
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: fromList.number, exact: true }) });
    await row.getByRole('checkbox', { name: 'Select item' }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    const menu = page.locator('[aria-labelledby="dropdownMenuButton"]');
    await menu.getByRole('link', { name: 'Mark paid', exact: true }).waitFor();
    await admin.step('actions menu');
    await menu.getByRole('link', { name: 'Mark paid', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/order/action/mark-paid');
    assert.equal(await statusOf(staff, fromList), 'pending', 'asking changes nothing');
    await confirm(admin, 'Mark the selected pending orders as paid?', 'Mark paid');
    await page.waitForURL((url) => url.pathname === '/admin/order/list');
    await page.getByText(`Marked paid: ${fromList.number}.`).waitFor();
    await row.getByRole('cell', { name: 'paid', exact: true }).waitFor();
    await admin.step(`order ${fromList.number} paid`);
    assert.equal(await statusOf(staff, fromList), 'paid');

    // Log out, through the page that asks; the panel then sends to the login.
    await page.getByRole('link', { name: 'Logout' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/logout');
    await confirm(admin, 'Log out of the admin panel?', 'Log out');
    await page.waitForURL((url) => url.pathname === '/admin/login');
    await admin.goto('/admin/');
    assert.equal(new URL(page.url()).pathname, '/admin/login', '/admin/ asks for a login again');
    await admin.step('logged out');
  },
  { timeout: 180_000 },
);
