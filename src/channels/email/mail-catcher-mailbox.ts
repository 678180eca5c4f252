import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  decodeEncodedWords,
  headerSectionLines,
  headerValue,
  parseHeaderLines,
} from './smtp-message-headers.js';

/** One line of the mailbox index: what a list needs without opening the message. */
export interface MailSummary {
  id: string;
  receivedAt: string;
  /** The From header as the recipient sees it (decoded), else the envelope sender. */
  from: string;
  /** Envelope recipients: who the message was actually delivered to. */
  to: string[];
  subject: string;
  messageId: string | null;
  size: number;
  /** File name inside the mailbox directory. */
  file: string;
}

export interface MailListQuery {
  /** At most this many, newest first (default 50, at most 1000). */
  limit?: number;
  /** Only mails older than this id: pass the previous page's `next`. */
  before?: string;
  /** Case-insensitive substring of subject, from, to or Message-ID. */
  q?: string;
}

export interface MailListPage {
  mails: MailSummary[];
  /** The `before` for the next (older) page; null on the last page. */
  next: string | null;
  /** Messages currently stored. */
  total: number;
}

export const DEFAULT_MAX_MESSAGES = 10_000;
const INDEX_FILE = 'index.jsonl';
const ID_PATTERN = /^\d{10}$/;

/**
 * The catcher's store: one `.eml` file per message plus an append-only JSON-lines index.
 * Only the newest `maxMessages` are kept (older files are deleted as new ones arrive), and
 * the index is rewritten once it holds twice that many lines, so a million-message demo
 * uses a bounded amount of disk. The index is held in memory, so listing never reads files.
 */
