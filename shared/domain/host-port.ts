/** `host:port`, with brackets around IPv6 addresses: how endpoints and SSH targets are named in states, pins and messages. */
export function hostPortLabel(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
