import { describe, expect, it } from 'vitest';
import { fstabChecklist, initramfsChecklist, nicNamesChecklist, splitFiles, vendorAgentsChecklist } from './linux-checklist';

describe('the Linux checklist', () => {
  it('flags fstab lines naming a disk by its kernel name, not UUID, LABEL or LVM paths', () => {
    const fstab = [
      '# <file system> <mount point> <type> <options> <dump> <pass>',
      '/dev/mapper/vg0-root / ext4 errors=remount-ro 0 1',
      'UUID=7c1e0a59-2f0c-4a8e-9a55-1f0b6c7e2d11 /boot ext4 defaults 0 2',
      '/dev/sda1 /boot/efi vfat umask=0077 0 1',
      'LABEL=data /srv xfs defaults 0 2',
      '/dev/cciss/c0d0p3 /var ext3 defaults 0 2',
      'proc /proc proc defaults 0 0',
      'tmpfs /tmp tmpfs defaults 0 0',
    ].join('\n');
    const item = fstabChecklist(fstab);
    expect(item).toMatchObject({
      id: 'fstab-stable-names',
      status: 'warning',
      summary: { key: 'p2v.checklist.fstabByDeviceName', params: { devices: '/dev/sda1, /dev/cciss/c0d0p3', count: 2 } },
    });
    expect(item.details[0]).toMatchObject({ key: 'p2v.checklist.details.fstabLine', params: { line: expect.stringContaining('/dev/sda1 /boot/efi') } });
    expect(fstabChecklist('UUID=x / ext4 defaults 0 1\n/dev/vg0/swap none swap sw 0 0\n').status).toBe('ok');
    expect(fstabChecklist(undefined)).toMatchObject({
      status: 'warning',
      summary: { key: 'p2v.checklist.unread', params: { what: '/etc/fstab' } },
      details: [],
    });
  });

  it('finds the virtio modules in the initramfs or built into the kernel, and names the missing ones', () => {
    const debian = [
      'usr/lib/modules/6.1.0-18-amd64/kernel/drivers/virtio/virtio_pci.ko',
      'usr/lib/modules/6.1.0-18-amd64/kernel/drivers/block/virtio_blk.ko.xz',
      'usr/lib/modules/6.1.0-18-amd64/kernel/drivers/scsi/megaraid/megaraid_sas.ko',
    ].join('\n');
    expect(initramfsChecklist(debian, 'kernel/drivers/net/virtio_net.ko\n')).toMatchObject({
      status: 'warning',
      summary: { key: 'p2v.checklist.virtioMissing', params: { modules: 'virtio_scsi' } },
      details: [{ key: 'p2v.checklist.details.virtioMissing', params: { modules: 'virtio_scsi', drivers: 'virtio_scsi' } }],
    });
    const rhel = 'drwxr-xr-x ... usr/lib/modules/5.14.0/kernel/drivers/virtio/virtio_pci.ko.zst\n virtio_blk.ko.xz\n virtio_scsi.ko.xz\n virtio_net.ko.xz';
    expect(initramfsChecklist(rhel, undefined).status).toBe('ok');
    expect(initramfsChecklist(undefined, '')).toMatchObject({ status: 'warning', summary: { key: 'p2v.checklist.unread' } });
  });

  it('says which NICs will be renamed and which are tied to their MAC', () => {
    const nics = [
      { name: 'eno1', mac: '18:66:da:5e:2c:10' },
      { name: 'eth1', mac: '00:25:90:aa:bb:cc' },
    ];
    const files = [
      '==> /etc/udev/rules.d/70-persistent-net.rules',
      'SUBSYSTEM=="net", ACTION=="add", ATTR{address}=="00:25:90:AA:BB:CC", NAME="eth1"',
      '==> /etc/network/interfaces',
      'auto eno1',
      'iface eno1 inet static',
      '    address 192.0.2.10/24',
    ].join('\n');
    expect(splitFiles(files).map((file) => file.path)).toEqual(['/etc/udev/rules.d/70-persistent-net.rules', '/etc/network/interfaces']);
    const item = nicNamesChecklist(nics, files);
    expect(item).toMatchObject({ id: 'nic-names', status: 'warning', summary: { key: 'p2v.checklist.nicsRenamed', params: { nics: 'eno1' } } });
    expect(item.details).toEqual([
      { key: 'p2v.checklist.details.nicRenamedNamed', params: { nic: 'eno1', mac: '18:66:da:5e:2c:10', files: '/etc/network/interfaces' } },
      { key: 'p2v.checklist.details.nicTied', params: { nic: 'eth1', mac: '00:25:90:aa:bb:cc', file: '/etc/udev/rules.d/70-persistent-net.rules' } },
    ]);
    expect(nicNamesChecklist([{ name: 'eth0', mac: '52:54:00:12:34:56' }], '').details).toEqual([
      { key: 'p2v.checklist.details.nicRenamed', params: { nic: 'eth0', mac: '52:54:00:12:34:56' } },
    ]);
    const link = '==> /etc/systemd/network/10-lan.link\n[Match]\nMACAddress=18:66:da:5e:2c:10\n[Link]\nName=lan0\n';
    expect(nicNamesChecklist([{ name: 'lan0', mac: '18:66:da:5e:2c:10' }], link).status).toBe('ok');
    const netplan =
      '==> /etc/netplan/01.yaml\nnetwork:\n  ethernets:\n    uplink:\n      match:\n        macaddress: 18:66:da:5e:2c:10\n      set-name: uplink\n';
    expect(nicNamesChecklist([{ name: 'uplink', mac: '18:66:da:5e:2c:10' }], netplan).status).toBe('ok');
  });

  it('lists hardware vendor and backup agents among the installed packages', () => {
    const packages = [
      'base-files',
      'srvadmin-all',
      'srvadmin-idrac',
      'hp-health',
      'ssacli',
      'bacula-fd',
      'bacula-common',
      'veeam',
      'openssh-server',
      'lgtoclnt',
    ].join('\n');
    const item = vendorAgentsChecklist(packages);
    expect(item).toMatchObject({
      status: 'warning',
      summary: { key: 'p2v.checklist.agentsFound', params: { packages: 'srvadmin-all, srvadmin-idrac, hp-health, ssacli, bacula-fd, veeam, lgtoclnt' } },
    });
    expect(item.details).toContainEqual({ key: 'p2v.checklist.details.agent', params: { name: 'srvadmin-all', vendor: 'Dell OpenManage' } });
    expect(vendorAgentsChecklist('bash\ncoreutils\n').status).toBe('ok');
    expect(vendorAgentsChecklist(undefined).summary.key).toBe('p2v.checklist.unread');
  });
});
