import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createFakeIpc } from '../testing';
import { ipcPlugin, useIpc } from './use-ipc';

/** A component that asks the host something as it mounts. */
const Probe = defineComponent(() => {
  void useIpc().call('app.info', {});
  return () => h('span');
});

describe('useIpc', () => {
  it('gives components the client the app was given, so a test passes a fake without mocking a module', async () => {
    const fake = createFakeIpc();
    fake.answer('app.info', () => ({ name: 'PVE Desk', version: '0.1.0', host: 'web' }) as never);
    mount(Probe, { global: { plugins: [ipcPlugin(fake.client)] } });
    expect(fake.callsOf('app.info')).toEqual([{}]);
  });

  it('says how to provide one when the app has none', () => {
    expect(() => mount(Probe)).toThrow(/install ipcPlugin/);
  });
});
