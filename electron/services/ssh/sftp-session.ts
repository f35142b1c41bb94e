import type { SFTPWrapper, Stats } from 'ssh2';
import { sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { SshError } from './ssh-error';

/**
 * Bigger requests than ssh2's default 32 KiB: OpenSSH's sftp-server answers
 * reads and writes up to 255 KiB (its limits@openssh.com), which roughly
 * doubles disk-image transfers (`npm run bench`); ssh2 splits a request
 * for servers that announce less. 32 in flight keep 8 MiB buffered.
 */
const transferOptions = { chunkSize: 255 * 1024, concurrency: 32 };

export interface RemoteStat {
  size: number;
  mode: number;
  mtime: Date;
  isFile: boolean;
  isDirectory: boolean;
}

/**
 * One SFTP channel with promise methods for what the app does; `raw` for the
 * rest. Close it when done: each open channel counts against the server's
 * MaxSessions.
 */
export class SftpSession {
  constructor(readonly raw: SFTPWrapper) {}

  put(localPath: string, remotePath: string): Promise<void> {
    return this.call({ en: `upload ${localPath} to ${remotePath}`, fr: `d’envoyer ${localPath} vers ${remotePath}` }, (done) =>
      this.raw.fastPut(localPath, remotePath, transferOptions, done),
    );
  }

  get(remotePath: string, localPath: string): Promise<void> {
    return this.call({ en: `download ${remotePath}`, fr: `de télécharger ${remotePath}` }, (done) =>
      this.raw.fastGet(remotePath, localPath, transferOptions, done),
    );
  }

  async stat(remotePath: string): Promise<RemoteStat> {
    const stats = await this.call<Stats>({ en: `stat ${remotePath}`, fr: `de lire les attributs de ${remotePath}` }, (done) => this.raw.stat(remotePath, done));
    return {
      size: stats.size,
      mode: stats.mode,
      mtime: new Date(stats.mtime * 1000),
      isFile: stats.isFile(),
      isDirectory: stats.isDirectory(),
    };
  }

  readFile(remotePath: string): Promise<Buffer> {
    return this.call({ en: `read ${remotePath}`, fr: `de lire ${remotePath}` }, (done) => this.raw.readFile(remotePath, done));
  }

  writeFile(remotePath: string, data: string | Buffer): Promise<void> {
    return this.call({ en: `write ${remotePath}`, fr: `d’écrire ${remotePath}` }, (done) => this.raw.writeFile(remotePath, data, done));
  }

  mkdir(remotePath: string): Promise<void> {
    return this.call({ en: `create ${remotePath}`, fr: `de créer le répertoire ${remotePath}` }, (done) => this.raw.mkdir(remotePath, done));
  }

  unlink(remotePath: string): Promise<void> {
    return this.call({ en: `delete ${remotePath}`, fr: `de supprimer ${remotePath}` }, (done) => this.raw.unlink(remotePath, done));
  }

  close(): void {
    this.raw.end();
  }

  /** `what` says what was asked, in English after "could not", in French after "Impossible". */
  private call<T = void>(what: Sentence, start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      start((error, value) => {
        if (error) {
          const cause = sentenceOfError(error);
          reject(
            new SshError(
              'CHANNEL_FAILED',
              { en: `SFTP could not ${what.en}: ${cause.en}.`, fr: `Impossible ${what.fr} par SFTP : ${cause.fr}.` },
              { cause: error },
            ),
          );
        } else resolve(value as T);
      });
    });
  }
}
