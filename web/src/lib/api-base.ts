/**
 * Where the API lives. Empty (the default) means the same origin, as when the server serves the app.
 * For a split deploy, build with `VITE_API_BASE_URL=https://api.example.com npm run build` and set
 * `FRONTEND_ORIGIN` on the API to this app's origin.
 */
const base = (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '');

export function apiUrl(path: string): string {
  return `${base}${path}`;
}
