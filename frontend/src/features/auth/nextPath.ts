/**
 * Where to go after logging in: `?next=` when it is a path of this site, else the home page.
 * Anything else ("//evil.example", "https://…", "/\evil") could send the user off-site.
 */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}
