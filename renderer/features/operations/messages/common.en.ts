/** English names the operations dialogs and tabs share (merged under `operations.common`): written once for create, clone and the config tabs. */
export const commonEn = {
  buses: { scsi: 'SCSI', virtio: 'VirtIO block', sata: 'SATA', ide: 'IDE' },
  formats: { raw: 'Raw disk image (raw)', qcow2: 'QEMU image (qcow2)', vmdk: 'VMware image (vmdk)' },
  nicModels: {
    virtio: 'VirtIO (paravirtualised)',
    e1000: 'Intel E1000',
    e1000e: 'Intel E1000E',
    rtl8139: 'Realtek RTL8139',
    vmxnet3: 'VMware vmxnet3',
  },
  osTypes: {
    l26: 'Linux 6.x – 2.6 kernel',
    l24: 'Linux 2.4 kernel',
    win11: 'Windows 11 / 2022 / 2025',
    win10: 'Windows 10 / 2016 / 2019',
    win8: 'Windows 8.x / 2012 / 2012 R2',
    win7: 'Windows 7 / 2008 R2',
    w2k8: 'Windows Vista / 2008',
    wvista: 'Windows Vista',
    wxp: 'Windows XP / 2003',
    w2k3: 'Windows 2003',
    w2k: 'Windows 2000',
    solaris: 'Solaris kernel',
    other: 'Other',
  },
};
