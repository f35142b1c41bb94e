/**
 * What the environment may change in how the Electron app starts. Development
 * runs (`npm run dev`, `npm start`) point the app at the dev server, at a
 * throwaway config folder and at the lab cluster's ready file; an installed
 * app ignores all three, so an environment inherited from a developer's shell
 * or set by another program cannot load pages from elsewhere, swap the
 * profiles and pinned certificates, or seed profiles holding the lab's passwords.
 */
export interface LaunchEnvironment {
  /** electron-vite's dev server, whose origin is then trusted like app://. */
  devServerUrl?: string;
  configDir: string;
  /** The lab's LAB READY answer, turned into ready profiles. */
  labReadyFile?: string;
}

export function launchEnvironment(options: { isPackaged: boolean; env: NodeJS.ProcessEnv; standardConfigDir: string }): LaunchEnvironment {
  const { env, standardConfigDir } = options;
  if (options.isPackaged) return { configDir: standardConfigDir };
  return {
    configDir: env.PVE_DESK_CONFIG_DIR || standardConfigDir,
    ...(env.ELECTRON_RENDERER_URL ? { devServerUrl: env.ELECTRON_RENDERER_URL } : {}),
    ...(env.PVE_DESK_LAB_READY ? { labReadyFile: env.PVE_DESK_LAB_READY } : {}),
  };
}
