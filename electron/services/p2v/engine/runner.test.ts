import { describe, expect, it } from 'vitest';
import { p2vStepIds, type P2vArtifact, type P2vStepId } from '../../../../shared/domain/p2v';
import { DescribedError } from '../../../../shared/text/sentence';
import { newJobRecord, type P2vJobRecord } from './job-record';
import { Interruption, prepareResume, runMigration, type RunnerOptions, type StepTable, type StepWork } from './runner';
import { jobId, testPlan } from './testing';

interface Harness {
  record: P2vJobRecord;
  ran: P2vStepId[];
  cleaned: P2vArtifact[];
  logs: string[];
  controller: AbortController;
  run(overrides?: Partial<StepTable>, options?: Partial<RunnerOptions>): Promise<unknown>;
}

/** A job whose steps only say they ran, with a cleaner that only says what it removed. */
function harness(record = newJobRecord(jobId(1), testPlan, new Date('2026-01-01T00:00:00Z'))): Harness {
  const ran: P2vStepId[] = [];
  const cleaned: P2vArtifact[] = [];
  const logs: string[] = [];
  const controller = new AbortController();
  const h: Harness = {
    record,
    ran,
    cleaned,
    logs,
    controller,
    run: (overrides = {}, options = {}) => {
      const steps = Object.fromEntries(
        p2vStepIds.map((id): [P2vStepId, StepWork] => [
          id,
          async (run) => {
            ran.push(id);
            const override = overrides[id];
            return override === undefined ? { bytes: 10 } : override(run);
          },
        ]),
      ) as StepTable;
      return runMigration(
        record,
        { signal: controller.signal, progress: () => undefined, log: (line) => logs.push(line) },
        {
          open: () => ({ steps, close: () => Promise.resolve() }),
          cleaner: {
            clean: (_record, artifact) => {
              cleaned.push(artifact);
              return Promise.resolve();
            },
          },
          persist: () => Promise.resolve(),
          ...options,
        },
      ).then(
        () => 'ok',
        (error: unknown) => error,
      );
    },
  };
  return h;
}

/** Steps that create a folder on the node, then the VM: what a later failure has to roll back. */
function creating(dir: P2vArtifact, vm: P2vArtifact): Partial<StepTable> {
  return {
    prepare: async (run) => {
      await run.created(dir);
      return {};
    },
    'create-vm': async (run) => {
      await run.created(vm);
      return {};
    },
  };
}

const states = (record: P2vJobRecord): string[] => record.view.steps.map((step) => `${step.id}:${step.state}`);

