import { useEffect } from 'react';

/** The document title, so that tabs, history and screen readers name the page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · OnlineShop` : 'OnlineShop';
  }, [title]);
}
