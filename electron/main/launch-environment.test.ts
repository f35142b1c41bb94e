import { describe, expect, it } from 'vitest';
import { launchEnvironment } from './launch-environment';

const standardConfigDir = '/home/ada/.config/pve-desk';
const developerShell = {
  ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173',
  PVE_DESK_CONFIG_DIR: '/tmp/elsewhere',
  PVE_DESK_LAB_READY: '/home/ada/.local/share/pve-desk/lab/ready.json',
};

describe('launchEnvironment', () => {
  it('lets a development run use the dev server, another config folder and the lab ready file', () => {
    expect(launchEnvironment({ isPackaged: false, env: developerShell, standardConfigDir })).toEqual({
      devServerUrl: 'http://127.0.0.1:5173',
      configDir: '/tmp/elsewhere',
      labReadyFile: '/home/ada/.local/share/pve-desk/lab/ready.json',
    });
  });

  it('makes an installed app ignore all three, whatever the environment says', () => {
    expect(launchEnvironment({ isPackaged: true, env: developerShell, standardConfigDir })).toEqual({ configDir: standardConfigDir });
  });

  it('uses the standard config folder when a development run sets nothing', () => {
    expect(launchEnvironment({ isPackaged: false, env: {}, standardConfigDir })).toEqual({ configDir: standardConfigDir });
  });
});
