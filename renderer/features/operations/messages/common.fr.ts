import { commonEn } from './common.en';

/** French names the operations dialogs and tabs share: the same keys as English. */
export const commonFr: typeof commonEn = {
  buses: { scsi: 'SCSI', virtio: 'VirtIO bloc', sata: 'SATA', ide: 'IDE' },
  formats: { raw: 'Image disque brute (raw)', qcow2: 'Image QEMU (qcow2)', vmdk: 'Image VMware (vmdk)' },
  // Product names: only VirtIO's description is said in French.
  nicModels: { ...commonEn.nicModels, virtio: 'VirtIO (paravirtualisée)' },
  // Release names read the same; only the words around them are French.
  osTypes: { ...commonEn.osTypes, l26: 'Linux 6.x – noyau 2.6', l24: 'Linux noyau 2.4', solaris: 'Noyau Solaris', other: 'Autre' },
};
