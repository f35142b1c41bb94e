import type { P2vSource } from '../../../shared/domain/p2v';

/** A source in one line, as the summary, the list and the report name it: a file, `user@host:port /dev/sda`, a volume. */
export function sourceLabel(source: P2vSource): string {
  if (source.kind === 'workstation') return source.path;
  if (source.kind === 'node-import') return `${source.node} ${source.volid}`;
  const { username, host, port } = source.address;
  return `${username}@${host}${port === 22 ? '' : `:${port}`} ${source.device}`;
}
