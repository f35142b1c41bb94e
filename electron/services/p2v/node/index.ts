/**
 * What P2V does on a PVE node over SSH: qemu-img's answers about an image,
 * the job's private folder and raw staging file, the conversion into it, its
 * digest, the comparison of two images, the import into a VM, and uploads.
 * Every qemu-img call names the format; every argument is shell-quoted.
 */
export { compareImages, type ImageComparison } from './compare';
export { convertIntoFile, type ConvertIntoFileOptions } from './convert';
export { describeImage, type ImageRef, type NodeDisk } from './image-ref';
export { importDisk, type ImportDiskOptions } from './import-disk';
export { NodeCommandError, type NodeShell } from './node-command';
export { fileSize, freeBytes, makeWorkDir, removePath } from './node-files';
export { partitionTableOf, type PartitionTable } from './partition-table';
export { qemuImgCheck, qemuImgInfo, qemuImgMeasure, type QemuImgCheck, type QemuImgInfo, type QemuImgMeasure } from './qemu-img-info';
export { HEAD_BYTES, readHead } from './read-head';
export { shellCommand, shellQuote } from './shell-quote';
export { DIGEST_BLOCK_SIZE, SHA256_BLOCKS_PERL, nodeFileDigest, sha256BlocksCommand } from './staging-digest';
export { createRawStaging, FALLBACK_STAGING_PARENT, stagingParent, volumePath, writtenExtentEnd } from './staging';
export { uploadFile, type UploadOptions } from './upload';
