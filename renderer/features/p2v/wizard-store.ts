import { defineStore } from 'pinia';
import { reactive, ref, shallowReactive, shallowRef } from 'vue';
import type { P2vTarget } from '../../../shared/domain/p2v';
import { emptyDraft, type WizardFindings, type WizardStep } from './wizard-draft';

/**
 * The wizard as the user left it: the draft, what the host found, the step shown, and the migration it started
 * (or the one opened from the list). Kept in a store so leaving the page and coming back loses nothing.
 */
export const useWizardStore = defineStore('p2v-wizard', () => {
  const draft = reactive(emptyDraft());
  const findings = shallowReactive<WizardFindings>({});
  const step = ref<WizardStep>('source');
  /** The target step's choices once they are all valid (it knows the storages), else undefined. */
  const target = shallowRef<P2vTarget>();
  /** The user pressed Next on an incomplete step: it now says every problem. */
  const attempted = ref(false);
  /** The migration the last steps show. */
  const jobId = ref<string>();

  /** A new migration from the first step: nothing of the previous one is kept. */
  function restart(): void {
    Object.assign(draft, emptyDraft());
    delete findings.image;
    delete findings.ssh;
    delete findings.inspection;
    target.value = undefined;
    attempted.value = false;
    jobId.value = undefined;
    step.value = 'source';
  }

  /** Shows a migration of the list: its progress while it runs, its report once it ended. */
  function show(id: string, ended: boolean): void {
    jobId.value = id;
    step.value = ended ? 'report' : 'progress';
  }

  return { draft, findings, target, attempted, step, jobId, restart, show };
});
