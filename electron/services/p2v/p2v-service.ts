// SKELETON: replaced by the engine (see /tmp/prompts13/engine.md). Every method answers that P2V is not built yet.
import type { ParsedInput } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/errors';

export interface P2vServiceOptions {
  configDir: string;
}

const notYet = (): never => {
  throw new IpcError('INTERNAL', 'P2V is not built yet.');
};

export class P2vService {
  constructor(readonly options: P2vServiceOptions) {}
  pickImage(): Promise<{ path?: string }> {
    return Promise.resolve({});
  }
  probeImage(_path: string): never {
    return notYet();
  }
  inspect(_input: ParsedInput<'p2v.inspect'>): never {
    return notYet();
  }
  probeSsh(_input: ParsedInput<'p2v.probeSsh'>): never {
    return notYet();
  }
  importVolumes(_input: ParsedInput<'p2v.importVolumes'>): never {
    return notYet();
  }
  start(_plan: ParsedInput<'p2v.start'>): never {
    return notYet();
  }
  list(): never {
    return notYet();
  }
  cancel(_id: string): never {
    return notYet();
  }
  resume(_id: string): never {
    return notYet();
  }
  forget(_id: string): never {
    return notYet();
  }
  report(_id: string): never {
    return notYet();
  }
  windowsSwitch(_input: ParsedInput<'p2v.windowsSwitch'>): never {
    return notYet();
  }
}
