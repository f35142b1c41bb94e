/**
 * The path of a request target, or null when it is not one a browser sends.
 * The target is client input: `new URL` throws on some (`//[`), and a throw
 * in a server callback would stop the whole host.
 */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://host').pathname;
  } catch {
    return null;
  }
}
