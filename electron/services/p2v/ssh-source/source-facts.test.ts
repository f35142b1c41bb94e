import { describe, expect, it } from 'vitest';
import { mountsOf, parseCpuCount, parseIpLink, parseLsblk, parseLvm, parseMemTotal, parseOsRelease, parseSysNet } from './source-facts';

// As util-linux 2.38 prints it on a Debian 12 server with a RAID disk (LVM on sda3) and a USB stick.
const lsblk = `{
   "blockdevices": [
      {"name":"sda", "path":"/dev/sda", "size":479559942144, "type":"disk", "model":"PERC H730P Mini", "pttype":"gpt", "mountpoints":[null], "fstype":null,
         "children": [
            {"name":"sda1", "path":"/dev/sda1", "size":536870912, "type":"part", "model":null, "pttype":"gpt", "mountpoints":["/boot/efi"], "fstype":"vfat"},
            {"name":"sda2", "path":"/dev/sda2", "size":1073741824, "type":"part", "model":null, "pttype":"gpt", "mountpoints":["/boot"], "fstype":"ext4"},
            {"name":"sda3", "path":"/dev/sda3", "size":477948280832, "type":"part", "model":null, "pttype":"gpt", "mountpoints":[null], "fstype":"LVM2_member",
               "children": [
                  {"name":"vg0-root", "path":"/dev/mapper/vg0-root", "size":53687091200, "type":"lvm", "model":null, "pttype":null, "mountpoints":["/"], "fstype":"ext4"},
                  {"name":"vg0-swap", "path":"/dev/mapper/vg0-swap", "size":8589934592, "type":"lvm", "model":null, "pttype":null, "mountpoints":["[SWAP]"], "fstype":"swap"}
               ]
            }
         ]
      },
      {"name":"sdb", "path":"/dev/sdb", "size":"15518924800", "type":"disk", "model":"Cruzer Blade    ", "pttype":"dos", "mountpoints":[null], "fstype":null},
      {"name":"sr0", "path":"/dev/sr0", "size":1073741312, "type":"rom", "model":"DVD+-RW", "pttype":null, "mountpoints":[null], "fstype":null}
   ]
}`;

describe('the probe parsers', () => {
  it('reads the OS name, CPU count and memory', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(parseOsRelease('NAME="CentOS Linux"\nVERSION="7 (Core)"\n')).toBe('CentOS Linux 7 (Core)');
    expect(parseOsRelease('garbage')).toBeUndefined();
    expect(parseCpuCount('32\n')).toBe(32);
    expect(parseCpuCount('nproc: not found')).toBeUndefined();
    expect(parseMemTotal('MemTotal:       131841172 kB\nMemFree:         1234 kB\n')).toBe(131841172 * 1024);
  });

  it('lists whole disks with model, partition table and everything mounted from them (old lsblk: sizes as strings)', () => {
    expect(parseLsblk(lsblk)).toEqual([
      { device: '/dev/sda', sizeBytes: 479559942144, model: 'PERC H730P Mini', partitionTable: 'gpt', mounted: ['/boot/efi', '/boot', '/', '[SWAP]'] },
      { device: '/dev/sdb', sizeBytes: 15518924800, model: 'Cruzer Blade', partitionTable: 'mbr', mounted: [] },
    ]);
    expect(mountsOf(lsblk, '/dev/mapper/vg0-root')).toEqual(['/']);
    expect(mountsOf(lsblk, '/dev/nvme0n1')).toBeUndefined();
    expect(parseLsblk('lsblk: unknown column: MOUNTPOINTS')).toBeUndefined();
  });

  it('reads util-linux before 2.37, which has one MOUNTPOINT', () => {
    const old =
      '{"blockdevices":[{"name":"sda","path":"/dev/sda","size":"1000204886016","type":"disk","model":"ST1000NM0033","pttype":"dos","mountpoint":null,"children":[{"name":"sda1","path":"/dev/sda1","size":"1000203837440","type":"part","model":null,"pttype":"dos","mountpoint":"/"}]}]}';
    expect(parseLsblk(old)).toEqual([{ device: '/dev/sda', sizeBytes: 1000204886016, model: 'ST1000NM0033', partitionTable: 'mbr', mounted: ['/'] }]);
  });

  it('keeps the physical Ethernet NICs of ip -j -d link, not loopback, bridges, bonds or veths', () => {
    const ip = JSON.stringify([
      { ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00' },
      { ifname: 'eno1', link_type: 'ether', address: '18:66:DA:5E:2C:10' },
      { ifname: 'enp3s0f1', link_type: 'ether', address: 'a0:36:9f:11:22:33' },
      { ifname: 'br0', link_type: 'ether', address: '18:66:da:5e:2c:10', linkinfo: { info_kind: 'bridge' } },
      { ifname: 'bond0', link_type: 'ether', address: 'a0:36:9f:11:22:33', linkinfo: { info_kind: 'bond' } },
      { ifname: 'docker0', link_type: 'ether', address: '02:42:ac:11:00:01', linkinfo: { info_kind: 'bridge' } },
      { ifname: 'wg0', link_type: 'none' },
    ]);
    expect(parseIpLink(ip)).toEqual([
      { name: 'eno1', mac: '18:66:da:5e:2c:10' },
      { name: 'enp3s0f1', mac: 'a0:36:9f:11:22:33' },
    ]);
    expect(parseIpLink('Option "-j" is unknown')).toBeUndefined();
    expect(parseSysNet('eth0 00:25:90:aa:bb:cc physical\nlo 00:00:00:00:00:00 virtual\nvirbr0 52:54:00:01:02:03 virtual\n')).toEqual([
      { name: 'eth0', mac: '00:25:90:aa:bb:cc' },
    ]);
  });

  it('offers plain volumes and snapshot origins for a snapshot, with their group free space', () => {
    const lvs = JSON.stringify({
      report: [
        {
          lv: [
            { vg_name: 'vg0', lv_name: 'root', lv_size: '53687091200', lv_path: '/dev/vg0/root', lv_attr: '-wi-ao----' },
            { vg_name: 'vg0', lv_name: 'data', lv_size: '107374182400', lv_path: '/dev/vg0/data', lv_attr: 'owi-aos---' },
            { vg_name: 'vg0', lv_name: 'data-snap', lv_size: '10737418240', lv_path: '/dev/vg0/data-snap', lv_attr: 'swi-a-s---' },
            { vg_name: 'vg0', lv_name: 'pool', lv_size: '10737418240', lv_path: '', lv_attr: 'twi-aotz--' },
          ],
        },
      ],
    });
    const vgs = JSON.stringify({ report: [{ vg: [{ vg_name: 'vg0', vg_free: '21474836480' }] }] });
    expect(parseLvm(lvs, vgs)).toEqual([
      { volumeGroup: 'vg0', logicalVolume: 'root', sizeBytes: 53687091200, groupFreeBytes: 21474836480, device: '/dev/vg0/root' },
      { volumeGroup: 'vg0', logicalVolume: 'data', sizeBytes: 107374182400, groupFreeBytes: 21474836480, device: '/dev/vg0/data' },
    ]);
    expect(parseLvm('', vgs)).toBeUndefined();
  });
});
