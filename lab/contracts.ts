/**
 * The seams between the lab's parts. The API layer (lab/api) owns the cluster
 * model and speaks PVE's REST API; it calls the QEMU runtime (lab/qemu) for
 * everything that touches a real guest, and the console gateway
 * (lab/consoles) for the vnc/spice/term proxies. Each part is built and
 * tested on its own against these interfaces.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A storage as PVE describes it; `path` is where its content lives on this machine. */
export interface LabStorage {
  id: string; // 'local' | 'shared'
  type: 'dir';
  shared: boolean;
  content: readonly ('images' | 'iso' | 'import' | 'backup')[];
  /** For a node-local storage the path differs per node. */
  pathOn(node: string): string;
}

export interface LabNodeInfo {
  name: string;
  cluster: string;
  /** Folder of this node's own files (local storage, sockets, logs). */
  dir: string;
  online: boolean;
}

/** What a long operation may do while it runs; it becomes a PVE task with a UPID. */
export interface TaskContext {
  /** Appends a line to the task log, as PVE's task logs show progress. */
  log(line: string): void;
  /** Aborted when the task is stopped through DELETE /nodes/{n}/tasks/{upid}. */
  signal: AbortSignal;
}

/** A guest's PVE config: the same keys and value syntax as /etc/pve/qemu-server/<vmid>.conf. */
export type GuestConfig = Record<string, string>;

export interface BackupOptions {
  mode: 'snapshot' | 'suspend' | 'stop';
  archivePath: string;
  diskPaths: Record<string, string>;
  /** vzdump's `bwlimit`: KiB/s, unlimited when absent or 0. */
  bwlimit?: number;
}

export interface GuestRef {
  vmid: number;
  node: string;
  config: GuestConfig;
}

export type QmpStatus = 'running' | 'paused' | 'suspended' | 'prelaunch' | 'inmigrate' | 'postmigrate' | 'shutdown';

export interface RunningGuestInfo {
  pid: number;
  qmpstatus: QmpStatus;
  startedAt: number; // epoch seconds
  /** TCP port on 127.0.0.1 of QEMU's own VNC server (password auth, RFB type 2). */
  vncPort: number;
  /** TLS-only SPICE port on 127.0.0.1, or undefined when the display is not SPICE-capable. */
  spiceTlsPort?: number;
  /** Unix socket of serial0 when the config has `serial0: socket`. */
  serialSocket?: string;
}

export interface GuestSample {
  cpu: number; // fraction of its vCPUs, 0..cpus
  mem: number; // bytes in use
  netin: number; // cumulative bytes
  netout: number;
  diskread: number;
  diskwrite: number;
}

/**
 * Real QEMU behind every guest operation. All long calls take a TaskContext
 * and resolve when the operation is done (or reject with an Error whose
 * message becomes the task's exit status).
 */
export interface GuestRuntime {
  info(vmid: number): RunningGuestInfo | undefined;
  sample(vmid: number): Promise<GuestSample | undefined>;

  start(guest: GuestRef, task: TaskContext): Promise<void>;
  stop(vmid: number, task: TaskContext): Promise<void>;
  /** ACPI shutdown; after timeoutSeconds, stops hard when forceStop, else rejects. */
  shutdown(vmid: number, options: { timeoutSeconds: number; forceStop: boolean }, task: TaskContext): Promise<void>;
  /** Shutdown then a new QEMU process; `next` is the config to start with (the pending changes applied), else the running one. */
  reboot(vmid: number, task: TaskContext, next?: GuestRef): Promise<void>;
  reset(vmid: number, task: TaskContext): Promise<void>;
  suspend(vmid: number, options: { toDisk: boolean; statePath?: string }, task: TaskContext): Promise<void>;
  resume(vmid: number, task: TaskContext): Promise<void>;

  snapshotCreate(guest: GuestRef, name: string, options: { vmstate: boolean }, task: TaskContext): Promise<void>;
  snapshotRollback(guest: GuestRef, name: string, task: TaskContext): Promise<void>;
  snapshotDelete(guest: GuestRef, name: string, task: TaskContext): Promise<void>;

