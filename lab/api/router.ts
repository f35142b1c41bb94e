import type { z } from 'zod';
import type { HttpMethod, Route } from './context';
import { declaredParameters } from './params';

interface Compiled {
  route: Route;
  segments: string[];
  /** Everything the route accepts: its declared parameters and its path parameters, nothing else. */
  parameters: z.ZodObject;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  parameters: z.ZodObject;
}

/** Matches `/api2/json` paths against the registered patterns; PVE answers 501 for unknown paths and methods. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(route: Route): void {
    const segments = route.pattern.split('/').filter(Boolean);
    const pathNames = segments.filter((s) => s.startsWith('{')).map((s) => s.slice(1, -1));
    this.routes.push({ route, segments, parameters: declaredParameters(route.params, pathNames) });
  }

  addAll(routes: Route[]): void {
    for (const route of routes) this.add(route);
  }

  match(method: HttpMethod, path: string): RouteMatch | undefined {
    // Split before decoding: a volume id like `local:iso%2Fx.iso` is one segment.
    const parts = path.split('/').filter(Boolean).map(decodeSegment);
    for (const { route, segments, parameters } of this.routes) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const segment = segments[i] ?? '';
        const part = parts[i] ?? '';
        if (segment.startsWith('{')) params[segment.slice(1, -1)] = part;
        else ok = segment === part;
      }
      if (ok) return { route, params, parameters };
    }
    return undefined;
  }
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
