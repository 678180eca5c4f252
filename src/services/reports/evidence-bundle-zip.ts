/**
 * Streaming zip for the evidence bundle (fflate): files are deflated and hashed as they are
 * written, so a delivery list of a million rows never sits in memory; reading streams the
 * archive in order and hands each file's bytes to a consumer. fflate writes no Zip64, so one
 * file stays under 4 GiB (a million delivery rows are about 200 MB).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { Unzip, UnzipInflate, Zip, ZipDeflate } from 'fflate';
import type { ManifestFile } from '../../domain/evidence-bundle.js';

/** Bytes gathered before they are handed to the deflater (fewer, larger pushes). */
const CHUNK = 256 * 1024;

/** Writes a zip to a file, one entry at a time, recording each entry's SHA-256 and size. */
export class BundleZipWriter {
  readonly files: ManifestFile[] = [];
  private readonly out: fs.WriteStream;
  private readonly zip: Zip;
  private error: Error | null = null;
  private congested = false;
  private readonly closed: Promise<void>;

  constructor(file: string) {
    this.out = fs.createWriteStream(file, { mode: 0o600 });
    this.closed = new Promise((resolve, reject) => {
      this.out.on('close', resolve);
      this.out.on('error', reject);
    });
    this.closed.catch(() => undefined);
    this.zip = new Zip((err, data, final) => {
      if (err) {
        this.error = err;
        return;
      }
      if (!this.out.write(data)) this.congested = true;
      if (final) this.out.end();
    });
  }

  /** Adds a file whose whole content is at hand (JSON, a PDF). */
  async addFile(path: string, body: Buffer | string): Promise<void> {
    await this.addStream(path, [body]);
  }

  /** Adds a file from chunks produced one after another (CSV rows page by page). */
  async addStream(
    path: string,
    chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  ): Promise<ManifestFile> {
    const entry = new ZipDeflate(path, { level: 6 });
    this.zip.add(entry);
    const hash = createHash('sha256');
    let bytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (final: boolean): Promise<void> => {
      const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      hash.update(data);
      bytes += data.length;
      entry.push(data, final);
      this.check();
      if (this.congested) {
        this.congested = false;
        await once(this.out, 'drain');
      }
    };
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= CHUNK) await flush(false);
    }
    await flush(true);
    const file = { path, sha256: hash.digest('hex'), bytes };
    this.files.push(file);
    return file;
  }

  /** Ends the archive and waits until it is on disk. */
  async close(): Promise<void> {
    this.zip.end();
    this.check();
    await this.closed;
  }

  /** Stops writing and leaves no half file behind. */
  async abort(file: string): Promise<void> {
    this.zip.terminate();
    this.out.destroy();
    await fs.promises.rm(file, { force: true });
  }

  private check(): void {
    if (this.error) throw this.error;
  }
}

/** What a reader does with one file of the archive: gets its bytes in order, then the end. */
export interface ZipEntryConsumer {
  data(chunk: Uint8Array): void;
  end(): void;
}

/**
 * Streams a zip file and calls `onEntry` for each file in archive order. The SHA-256 of
 * every file is computed on the way and passed to `onHashed`.
 */
export async function readZipEntries(
  file: string,
  onEntry: (name: string) => ZipEntryConsumer | null,
  onHashed: (name: string, sha256: string, bytes: number) => void,
): Promise<void> {
  // Set from fflate's callbacks; an object so the checks after each push see the update.
  const state: { failure: Error | null } = { failure: null };
  const unzip = new Unzip((entry) => {
    const consumer = onEntry(entry.name);
    const hash: Hash = createHash('sha256');
    let bytes = 0;
    entry.ondata = (err, data, final) => {
      if (err) {
        state.failure ??= new Error(`${entry.name}: ${err.message}`);
        return;
      }
      hash.update(data);
      bytes += data.length;
      consumer?.data(data);
      if (final) {
        consumer?.end();
        onHashed(entry.name, hash.digest('hex'), bytes);
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) {
    unzip.push(chunk as Buffer, false);
    if (state.failure) throw state.failure;
  }
  unzip.push(new Uint8Array(0), true);
  if (state.failure) throw state.failure;
}

/** Splits streamed bytes into UTF-8 lines (without the newline) for a line consumer. */
export function lineConsumer(onLine: (line: string) => void): ZipEntryConsumer {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  return {
    data(chunk) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    },
    end() {
      const text = rest + decoder.decode();
      if (text !== '') onLine(text);
    },
  };
}

/** Gathers a small file whole (manifest, anchors). */
export function bufferConsumer(onDone: (body: Buffer) => void): ZipEntryConsumer {
  const parts: Uint8Array[] = [];
  return {
    data: (chunk) => parts.push(chunk),
    end: () => onDone(Buffer.concat(parts)),
  };
}
