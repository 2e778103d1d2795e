import { formatPrice } from '@/lib/format';
import { useShop } from '@/lib/shop';

/** A decimal-string amount in `currency`, else the shop's currency. */
export function Price({ amount, currency }: { amount: string; currency?: string }) {
  const shop = useShop();
  const code = currency ?? shop.data?.currency;
  return <span className="price">{code ? formatPrice(amount, code) : amount}</span>;
}