export class Mailbox {
  readonly dir: string;
  readonly maxMessages: number;
  private entries: MailSummary[] = [];
  private nextSeq = 1;
  private indexLines = 0;
  private pending: { line: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  private writing: Promise<void> = Promise.resolve();
  private removals = new Set<Promise<void>>();

  constructor(dir: string, options: { maxMessages?: number } = {}) {
    this.dir = dir;
    this.maxMessages = Math.max(1, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
  }

  /** Loads the index, drops entries beyond the cap and deletes files the index does not know. */
  async open(): Promise<void> {
    // Mails carry customer names and personal links: the owner alone may read them.
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const loaded = await readIndex(path.join(this.dir, INDEX_FILE));
    this.indexLines = loaded.length;
    this.entries = loaded.sort((a, b) => a.id.localeCompare(b.id)).slice(-this.maxMessages);
    const last = this.entries[this.entries.length - 1];
    this.nextSeq = last ? Number(last.id) + 1 : 1;
    const keep = new Set(this.entries.map((e) => e.file));
    // Files without an index line come from a crash between the two writes, or from a lower
    // cap than last time; either way nothing can list them any more.
    for (const name of await fs.readdir(this.dir)) {
      if (name.endsWith('.eml') && !keep.has(name)) await removeFile(path.join(this.dir, name));
    }
    if (this.indexLines !== this.entries.length) await this.compact();
  }

  /** Stores a message; resolves once the file and its index line are written. */
  async add(raw: Buffer, envelope: { from: string; to: string[] }): Promise<MailSummary> {
    const id = String(this.nextSeq++).padStart(10, '0');
    const { fields } = parseHeaderLines(headerSectionLines(raw));
    const fromHeader = headerValue(fields, 'from');
    const summary: MailSummary = {
      id,
      receivedAt: new Date().toISOString(),
      from: fromHeader ? decodeEncodedWords(fromHeader) : envelope.from,
      to: envelope.to,
      subject: decodeEncodedWords(headerValue(fields, 'subject') ?? ''),
      messageId: headerValue(fields, 'message-id') ?? null,
      size: raw.length,
      file: `${id}.eml`,
    };
    await fs.writeFile(path.join(this.dir, summary.file), raw, { mode: 0o600 });
    // Listed from here on: the file is complete, and a compaction running before the index
    // line is appended already includes this entry.
    this.insert(summary);
    this.prune();
    await this.appendIndex(JSON.stringify(summary));
    return summary;
  }

  /** A page of summaries, newest first. */
  list(query: MailListQuery = {}): MailListPage {
    const limit = Math.min(Math.max(1, query.limit ?? 50), 1000);
    const needle = query.q?.trim().toLowerCase() ?? '';
    const mails: MailSummary[] = [];
    let i = this.entries.length - 1;
    if (query.before !== undefined) {
      const before = query.before;
      while (i >= 0 && (this.entries[i]?.id ?? '') >= before) i--;
    }
    for (; i >= 0 && mails.length < limit; i--) {
      const entry = this.entries[i];
      if (entry && (needle === '' || matches(entry, needle))) mails.push(entry);
    }
    const more = i >= 0 && mails.length === limit;
    return {
      mails,
      next: more ? (mails[mails.length - 1]?.id ?? null) : null,
      total: this.entries.length,
    };
  }

  /** The summary of one stored message, or undefined once it is gone. */
  find(id: string): MailSummary | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    return this.entries.find((entry) => entry.id === id);
  }

  /** The raw bytes of one message, or null if unknown or already pruned. */
  async raw(id: string): Promise<Buffer | null> {
    const entry = this.find(id);
    if (!entry) return null;
    try {
      return await fs.readFile(path.join(this.dir, entry.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Number of stored messages. */
  get size(): number {
    return this.entries.length;
  }

  /** Waits for index writes and file removals in flight. */
  async close(): Promise<void> {
    await this.writing;
    await Promise.all(this.removals);
  }

  // Concurrent connections append in one write per batch, in order, through one chain.
  private appendIndex(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${line}\n`, resolve, reject });
      if (this.pending.length > 1) return;
      this.writing = this.writing.then(async () => {
        const batch = this.pending.splice(0);
        try {
          await fs.appendFile(path.join(this.dir, INDEX_FILE), batch.map((p) => p.line).join(''), {
            mode: 0o600,
          });
          this.indexLines += batch.length;
          if (this.indexLines > 2 * this.maxMessages) await this.compact();
          for (const waiter of batch) waiter.resolve();
        } catch (error) {
          for (const waiter of batch) waiter.reject(error as Error);
        }
      });
    });
  }

  // Writes arrive slightly out of id order when connections run in parallel.
  private insert(summary: MailSummary): void {
    let i = this.entries.length;
    while (i > 0 && (this.entries[i - 1]?.id ?? '') > summary.id) i--;
    this.entries.splice(i, 0, summary);
  }

  private prune(): void {
    const excess = this.entries.length - this.maxMessages;
    if (excess <= 0) return;
    for (const old of this.entries.splice(0, excess)) {
      const removal = removeFile(path.join(this.dir, old.file));
      this.removals.add(removal);
      void removal.finally(() => this.removals.delete(removal));
    }
  }

  /** Rewrites the index with the kept entries only (write, then rename: never half a file). */
  private async compact(): Promise<void> {
    const file = path.join(this.dir, INDEX_FILE);
    const kept = this.entries.slice(-this.maxMessages);
    await fs.writeFile(`${file}.tmp`, kept.map((e) => `${JSON.stringify(e)}\n`).join(''), {
      mode: 0o600,
    });
    await fs.rename(`${file}.tmp`, file);
    this.indexLines = kept.length;
  }
}

function matches(entry: MailSummary, needle: string): boolean {
  return (
    entry.subject.toLowerCase().includes(needle) ||
    entry.from.toLowerCase().includes(needle) ||
    entry.to.some((to) => to.toLowerCase().includes(needle)) ||
    (entry.messageId?.toLowerCase().includes(needle) ?? false)
  );
}

async function readIndex(file: string): Promise<MailSummary[]> {
  const byId = new Map<string, MailSummary>();
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      const entry = parseIndexLine(line);
      if (entry) byId.set(entry.id, entry);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return [...byId.values()];
}

/** A torn last line (a crash mid-append) or a hand-edited one is skipped, not fatal. */
function parseIndexLine(line: string): MailSummary | null {
  try {
    const entry = JSON.parse(line) as Partial<MailSummary>;
    if (typeof entry.id !== 'string' || !ID_PATTERN.test(entry.id)) return null;
    if (entry.file !== `${entry.id}.eml` || !Array.isArray(entry.to)) return null;
    return entry as MailSummary;
  } catch {
    return null;
  }
}

/** A file that cannot be deleted (permissions) costs disk, not the demo: never throws. */
async function removeFile(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch(() => undefined);
}
