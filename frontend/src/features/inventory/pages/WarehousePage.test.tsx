import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { renderRoutes, signIn } from '@/test/backend';

import { inventoryRoutes } from '..';
import { fetchStockReport } from '../api';
import { retire, seededSkus, supply, warehouseWithStock } from '../testing';

const LIVE_TIMEOUT = { timeout: 10_000 };

/** The numbers of a SKU's row in the stock table. */
function stockRow(sku: string) {
  const row = screen.getByRole('rowheader', { name: sku }).closest('tr');
  if (!row) throw new Error(`no row for ${sku}`);
  const [, onHand, reserved, available] = within(row).getAllByRole('cell');
  return { onHand: onHand.textContent, reserved: reserved.textContent, available: available.textContent };
}

function form(name: string) {
  return screen.getByRole('form', { name });
}

let ownWarehouses: string[] = [];

async function ownWarehouse(skus: string[], quantity = 10): Promise<string> {
  const code = await warehouseWithStock(skus, quantity);
  ownWarehouses.push(code);
  return code;
}

afterEach(async () => {
  // Unmounted first: nothing the page still fetches lands after the test.
  cleanup();
  await Promise.all(ownWarehouses.map(retire));
  ownWarehouses = [];
});

async function openLive(code: string) {
  const rendered = renderRoutes(inventoryRoutes, `/backoffice/warehouses/${code}`);
  expect(
    await screen.findByRole('heading', { level: 1, name: `Warehouse ${code} — Test ${code}` }),
  ).toBeInTheDocument();
  expect(await screen.findByText('Live', {}, LIVE_TIMEOUT)).toBeInTheDocument();
  return rendered;
}

