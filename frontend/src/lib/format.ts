// Money arrives as decimal strings ("19.90"); shown in the shop's currency and the browser's
// language. Never parsed into arithmetic here: totals come from the API.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatPrice(amount: string, currency: string, locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(Number(amount));
}

export function formatDateTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
