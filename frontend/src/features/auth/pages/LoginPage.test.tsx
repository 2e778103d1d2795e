import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { accounts, NEW_PASSWORD, registerAccount, renderRoutes } from '@/test/backend';

import { authRoutes } from '../routes';

const routes = [...authRoutes, { path: '/somewhere', element: <h1>Somewhere else</h1> }, { path: '/', element: <h1>Home</h1> }];

async function logIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('E-mail'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('LoginPage', () => {
  it('shows the API message for a wrong password', async () => {
    renderRoutes(routes, '/login');
    expect(screen.getByRole('heading', { level: 1, name: 'Log in' })).toBeInTheDocument();
    await logIn(accounts.email('customer'), 'not-the-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect e-mail or password.');
    expect(screen.getByRole('link', { name: 'Forgot your password?' })).toHaveAttribute('href', '/forgot-password');
  });

  it('goes to ?next= after logging in', async () => {
    renderRoutes(routes, '/login?next=%2Fsomewhere');
    await logIn(accounts.email('customer'), accounts.password);
    expect(await screen.findByRole('heading', { name: 'Somewhere else' })).toBeInTheDocument();
  });

  it('ignores a next that leads off-site', async () => {
    renderRoutes(routes, '/login?next=%2F%2Fevil.example%2Fsomewhere');
    await logIn(accounts.email('customer'), accounts.password);
    expect(await screen.findByRole('heading', { name: 'Home' })).toBeInTheDocument();
  });

  it('offers a new confirmation e-mail to an unconfirmed account', async () => {
    const email = await registerAccount();
    renderRoutes(routes, '/login');
    await logIn(email, NEW_PASSWORD);
    expect(await screen.findByRole('alert')).toHaveTextContent(/not confirmed yet/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send the confirmation e-mail again' }));
    expect(await screen.findByRole('status')).toHaveTextContent(/new confirmation link is on its way/);
    expect(screen.getByRole('link', { name: 'Continue' })).toHaveAttribute('href', '/');
  });
});
