/** The public surface of the PVE service, for the connections service and the console relays. */
export { createPveClient, type PveClient, type PveClientOptions } from './client';
export type { PveClientEvent, PveClientListener } from './client-events';
export { endpointLabel, type PveEndpoint } from './endpoint';
export { PveError, isPveError, type FailedAttempt, type PveErrorCode, type PveErrorDetails } from './errors';
export type { CallLimits } from './http/api-transport';
export type { Capabilities, PermissionMap, PveRealm, PveVersion } from './api/access';
export type { ClusterResource, ClusterResourceFilter, ClusterStatus, NodeSummary } from './api/cluster';
export { migrateGuestCall, migratePreconditionCall, type MigrationPrecondition } from './api/migrate';
export { guestConfigCall, guestStatusCall } from './api/guests';
export {
  guestConsoleWebSocketPath,
  guestTermProxyCall,
  nodeConsoleWebSocketPath,
  nodeTermProxyCall,
  spiceProxyCall,
  vncProxyCall,
  type SpiceProxyAnswer,
  type TermProxyAnswer,
  type VncProxyAnswer,
} from './api/consoles';
export { guestPendingCall, updateGuestConfigCall, type PendingAnswer } from './api/config';
export { cloneGuestCall, createGuestCall, destroyGuestCall, nextVmidCall, type CloneForm } from './api/create';
export { moveDiskCall, resizeDiskCall } from './api/disks';
export { createSnapshotCall, deleteSnapshotCall, rollbackSnapshotCall, snapshotListCall, type SnapshotEntry } from './api/snapshots';
export { allocateVolumeCall, deleteVolumeCall, storageContentCall, storagesWithContentCall, type StorageContentEntry } from './api/storage';
export { backupJobsCall, createBackupJobCall, deleteBackupJobCall, updateBackupJobCall, type BackupJobEntry } from './api/backups';
export { createHaResourceCall, deleteHaResourceCall, haResourcesCall, updateHaResourceCall, type HaResourceEntry } from './api/ha';
export { rrdCall, type RrdRow } from './api/rrd';
export { bridgesCall, type NetworkEntry } from './api/network';
export type { FormValue } from './http/form';
export {
  nodeTasksCall,
  parseUpid,
  taskOwnerName,
  taskStatusCall,
  vzdumpCall,
  type TaskLogLine,
  type TaskStatus,
  type TaskSummary,
  type Upid,
  type VzdumpResult,
} from './api/tasks';
export { parseQmDiskImportOutput, type ImportedDisk } from './qm-disk-import-output';
export type { CredentialsProvider, PveAuthMethod, PveSessionInfo } from './auth/auth-method';
export type { LoginResult } from './auth/login-result';
export type { SecondFactorAnswer, SecondFactorKind } from './auth/second-factor';
export { hasPrivilege } from '../../../shared/domain/permissions';
export { connectPinned, type ConnectPinnedOptions } from './tls/connect-pinned';
export { probeCertificate } from './tls/probe-certificate';
export type { CertificateInfo } from './tls/certificate-info';
export { normalizeFingerprint, type CertificateFingerprint } from './tls/fingerprint';
export { TlsMismatchError, TlsUntrustedError, ConnectFailedError } from './tls/tls-errors';
export { TrustedAgent } from './tls/trusted-agent';
export type { LearnedPin } from './tls/learn-node-pins';
export type { TlsTrust } from './tls/trust';
export { domainsCall, permissionsCall, ticketCall, versionCall } from './api/access';
export type { ApiCall } from './api/api-call';
export { clusterResourcesCall, clusterStatusCall, nodesCall } from './api/cluster';
export type { AgentInterface } from './api/agent';
export type { GuestConfig, GuestPowerCommand, GuestStatus } from './api/guests';
export type { NodeStatus, NodeStorageEntry } from './api/nodes';
export type { PoolEntry } from './api/pools';