describe('runMigration', () => {
  it('runs every step in order, records each one, and ends with a report', async () => {
    const h = harness();
    expect(await h.run({ start: () => Promise.resolve({ skipped: true }) })).toBe('ok');
    expect(h.ran).toEqual([...p2vStepIds]);
    expect(h.record.view.state).toBe('succeeded');
    expect(states(h.record)).toEqual(p2vStepIds.map((id) => `${id}:${id === 'start' ? 'skipped' : 'done'}`));
    for (const step of h.record.view.steps.filter((view) => view.state === 'done')) {
      expect(step.startedAt).toBeDefined();
      expect(step.endedAt).toBeDefined();
      expect(step.bytes).toBe(10);
    }
    expect(h.record.view.report?.steps.map((step) => step.id)).toEqual(p2vStepIds.filter((id) => id !== 'start'));
  });

  it('rolls back on a failure, newest first, and says what failed and what it cleaned', async () => {
    const h = harness();
    const dir: P2vArtifact = { kind: 'node-file', ref: '/var/tmp/p2v.x', node: 'pve1' };
    const vm: P2vArtifact = { kind: 'vm', ref: '150', node: 'pve1' };
    const error = await h.run({
      ...creating(dir, vm),
      'import-disk': () => Promise.reject(new Error('qm disk import failed: storage full')),
    });
    expect(error).toBeInstanceOf(Error);
    expect(h.ran).toEqual(['inspect', 'prepare', 'transfer', 'create-vm', 'verify', 'import-disk']);
    expect(h.cleaned).toEqual([vm, dir]);
    const view = h.record.view;
    expect(view.state).toBe('failed');
    expect(view.steps.find((step) => step.id === 'import-disk')?.state).toBe('failed');
    expect(view.created).toEqual([]);
    expect(view.cleaned).toEqual([vm, dir]);
    expect(view.error).toContain('Importing the disk failed: qm disk import failed: storage full');
    expect(view.error).toContain('VM 150 on pve1');
    expect(view.error).toContain('Nothing is left behind');
  });

  it('writes the failure in French too: the step, its cause, and what the rollback did or left', async () => {
    const h = harness();
    const dir: P2vArtifact = { kind: 'node-file', ref: '/var/tmp/p2v.f', node: 'pve1' };
    const vm: P2vArtifact = { kind: 'vm', ref: '151', node: 'pve1' };
    const error = await h.run(
      {
        ...creating(dir, vm),
        // A cause written in both languages, and one left where only English exists (a server's own text).
        configure: () => Promise.reject(new DescribedError({ en: 'The config is wrong.', fr: 'La configuration est fausse.' })),
      },
      {
        cleaner: {
          clean: (_record, artifact) => (artifact.kind === 'vm' ? Promise.resolve() : Promise.reject(new Error('node unreachable'))),
        },
      },
    );
    const view = h.record.view;
    expect(view.error).toBe(
      'Configuring the VM failed: The config is wrong. Removed what it had created: VM 151 on pve1. Could not remove: /var/tmp/p2v.f on pve1 (node unreachable). Remove these by hand (or cancel the migration again to retry), then start it again.',
    );
    const french =
      'L’étape « Configurer la VM » a échoué : La configuration est fausse. Ce que la migration avait créé a été supprimé : VM 151 sur pve1. Impossible de supprimer : /var/tmp/p2v.f sur pve1 (node unreachable). Supprimez-les à la main (ou annulez de nouveau la migration pour réessayer), puis relancez-la.';
    expect(view.errorTranslations?.fr).toBe(french);
    // The error the task pane's job ends with carries it too.
    expect(error).toBeInstanceOf(DescribedError);
    expect((error as DescribedError).message).toBe(view.error);
    expect((error as DescribedError).translations?.fr).toBe(french);

    // A resume starts without the old failure, in any language.
    h.record.view.state = 'interrupted';
    prepareResume(h.record);
    expect(h.record.view.error).toBeUndefined();
    expect(h.record.view.errorTranslations).toBeUndefined();
  });

  it('says in French a cancel that had created nothing yet', async () => {
    const h = harness();
    await h.run({
      inspect: (run) =>
        new Promise((_resolve, reject) => {
          run.signal.addEventListener('abort', () => reject(new Error('command killed')));
          h.controller.abort(new Error('The job was cancelled.'));
        }),
    });
    expect(h.record.view.state).toBe('cancelled');
    expect(h.record.view.error).toBe(
      'Inspecting the source was cancelled. It had created nothing yet. Nothing is left behind; the source was only read. Fix the cause, then start the migration again.',
    );
    expect(h.record.view.errorTranslations).toEqual({
      fr: 'L’étape « Inspecter la source » a été annulée. La migration n’avait encore rien créé. Il ne reste rien ; la source a seulement été lue. Corrigez la cause, puis relancez la migration.',
    });
  });

  it('stays running while it rolls back: whoever sees it failed sees nothing left of it', async () => {
    const h = harness();
    const seen: string[] = [];
    await h.run(
      {
        prepare: async (run) => {
          await run.created({ kind: 'node-file', ref: '/var/tmp/p2v.w', node: 'pve1' });
          return {};
        },
        transfer: () => Promise.reject(new Error('broken pipe')),
      },
      {
        cleaner: {
          clean: (record) => {
            seen.push(record.view.state);
            return Promise.resolve();
          },
        },
      },
    );
    expect(seen).toEqual(['running']);
    expect(h.record.view.state).toBe('failed');
  });

  it('keeps what it could not remove in created and says so', async () => {
    const h = harness();
    const dir: P2vArtifact = { kind: 'node-file', ref: '/var/tmp/p2v.y', node: 'pve1' };
    await h.run(
      {
        prepare: async (run) => {
          await run.created(dir);
          return {};
        },
        transfer: () => Promise.reject(new Error('broken pipe')),
      },
      { cleaner: { clean: () => Promise.reject(new Error('node unreachable')) } },
    );
    expect(h.record.view.created).toEqual([dir]);
    expect(h.record.view.error).toContain('Could not remove: /var/tmp/p2v.y on pve1 (node unreachable)');
  });

  it('fails the step the test seam throws before, without running it', async () => {
    const h = harness();
    await h.run(
      {},
      {
        beforeStep: (id) => {
          if (id === 'verify') throw new Error('injected');
        },
      },
    );
    expect(h.ran).toEqual(['inspect', 'prepare', 'transfer', 'create-vm']);
    expect(h.record.view.steps.find((step) => step.id === 'verify')?.state).toBe('failed');
    expect(h.record.view.error).toContain('injected');
  });

  it('a cancel stops the running step and rolls back: cancelled', async () => {
    const h = harness();
    const vm: P2vArtifact = { kind: 'vm', ref: '150', node: 'pve1' };
    await h.run({
      'create-vm': async (run) => {
        await run.created(vm);
        return {};
      },
      configure: (run) =>
        new Promise((_resolve, reject) => {
          run.signal.addEventListener('abort', () => reject(new Error('command killed')));
          h.controller.abort(new Error('The job was cancelled.'));
        }),
    });
    expect(h.record.view.state).toBe('cancelled');
    expect(h.record.view.error).toContain('Configuring the VM was cancelled');
    expect(h.cleaned).toEqual([vm]);
  });

  it('an interruption leaves everything for a resume, which runs from the first unfinished step', async () => {
    const h = harness();
    const dir: P2vArtifact = { kind: 'node-file', ref: '/var/tmp/p2v.z', node: 'pve1' };
    await h.run({
      prepare: async (run) => {
        await run.created(dir);
        return {};
      },
      transfer: (run) =>
        new Promise((_resolve, reject) => {
          run.record.view.transfer = { segments: 1, segmentsDone: 0, allocatedBytes: 100, wireBytes: 40 };
          run.signal.addEventListener('abort', () => reject(new Error('command killed')));
          h.controller.abort(new Interruption());
        }),
    });
    expect(h.record.view.state).toBe('interrupted');
    expect(h.cleaned).toEqual([]);
    expect(h.record.view.created).toEqual([dir]);
    expect(states(h.record).slice(0, 3)).toEqual(['inspect:done', 'prepare:done', 'transfer:pending']);

    prepareResume(h.record);
    expect(h.record.work.wireBytesBefore).toBe(40);
    const resumed = harness(h.record);
    expect(await resumed.run()).toBe('ok');
    expect(resumed.ran).toEqual(['transfer', 'create-vm', 'verify', 'import-disk', 'configure', 'start']);
    expect(h.record.view.state).toBe('succeeded');
  });
});
