import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Actor, TokenInfo } from '../cluster/acl';
import type { Privilege } from '../cluster/roles';
import type { ClusterServices } from '../cluster/services';
import { ApiError, permissionError } from './errors';
import type { Args } from './params';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One API call as a handler sees it: who, which path parameters, which arguments (query and body merged, as PVE does). */
export class RequestContext {
  constructor(
    readonly lab: ClusterServices,
    readonly method: HttpMethod,
    readonly path: string,
    readonly pathParams: Record<string, string>,
    readonly args: Args,
    readonly actor: Actor | undefined,
    readonly token: TokenInfo | undefined,
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    /** The node whose API answered (the node's own listener, or the first online node for the cluster address). */
    readonly localNode: string,
  ) {}

  /** The authenticated identity; routes without auth never call this. */
  get who(): Actor {
    if (!this.actor) throw new ApiError(401, 'authentication failure');
    return this.actor;
  }

  /** `user@realm` or `user@realm!token`: task owner and console user, as PVE shows. */
  get userName(): string {
    return this.who.tokenid ?? this.who.userid;
  }

  param(name: string): string {
    const value = this.pathParams[name];
    if (value === undefined) throw new ApiError(500, `missing path parameter ${name}`);
    return value;
  }

  can(path: string, privilege: Privilege): boolean {
    return this.lab.acl.has(this.who, path, privilege, this.token);
  }

  /** Throws PVE's 403 when the privilege is missing on the path. */
  require(path: string, privilege: Privilege): void {
    if (!this.can(path, privilege)) throw permissionError(path, privilege);
  }

  /** Any of the privileges is enough (PVE's `anyof` checks). */
  requireAny(path: string, privileges: Privilege[]): void {
    if (!privileges.some((p) => this.can(path, p))) throw permissionError(path, privileges.join('|'));
  }
}

export type Handler = (ctx: RequestContext) => unknown;

export interface Route {
  method: HttpMethod;
  /** Path below /api2/json with `{name}` placeholders, e.g. `/nodes/{node}/qemu/{vmid}/config`. */
  pattern: string;
  handler: Handler;
  /** The parameters the method declares besides its path parameters; any other name is refused before the handler runs. */
  params?: z.ZodObject;
  /** `/access/ticket` and `/access/domains` answer without a ticket. */
  anonymous?: boolean;
  /** The handler reads the request body itself (multipart upload). */
  streamBody?: boolean;
}
