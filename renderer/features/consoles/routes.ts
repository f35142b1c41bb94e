import type { RouteRecordRaw } from 'vue-router';

/**
 * SKELETON (consoles shell helper): `/consoles` shows the open consoles as tabs in the shell;
 * `/console/:profileId/:kind/:node/:vmid?` is one console alone in a window of its own (the bare layout).
 */
export const consolesRoutes: RouteRecordRaw[] = [];
