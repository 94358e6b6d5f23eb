/** Time left in the 24-hour customer-service window, e.g. `23h 05m`, `12m`; null once it has closed. */
export function windowRemaining(expiresAt: string | null, now: number): string | null {
  if (!expiresAt) return null;
  const minutes = Math.floor((Date.parse(expiresAt) - now) / 60_000);
  if (minutes < 0 || Number.isNaN(minutes)) return null;
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h ${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
}

export function isWindowOpen(expiresAt: string | null, now: number): boolean {
  return windowRemaining(expiresAt, now) !== null;
}

/** Short clock time today, else a short date. */
export function shortTime(iso: string | null, locale: string, now = Date.now()): string {
  if (!iso) return '';
  const date = new Date(iso);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}
