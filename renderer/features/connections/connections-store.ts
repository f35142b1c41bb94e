import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConnectionList, HostKeyQuestion, ProfileView, SecretBackendView } from '../../../shared/domain/connections';
import { useIpc } from '../../platform/use-ipc';

/**
 * The connection profiles with their live state, and the SSH host-key
 * questions waiting for an answer. The host pushes the whole list on every
 * change, so the store only replaces it; it never holds a secret.
 */
export const useConnectionsStore = defineStore('connections', () => {
  const ipc = useIpc();
  const profiles = ref<ProfileView[]>([]);
  const secretBackend = ref<SecretBackendView>();
  const loaded = ref(false);
  const loadError = ref<unknown>();
  const hostKeyQuestions = ref<HostKeyQuestion[]>([]);
  let started: Promise<void> | undefined;
  // Counts pushed lists, so a slower `connections.list` answer never overwrites a newer push.
  let generation = 0;

  function apply(list: ConnectionList): void {
    profiles.value = list.profiles;
    secretBackend.value = list.secretBackend;
    loaded.value = true;
    loadError.value = undefined;
  }

  async function reload(): Promise<void> {
    const asked = generation;
    try {
      const list = await ipc.call('connections.list', {});
      if (asked === generation) apply(list);
    } catch (error) {
      loadError.value = error;
    }
  }

  function subscribe(): void {
    ipc.on('connections.changed', (list) => {
      generation++;
      apply(list);
    });
    ipc.on('connections.hostKeyQuestion', (question) => {
      if (!hostKeyQuestions.value.some((queued) => queued.questionId === question.questionId)) hostKeyQuestions.value.push(question);
    });
    ipc.on('connections.hostKeyAnswered', ({ questionId }) => dropQuestion(questionId));
  }

  /** Subscribes and loads once, whichever component asks first. */
  function start(): Promise<void> {
    started ??= (async () => {
      subscribe();
      await reload();
    })();
    return started;
  }

  /** Shows what a call answered at once, without waiting for the pushed list. */
  function upsert(view: ProfileView): void {
    const index = profiles.value.findIndex((profile) => profile.id === view.id);
    if (index < 0) profiles.value.push(view);
    else profiles.value.splice(index, 1, view);
  }

  function remove(id: string): void {
    profiles.value = profiles.value.filter((profile) => profile.id !== id);
  }

  function dropQuestion(questionId: string): void {
    hostKeyQuestions.value = hostKeyQuestions.value.filter((question) => question.questionId !== questionId);
  }

  return { profiles, secretBackend, loaded, loadError, hostKeyQuestions, start, reload, upsert, remove, dropQuestion };
});