describe('the warehouse page', () => {
  it('shows the stock live: a supply made elsewhere, and one made here, update On hand', async () => {
    await signIn('operator');
    const [sku, other] = await seededSkus(2);
    const code = await ownWarehouse([sku, other]);
    await openLive(code);
    expect(screen.getByRole('table', { name: `Stock in ${code}` })).toBeInTheDocument();
    expect(stockRow(sku)).toEqual({ onHand: '10', reserved: '0', available: '10' });

    // Another operator (here: the API directly) supplies: the socket tells, no reload.
    await act(() => supply(code, [sku], 5));
    await waitFor(() => expect(stockRow(sku)).toEqual({ onHand: '15', reserved: '0', available: '15' }), LIVE_TIMEOUT);
    expect(stockRow(other).onHand).toBe('10');

    const user = userEvent.setup();
    const supplyForm = form('Supply');
    await user.type(within(supplyForm).getByLabelText('SKU'), sku.toLowerCase());
    await user.type(within(supplyForm).getByLabelText('Quantity'), '3');
    await user.click(within(supplyForm).getByRole('button', { name: 'Add supply' }));
    expect(await within(supplyForm).findByText(`Received. ${sku} on hand: 18.`)).toBeInTheDocument();
    await waitFor(() => expect(stockRow(sku).onHand).toBe('18'), LIVE_TIMEOUT);
  });

  it('takes stock out on demand, and shows the refusal of a demand beyond what is available', async () => {
    await signIn('operator');
    const [sku] = await seededSkus(1);
    const code = await ownWarehouse([sku]);
    await openLive(code);
    const user = userEvent.setup();
    const demand = form('Demand');

    await user.type(within(demand).getByLabelText('SKU'), sku);
    await user.type(within(demand).getByLabelText('Quantity'), '999');
    await user.click(within(demand).getByRole('button', { name: 'Take from stock' }));
    const quantity = within(demand).getByLabelText('Quantity');
    await waitFor(() => expect(quantity).toHaveAttribute('aria-invalid', 'true'));
    expect(quantity).toHaveAccessibleDescription(/Not enough stock of .* \(requested 999, available: 10\)/);
    expect(stockRow(sku).onHand).toBe('10');

    await user.clear(quantity);
    await user.type(quantity, '4');
    await user.click(within(demand).getByRole('button', { name: 'Take from stock' }));
    expect(await within(demand).findByText(`Taken. ${sku} on hand: 6.`)).toBeInTheDocument();
    await waitFor(() => expect(stockRow(sku).onHand).toBe('6'), LIVE_TIMEOUT);

    await user.type(within(demand).getByLabelText('SKU'), 'NO-SUCH-SKU');
    await user.type(within(demand).getByLabelText('Quantity'), '1');
    await user.click(within(demand).getByRole('button', { name: 'Take from stock' }));
    await waitFor(() =>
      expect(within(demand).getByLabelText('SKU')).toHaveAccessibleDescription(/no product has the SKU/),
    );
  });

  it('records a count and transfers to another warehouse', async () => {
    await signIn('operator');
    const [sku] = await seededSkus(1);
    const code = await ownWarehouse([sku]);
    const target = await ownWarehouse([]);
    const page = await openLive(code);
    const user = userEvent.setup();

    const count = form('Stock count');
    await user.type(within(count).getByLabelText('SKU'), sku);
    await user.type(within(count).getByLabelText('Counted quantity'), '7');
    await user.click(within(count).getByRole('button', { name: 'Record count' }));
    // A count needs its reason: the API says so at the field.
    const reason = within(count).getByLabelText('Reason');
    await waitFor(() => expect(reason).toHaveAttribute('aria-invalid', 'true'));
    expect(reason).toHaveAccessibleDescription(/at least 1 character/);
    expect(stockRow(sku).onHand).toBe('10');
    await user.type(reason, 'Shelf recount');
    await user.click(within(count).getByRole('button', { name: 'Record count' }));
    expect(await within(count).findByText(`Counted. ${sku} on hand: 7.`)).toBeInTheDocument();
    await waitFor(() => expect(stockRow(sku).onHand).toBe('7'), LIVE_TIMEOUT);

    const transfer = form('Transfer');
    await user.type(within(transfer).getByLabelText('SKU'), sku);
    await user.type(within(transfer).getByLabelText('Quantity'), '2');
    const select = within(transfer).getByLabelText('To warehouse');
    await within(select).findByRole('option', { name: `${target} — Test ${target}` });
    await user.selectOptions(select, target);
    await user.click(within(transfer).getByRole('button', { name: 'Transfer stock' }));
    expect(await within(transfer).findByText(`Moved 2 × ${sku} to ${target}.`)).toBeInTheDocument();
    await waitFor(() => expect(stockRow(sku).onHand).toBe('5'), LIVE_TIMEOUT);
    page.unmount();
    const received = unwrap(await api.GET('/api/v1/warehouses/{code}', { params: { path: { code: target } } }));
    expect(received.stock.find((line) => line.sku === sku)?.on_hand).toBe(2);
  });

  it('computes the total weight in the background', { timeout: 40_000 }, async () => {
    await signIn('operator');
    const skus = await seededSkus(2);
    const code = await ownWarehouse(skus, 3);
    const detail = unwrap(await api.GET('/api/v1/warehouses/{code}', { params: { path: { code } } }));
    renderRoutes(inventoryRoutes, `/backoffice/warehouses/${code}`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Compute total weight' }));
    expect(
      await screen.findByText(
        `Weight task succeeded: total weight ${detail.total_weight_kg} kg.`,
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Compute total weight' })).toBeEnabled();
  });

  it('fetches the stock report as an xlsx file named by the server', async () => {
    await signIn('operator');
    const [sku] = await seededSkus(1);
    const code = await ownWarehouse([sku]);
    const { blob, filename } = await fetchStockReport(code);
    expect(filename).toMatch(new RegExp(`^stock-${code}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    expect(blob.size).toBeGreaterThan(0);
  });

  it('says so when no warehouse has the code', async () => {
    await signIn('operator');
    renderRoutes(inventoryRoutes, '/backoffice/warehouses/NO-SUCH-WAREHOUSE');
    expect(await screen.findByText('No warehouse has the code NO-SUCH-WAREHOUSE.')).toBeInTheDocument();
  });

  it('is for staff only', async () => {
    await signIn('customer');
    renderRoutes(inventoryRoutes, '/backoffice/warehouses/MAIN');
    expect(await screen.findByText("This page is for the shop's staff.")).toBeInTheDocument();
  });
});
