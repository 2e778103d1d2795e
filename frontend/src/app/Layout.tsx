import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate, useSearchParams } from 'react-router';

import { useAuth } from '@/lib/auth';
import { useShop } from '@/lib/shop';

/** The frame of every page: header (shop, search, cart, account), the page, footer. */
export function Layout({ cartLink }: { cartLink: ReactNode }) {
  const { user, isStaff, logout } = useAuth();
  const shop = useShop();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();

  // After navigating, keyboard and screen-reader users start at the new page's content.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            {shop.data?.name ?? 'OnlineShop'}
          </Link>
          <SearchBox />
          <nav aria-label="Account" className="header-nav">
            {isStaff && <NavLink to="/backoffice">Back-office</NavLink>}
            {user ? (
              <>
                <NavLink to="/orders">My orders</NavLink>
                <NavLink to="/account">Account</NavLink>
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    await logout();
                    navigate('/');
                  }}
                >
                  Log out
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login">Log in</NavLink>
                <NavLink to="/register">Register</NavLink>
              </>
            )}
            {cartLink}
          </nav>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="container page">
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          {shop.data?.name ?? 'OnlineShop'} · prices in {shop.data?.currency ?? '…'}
        </div>
      </footer>
      <ScrollRestoration />
    </>
  );
}

function SearchBox() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const current = pathname === '/' ? (params.get('q') ?? '') : '';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  }

  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="site-search" className="visually-hidden">
        Search products
      </label>
      <input id="site-search" key={current} name="q" type="search" placeholder="Search products" defaultValue={current} />
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}
