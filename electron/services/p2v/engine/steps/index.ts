import type { MigrationDeps } from '../deps';
import type { StepTable } from '../runner';
import type { SourceAccess } from '../source-access';
import { inspectStep, prepareStep, transferStep, verifyStep } from './disk-steps';
import { configureStep, createVmStep, importDiskStep, startStep } from './vm-steps';

/** The steps of one run, sharing its access to the source (the NBD export lives as long as the run). */
export function migrationSteps(deps: MigrationDeps, access: SourceAccess): StepTable {
  return {
    inspect: (run) => inspectStep(run, deps, access),
    prepare: (run) => prepareStep(run, deps, access),
    transfer: (run) => transferStep(run, deps, access),
    verify: (run) => verifyStep(run, deps, access),
    'create-vm': (run) => createVmStep(run, deps),
    'import-disk': (run) => importDiskStep(run, deps, access),
    configure: (run) => configureStep(run, deps),
    start: (run) => startStep(run, deps),
  };
}
