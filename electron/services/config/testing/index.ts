/** Test helpers of config that other folders' tests use: a tiny disk to fill and make read-only. */
export { mountTinyDisk, type TinyDisk } from './tiny-disk';
