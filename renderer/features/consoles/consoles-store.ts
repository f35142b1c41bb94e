import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { consoleKey, provisionalTitle } from './console-target';

/** One console tab of the main window. */
export interface OpenConsole {
  /** `consoleKey(target)`: one tab per console. */
  id: string;
  target: ConsoleTarget;
  /** What the tab is called; main's own title replaces it once the console answers. */
  title: string;
}

/** The consoles open as tabs in the main window and which one is shown; a detached console leaves this list. */
export const useConsolesStore = defineStore('consoles', () => {
  const tabs = ref<OpenConsole[]>([]);
  const activeId = ref<string>();

  const count = computed(() => tabs.value.length);
  const active = computed(() => tabs.value.find((tab) => tab.id === activeId.value));

  /** Shows the console's tab, adding it when it is not open yet. */
  function open(target: ConsoleTarget, title?: string): OpenConsole {
    const id = consoleKey(target);
    let tab = tabs.value.find((candidate) => candidate.id === id);
    if (tab === undefined) {
      tab = { id, target, title: title ?? provisionalTitle(target) };
      tabs.value.push(tab);
    }
    activeId.value = id;
    return tab;
  }

  /** Closes a tab; the tab beside it (the next, else the previous) becomes the shown one. */
  function close(id: string): void {
    const index = tabs.value.findIndex((tab) => tab.id === id);
    if (index < 0) return;
    tabs.value.splice(index, 1);
    if (activeId.value === id) activeId.value = (tabs.value[index] ?? tabs.value[index - 1])?.id;
  }

  function activate(id: string): void {
    if (tabs.value.some((tab) => tab.id === id)) activeId.value = id;
  }

  function rename(id: string, title: string): void {
    const tab = tabs.value.find((candidate) => candidate.id === id);
    if (tab !== undefined) tab.title = title;
  }

  return { tabs, activeId, active, count, open, close, activate, rename };
});
