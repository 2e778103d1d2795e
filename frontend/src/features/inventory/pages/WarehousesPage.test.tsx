import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { renderRoutes, signIn } from '@/test/backend';

import { inventoryRoutes } from '..';
import { retire, uniqueCode } from '../testing';

let created = '';

afterEach(async () => {
  cleanup();
  if (created) await retire(created);
  created = '';
});

describe('the warehouses page', () => {
  it('lists the seeded warehouses, with links to them', async () => {
    await signIn('operator');
    const user = userEvent.setup();
    // Only the active ones: the inactive test warehouses of earlier runs may fill page 1.
    const { router } = renderRoutes(inventoryRoutes, '/backoffice/warehouses');
    expect(await screen.findByRole('heading', { level: 1, name: 'Warehouses' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Show'), 'active');
    expect(router.state.location.search).toBe('?status=active');
    const main = await screen.findByRole('link', { name: 'MAIN' });
    expect(main).toHaveAttribute('href', '/backoffice/warehouses/MAIN');
    expect(screen.getByRole('link', { name: 'NORTH' })).toBeInTheDocument();
  });

  it('creates a warehouse, which the list then shows', async () => {
    await signIn('operator');
    const user = userEvent.setup();
    renderRoutes(inventoryRoutes, '/backoffice/warehouses?status=active');
    const form = await screen.findByRole('form', { name: 'New warehouse' });
    const code = uniqueCode('NEW');
    created = code;

    await user.type(within(form).getByLabelText('Code'), code.toLowerCase());
    await user.type(within(form).getByLabelText('Name'), 'Test depot');
    await user.type(within(form).getByLabelText('Max weight (kg)'), '1500');
    // Last in line for orders (and retired after the test).
    await user.clear(within(form).getByLabelText('Priority'));
    await user.type(within(form).getByLabelText('Priority'), '900');
    await user.click(within(form).getByRole('button', { name: 'Create warehouse' }));

    expect(await within(form).findByText(`Warehouse ${code} created.`, { exact: false })).toBeInTheDocument();
    expect(within(form).getByLabelText('Code')).toHaveValue('');
    // The list is fetched again, with the new warehouse in it.
    const row = (await screen.findByRole('link', { name: code })).closest('tr');
    expect(row).not.toBeNull();
    expect(within(row!).getByText('Test depot')).toBeInTheDocument();
    expect(within(row!).getByText('Active')).toBeInTheDocument();
    expect(within(row!).getByText('900')).toBeInTheDocument();
  });

  it('shows the API errors at their fields', async () => {
    await signIn('operator');
    const user = userEvent.setup();
    renderRoutes(inventoryRoutes, '/backoffice/warehouses');
    const form = await screen.findByRole('form', { name: 'New warehouse' });

    await user.type(within(form).getByLabelText('Code'), 'bad code!');
    await user.type(within(form).getByLabelText('Name'), 'Broken');
    await user.type(within(form).getByLabelText('Max weight (kg)'), '-5');
    await user.click(within(form).getByRole('button', { name: 'Create warehouse' }));

    const codeInput = within(form).getByLabelText('Code');
    await waitFor(() => expect(codeInput).toHaveAttribute('aria-invalid', 'true'));
    expect(codeInput).toHaveAccessibleDescription(/a warehouse code is 1 to 32/);
    expect(within(form).getByLabelText('Max weight (kg)')).toHaveAccessibleDescription(/greater than 0/);
    expect(within(form).getByLabelText('Name')).not.toHaveAttribute('aria-invalid');

    // A taken code is refused at the code too.
    await user.clear(codeInput);
    await user.type(codeInput, 'MAIN');
    await user.clear(within(form).getByLabelText('Max weight (kg)'));
    await user.type(within(form).getByLabelText('Max weight (kg)'), '10');
    await user.click(within(form).getByRole('button', { name: 'Create warehouse' }));
    await waitFor(() => expect(codeInput).toHaveAccessibleDescription(/already exists/));
    expect(within(form).getByLabelText('Max weight (kg)')).not.toHaveAttribute('aria-invalid');
  });

  it('is for staff only', async () => {
    await signIn('customer');
    renderRoutes(inventoryRoutes, '/backoffice/warehouses');
    expect(await screen.findByText("This page is for the shop's staff.")).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Warehouses' })).not.toBeInTheDocument();
  });
});

describe('the back-office page', () => {
  it('links to warehouses, movements and orders', async () => {
    await signIn('admin');
    renderRoutes(inventoryRoutes, '/backoffice');
    expect(await screen.findByRole('heading', { level: 1, name: 'Back-office' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Warehouses' })).toHaveAttribute('href', '/backoffice/warehouses');
    expect(screen.getByRole('link', { name: 'Stock movements' })).toHaveAttribute('href', '/backoffice/movements');
    expect(screen.getByRole('link', { name: 'Orders' })).toHaveAttribute('href', '/backoffice/orders');
  });
});
