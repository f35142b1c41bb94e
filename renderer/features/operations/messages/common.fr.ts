import type { commonEn } from './common.en';

/** French names the operations dialogs and tabs share: the same keys as English. */
export const commonFr: typeof commonEn = {
  buses: { scsi: 'SCSI', virtio: 'VirtIO bloc', sata: 'SATA', ide: 'IDE' },
  formats: { raw: 'Image disque brute (raw)', qcow2: 'Image QEMU (qcow2)', vmdk: 'Image VMware (vmdk)' },
  nicModels: {
    virtio: 'VirtIO (paravirtualisée)',
    e1000: 'Intel E1000',
    e1000e: 'Intel E1000E',
    rtl8139: 'Realtek RTL8139',
    vmxnet3: 'VMware vmxnet3',
  },
  osTypes: {
    l26: 'Linux 6.x – noyau 2.6',
    l24: 'Linux noyau 2.4',
    win11: 'Windows 11 / 2022 / 2025',
    win10: 'Windows 10 / 2016 / 2019',
    win8: 'Windows 8.x / 2012 / 2012 R2',
    win7: 'Windows 7 / 2008 R2',
    w2k8: 'Windows Vista / 2008',
    wvista: 'Windows Vista',
    wxp: 'Windows XP / 2003',
    w2k3: 'Windows 2003',
    w2k: 'Windows 2000',
    solaris: 'Noyau Solaris',
    other: 'Autre',
  },
};
