import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { renderRoutes, signIn } from '@/test/backend';

import { inventoryRoutes } from '..';
import { retire, seededSkus, warehouseWithStock } from '../testing';

let code = '';

afterEach(async () => {
  // Unmounted first: nothing the page still fetches lands after the test.
  cleanup();
  if (code) await retire(code);
  code = '';
});

/** A warehouse of our own with two movements: a supply of 10 and a demand of 3. */
async function journalled(): Promise<string> {
  const [sku] = await seededSkus(1);
  code = await warehouseWithStock([sku], 10);
  unwrap(
    await api.POST('/api/v1/stores/{store_id}', {
      params: { path: { store_id: code } },
      body: { operation: 'demand', item_id: sku, quantity: 3 },
    }),
  );
  return sku;
}

function bodyRows() {
  const [, ...rows] = within(screen.getByRole('table')).getAllByRole('row');
  return rows;
}

describe('the stock movements page', () => {
  it('filters by the kind and warehouse in the URL, and changes them there', async () => {
    await signIn('operator');
    const sku = await journalled();
    const user = userEvent.setup();
    const { router } = renderRoutes(inventoryRoutes, `/backoffice/movements?warehouse=${code}&kind=supply`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Stock movements' })).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: '1 movement, newest first' })).toBeInTheDocument();
    const [supplied] = bodyRows();
    expect(within(supplied).getByText('Supply')).toBeInTheDocument();
    expect(within(supplied).getByText('+10')).toBeInTheDocument();
    expect(within(supplied).getByText(sku)).toBeInTheDocument();
    expect(screen.getByLabelText('Kind')).toHaveValue('supply');
    await waitFor(() => expect(screen.getByLabelText('Warehouse')).toHaveValue(code));

    await user.selectOptions(screen.getByLabelText('Kind'), 'demand');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(`?warehouse=${code}&kind=demand`));
    await waitFor(() => expect(within(bodyRows()[0]).getByText('Demand')).toBeInTheDocument());
    expect(within(bodyRows()[0]).getByText('-3')).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(screen.getByLabelText('Kind')).toHaveValue('');
    await waitFor(() => expect(screen.getByRole('table')).not.toHaveAccessibleName('1 movement, newest first'));
  });

  it('says when nothing matches', async () => {
    await signIn('operator');
    await journalled();
    renderRoutes(inventoryRoutes, `/backoffice/movements?warehouse=${code}&kind=sale`);
    expect(await screen.findByText('No movements match these filters.')).toBeInTheDocument();
  });

  it('shows the API error for a date range that ends before it starts', async () => {
    await signIn('operator');
    renderRoutes(inventoryRoutes, '/backoffice/movements?date_from=2024-05-02&date_to=2024-05-01');
    expect(await screen.findByRole('alert')).toHaveTextContent(/date_from must not be after date_to/);
  });

  it('is for staff only', async () => {
    await signIn('customer');
    renderRoutes(inventoryRoutes, '/backoffice/movements');
    expect(await screen.findByText("This page is for the shop's staff.")).toBeInTheDocument();
  });
});
