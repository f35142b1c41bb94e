import { writeFileSync } from 'node:fs';

/**
 * A real guest for serial tests while no Linux guest image is at hand: a
 * 512-byte boot sector that SeaBIOS loads at 0x7c00, which writes a banner
 * to COM1 and then echoes every byte it receives, by polling the 16550 UART.
 * Hand-assembled 16-bit x86 (offsets in the comments):
 *
 *  00 cld                      fc
 *  01 xor ax,ax ; mov ds,ax    31 c0 8e d8
 *  05 mov si,banner            be 34 7c
 *  08 print: lodsb             ac
 *  09 test al,al ; jz echo     84 c0 74 05
 *  0d call putc                e8 13 00
 *  10 jmp print                eb f6
 *  12 echo: mov dx,0x3fd       ba fd 03
 *  15 rx: in al,dx             ec
 *  16 test al,1 ; jz rx        a8 01 74 fb
 *  1a mov dx,0x3f8 ; in al,dx  ba f8 03 ec
 *  1e call putc                e8 02 00
 *  21 jmp echo                 eb ef
 *  23 putc: mov ah,al          88 c4
 *  25 mov dx,0x3fd             ba fd 03
 *  28 tx: in al,dx             ec
 *  29 test al,0x20 ; jz tx     a8 20 74 fb
 *  2d mov al,ah                88 e0
 *  2f mov dx,0x3f8 ; out dx,al ba f8 03 ee
 *  33 ret                      c3
 *  34 banner: "LAB-SERIAL-READY\r\n\0"
 */
export const SERIAL_BANNER = 'LAB-SERIAL-READY';

const CODE = [
  0xfc, 0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x34, 0x7c, 0xac, 0x84, 0xc0, 0x74, 0x05, 0xe8, 0x13, 0x00, 0xeb, 0xf6, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb,
  0xba, 0xf8, 0x03, 0xec, 0xe8, 0x02, 0x00, 0xeb, 0xef, 0x88, 0xc4, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x88, 0xe0, 0xba, 0xf8, 0x03, 0xee, 0xc3,
];

export function writeSerialEchoDisk(path: string): void {
  const disk = Buffer.alloc(64 * 1024);
  Buffer.from(CODE).copy(disk, 0);
  Buffer.from(`${SERIAL_BANNER}\r\n\0`, 'latin1').copy(disk, CODE.length);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  writeFileSync(path, disk);
}
