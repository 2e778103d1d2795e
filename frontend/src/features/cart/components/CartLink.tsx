import { NavLink } from 'react-router';

import { unitCount, useCart } from '../api';

/** The header's link to the cart, with how many units it holds. */
export function CartLink() {
  const cart = useCart();
  if (!cart.data) return <NavLink to="/cart">Cart</NavLink>;
  const count = unitCount(cart.data);
  return (
    <NavLink to="/cart" aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}>
      Cart ({count})
    </NavLink>
  );
}
