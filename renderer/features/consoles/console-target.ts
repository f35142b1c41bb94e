import { consoleTargetSchema, type ConsoleTarget } from '../../../shared/ipc/contract/consoles';

/**
 * One console's identity, whatever node it runs on now: opening the same console again shows its tab instead of a
 * second one, and a guest that migrates keeps its tab.
 */
export function consoleKey(target: ConsoleTarget): string {
  return target.kind === 'shell' ? `${target.profileId}/shell/${target.node}/${target.via}` : `${target.profileId}/${target.kind}/${target.vmid}`;
}

/** The bare route that shows this console alone (a detached window): `/console/:profileId/:kind/:node/:vmid?`, shells with `?via=`. */
export function consoleRoute(target: ConsoleTarget): string {
  const base = `/console/${encodeURIComponent(target.profileId)}/${target.kind}/${encodeURIComponent(target.node)}`;
  return target.kind === 'shell' ? `${base}?via=${target.via}` : `${base}/${target.vmid}`;
}

/** The console a bare route names, or undefined when the route does not name one the contract accepts. */
export function consoleTargetOfRoute(params: Record<string, string | string[] | undefined>, query: Record<string, unknown>): ConsoleTarget | undefined {
  const { profileId, kind, node, vmid } = params;
  const candidate =
    kind === 'shell'
      ? { kind, profileId, node, via: typeof query.via === 'string' ? query.via : 'termproxy' }
      : { kind, profileId, node, vmid: typeof vmid === 'string' && /^\d+$/.test(vmid) ? Number(vmid) : undefined };
  const parsed = consoleTargetSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** A title until main answers with the console's own (`debian-lab (100)`): the guest's id or the node's name. */
export function provisionalTitle(target: ConsoleTarget): string {
  return target.kind === 'shell' ? target.node : `${target.vmid}`;
}
