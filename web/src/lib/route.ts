import { useEffect, useState } from 'react';

export const SECTIONS = ['inbox', 'campaigns', 'analytics', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Route {
  section: Section;
  /** What follows the section, e.g. `accounts` in `#/settings/accounts`. */
  rest: string[];
}

/** `#/campaigns/abc` → { section: 'campaigns', rest: ['abc'] }; anything unknown is the inbox. */
export function parseHash(hash: string): Route {
  const [first = '', ...rest] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const section = (SECTIONS as readonly string[]).includes(first) ? (first as Section) : 'inbox';
  return { section, rest: section === 'inbox' ? [] : rest };
}

export function hrefOf(section: Section, ...rest: string[]): string {
  return `#/${[section, ...rest].map(encodeURIComponent).join('/')}`;
}

/** Hash routing: no server routes to add, the back button works, and no router dependency. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
