import type { MethodHandlers } from '../ipc';
import type { P2vService } from './p2v-service';

export type P2vHandlers = Pick<
  MethodHandlers,
  | 'p2v.pickImage'
  | 'p2v.probeImage'
  | 'p2v.inspect'
  | 'p2v.probeSsh'
  | 'p2v.importVolumes'
  | 'p2v.start'
  | 'p2v.list'
  | 'p2v.cancel'
  | 'p2v.resume'
  | 'p2v.forget'
  | 'p2v.windowsSwitch'
>;

export function p2vHandlers(p2v: P2vService): P2vHandlers {
  return {
    'p2v.pickImage': () => p2v.pickImage(),
    'p2v.probeImage': ({ path }) => p2v.probeImage(path),
    'p2v.inspect': (input) => p2v.inspect(input),
    'p2v.probeSsh': (input) => p2v.probeSsh(input),
    'p2v.importVolumes': (input) => p2v.importVolumes(input),
    'p2v.start': (plan) => p2v.start(plan),
    'p2v.list': () => p2v.list(),
    'p2v.cancel': ({ id }) => p2v.cancel(id),
    'p2v.resume': ({ id }) => p2v.resume(id),
    'p2v.forget': ({ id }) => p2v.forget(id),
    'p2v.windowsSwitch': (input) => p2v.windowsSwitch(input),
  };
}
