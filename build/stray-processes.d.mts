/** Identities (pid@start time) of every process running now. */
export function runningProcesses(): Set<string>;
/** Processes from the checkout `root` not in `before` and not `exclude`d, as "pid command (in cwd)". */
export function strayProcesses(root: string, before: Set<string>, exclude?: number[]): string[];
/** The same after waiting up to `graceMs` for them to end. */
export function strayProcessesAfter(root: string, before: Set<string>, graceMs: number, exclude?: number[]): Promise<string[]>;
