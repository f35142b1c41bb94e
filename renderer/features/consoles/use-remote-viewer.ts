import { useDialog, useMessage } from 'naive-ui';
import { h } from 'vue';
import { useI18n } from 'vue-i18n';
import type { RemoteViewerInstallHint } from '../../../shared/domain/consoles';
import { useIpc } from '../../platform/use-ipc';
import { useNotify } from '../../platform/use-notify';

type GuestRef = { profileId: string; node: string; vmid: number };

/** The command that installs remote-viewer, where the system has one (commands read the same in every language). */
const installCommands: Partial<Record<RemoteViewerInstallHint, string>> = {
  debian: 'sudo apt install virt-viewer',
  fedora: 'sudo dnf install virt-viewer',
  arch: 'sudo pacman -S virt-viewer',
  suse: 'sudo zypper install virt-viewer',
  macos: 'brew install virt-viewer',
};

/**
 * "Open in remote-viewer": main writes the `.vv` file and starts remote-viewer; when it is not installed, a dialog
 * says how to install it on this system.
 */
export function useRemoteViewer() {
  const ipc = useIpc();
  const dialog = useDialog();
  const message = useMessage();
  const notify = useNotify();
  const { t } = useI18n();

  function explainInstall(hint: RemoteViewerInstallHint): void {
    const command = installCommands[hint];
    dialog.info({
      title: t('consoles.common.remoteViewer.missingTitle'),
      positiveText: t('consoles.common.clipboard.close'),
      content: () =>
        h('div', { 'data-testid': 'remote-viewer-install' }, [
          h('p', t('consoles.common.remoteViewer.missing')),
          command === undefined
            ? h('p', t(`consoles.common.remoteViewer.${hint === 'windows' ? 'windows' : 'other'}`))
            : h('p', [t('consoles.common.remoteViewer.runCommand'), ' ', h('code', { 'data-testid': 'remote-viewer-command' }, command)]),
        ]),
    });
  }

  async function open(guest: GuestRef, title: string): Promise<void> {
    try {
      const launch = await ipc.call('consoles.openRemoteViewer', guest);
      if (launch.launched) message.success(t('consoles.common.remoteViewer.launched', { guest: title }));
      else explainInstall(launch.installHint);
    } catch (error) {
      notify.failure('consoles.common.remoteViewer.failed', error);
    }
  }

  return { open };
}
