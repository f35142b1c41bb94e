/** The Windows switch from SATA to virtio-blk or virtio-scsi, one step at a time, each followed by a check of the VM's config. */
export { runWindowsSwitchStep, type WindowsSwitchContext, type WindowsSwitchInput } from './run-switch-step';