  /**
   * Hot-plugs a NIC (`netN`) or a SCSI/VirtIO disk (its image at `imagePath`) into the running guest, as qemu-server's
   * `vm_deviceplug`; `unplugDevice` removes one (device_del until QEMU has dropped it, then its drive or netdev).
   */
  plugDevice(vmid: number, key: string, value: string, imagePath?: string): Promise<void>;
  unplugDevice(vmid: number, key: string): Promise<void>;
  /** Puts another medium in a running guest's CD drive (`imagePath` undefined: ejects it), as `change_medium`. */
  changeMedium(vmid: number, key: string, imagePath: string | undefined): Promise<void>;

  /** Grows the image (qemu-img resize when stopped, QMP block_resize when running). */
  resizeDisk(guest: GuestRef, disk: string, imagePath: string, newSizeBytes: number, task: TaskContext): Promise<void>;
  /** Copies a disk image to a new path/format: QMP drive-mirror when running, qemu-img convert when stopped. */
  moveDisk(guest: GuestRef, disk: string, from: string, to: { path: string; format: 'raw' | 'qcow2' | 'vmdk' }, task: TaskContext): Promise<void>;
  /** qemu-img convert of an image into a new disk; reports progress in the task log. */
  importImage(source: string, target: { path: string; format: 'raw' | 'qcow2' | 'vmdk' }, task: TaskContext): Promise<void>;
  /** Writes a backup archive of the guest's disks and config; restores one into new images. */
  backup(guest: GuestRef, options: BackupOptions, task: TaskContext): Promise<void>;
  /** `targetDiskPaths` gets each disk's key and its value in the archived config (to keep its storage), and says where it goes. */
  restore(archivePath: string, targetDiskPaths: (disk: string, archived: string) => string, task: TaskContext): Promise<GuestConfig>;

  /** Live when running (real QEMU migration to a new process on the target node), offline otherwise. */
  migrate(guest: GuestRef, targetNode: string, task: TaskContext): Promise<void>;

  /** One-time VNC password, as PVE sets before each vncproxy. */
  setVncPassword(vmid: number, password: string): Promise<void>;
  /** SPICE ticket password with expiry, as PVE sets before each spiceproxy. */
  setSpicePassword(vmid: number, password: string, validSeconds: number): Promise<void>;

  /** Stops every QEMU process; called at lab shutdown. */
  shutdownAll(): Promise<void>;
}

/** The SPICE TLS material the lab's QEMU uses: CA (PEM) and the certificate subject the client must match. */
export interface SpiceTlsMaterial {
  caPem: string;
  hostSubject: string;
  /** Folder QEMU's -spice x509-dir points at (ca-cert.pem, server-cert.pem, server-key.pem). */
  x509Dir: string;
}

/** Consoles: the listeners PVE's vncproxy/termproxy/spiceproxy create, checked by one-time tickets. */
/** A console listener handed out by vncproxy/termproxy. */
export interface ConsoleProxy {
  port: number;
  /** Settles when its session is over, or with `no client` when none came in time: PVE's console task runs until then. */
  ended: Promise<'session ended' | 'no client'>;
}

export interface ConsoleGateway {
  /** Opens a one-shot listener forwarding to QEMU's VNC port; returns the port the vncwebsocket must use. */
  openVncProxy(target: { host: string; port: number }, options: { ticket: string; listensOn: string }): Promise<ConsoleProxy>;
  /** Opens a one-shot termproxy listener bridging PVE's framing to a unix socket (serial) or a node shell. */
  openTermProxy(
    target: { kind: 'serial'; socketPath: string } | { kind: 'shell'; node: string },
    options: { user: string; ticket: string; listensOn: string },
  ): Promise<ConsoleProxy>;
  /**
   * Bridges an authenticated vncwebsocket upgrade, arrived on node `arrivedOn`, to the proxy listener on `port`
   * after checking `vncticket`. Listeners are local to the node that answered vncproxy/termproxy (`listensOn`), as on PVE.
   */
  handleVncWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer, port: number, vncticket: string, arrivedOn: string): void;
  /** The CONNECT proxy in front of QEMU's TLS SPICE ports (PVE's port 3128); returns its port. */
  spiceProxyPort(): number;
  /** A signed, short-lived proxy ticket for the Host: header of CONNECT, allowing one guest's SPICE port. */
  issueSpiceProxyTicket(target: { node: string; vmid: number; tlsPort: number }): string;
  close(): Promise<void>;
}
