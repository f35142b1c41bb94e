/** A route of the renderer, as its hash history spells it: '/inventory', '/console/lab1/qemu/100'. */
export type AppRoute = `/${string}`;

/**
 * The address that opens `route` in a window showing `pageUrl` (the app's index page). The route goes
 * into the fragment, so it can never change which page or origin is loaded.
 */
export function windowUrl(pageUrl: string, route: AppRoute): string {
  if (!route.startsWith('/') || route.startsWith('//') || route.includes('#')) throw new Error(`Not a route of the app: ${route}`);
  const url = new URL(pageUrl);
  url.hash = route;
  return url.toString();
}
