/** The workstation side of the P2V data path: a read-only NBD export of one image file, for the node's qemu-img. */
export { BLOCK_SIZE as DIGEST_BLOCK_SIZE } from './block-map';
export { startNbdExport, type NbdExportOptions, type NbdFileExport } from './nbd-export';
