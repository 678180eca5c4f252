/**
 * A real SMTP server on 127.0.0.1 for tests and benchmarks: counts what it accepted per
 * recipient and Message-ID (bodies only on request, so a million messages cost a few maps)
 * and injects faults per recipient. Run as `node --import tsx test/support/smtp-peer.ts
 * --port 0` it is its own process (a benchmark must not share the sender's event loop),
 * speaking JSON lines on stdin/stdout; `spawnSmtpPeer()` drives that. See docs/email.md.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A reply the peer gives instead of 250: a 4xx (retry later) or 5xx (permanent). */
export type SmtpReply = { code: number; message?: string };

/**
 * What the peer does with a recipient (at RCPT TO) or a message (at the end of DATA).
 * 'drop' destroys the socket without a reply; 'accept-then-drop' counts the message and
 * then drops the socket before the 250, the case that makes a sender deliver twice.
 */
export type SmtpFaultOutcome = 'accept' | 'drop' | 'accept-then-drop' | SmtpReply;
export type SmtpFault = SmtpFaultOutcome | { delayMs: number; then?: SmtpFaultOutcome };

/** What a fault function is told. Addresses are lower-cased. */
export interface SmtpFaultContext {
  stage: 'rcpt' | 'data';
  rcpt: string;
  /** 1 for the first RCPT TO of this address since start/reset, 2 for the retry, … */
  attempt: number;
  from: string;
  /** Only at the 'data' stage: the Message-ID header as written, with angle brackets. */
  messageId?: string;
}

export interface SmtpPeerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep every accepted message's raw bytes in `messages` (off: counts only). */
  keepMessages?: boolean;
  /**
   * Decides per recipient (undefined = accept). SMTP has one reply per message, so at 'data'
   * the first refusal in RCPT order applies to the whole message, and delays add up.
   */
  faults?: (ctx: SmtpFaultContext) => SmtpFault | undefined;
}

export type SmtpPeerMessage = {
  from: string;
  rcpt: string[];
  messageId: string | null;
  raw: Buffer;
};

/**
 * messages: accepted at the end of DATA; deliveries: accepted (message, recipient) pairs, what
 * total() returns; recipients: distinct ones; duplicates: deliveries beyond the first each.
 */
export interface SmtpPeerStats {
  messages: number;
  deliveries: number;
  recipients: number;
  duplicates: number;
  rcptRejected: number;
  dataRejected: number;
  dropped: number;
  bytes: number;
  connections: number;
}

export interface SmtpPeer {
  port: number;
  url: string;
  /** Accepted deliveries per recipient address (lower-cased). */
  received: Map<string, number>;
  /** Accepted messages per Message-ID header. */
  messageIds: Map<string, number>;
  /** Filled only with `keepMessages`. */
  messages: SmtpPeerMessage[];
  total(): number;
  attempts(rcpt: string): number;
  stats(): SmtpPeerStats;
  /** Resolves once total() >= n; rejects after timeoutMs naming how far it got. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a peer on 127.0.0.1 and resolves once it listens. */
export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const received = new Map<string, number>();
  const messageIds = new Map<string, number>();
  const rcptAttempts = new Map<string, number>();
  const messages: SmtpPeerMessage[] = [];
  const counters = emptyCounters();
  // The attempt number of each recipient in the session's current transaction, so the
  // DATA-stage fault sees the same attempt as the RCPT-stage one.
  const transactions = new WeakMap<SMTPServerSession, Map<string, number>>();

  const decide = (ctx: SmtpFaultContext): SmtpFault => options.faults?.(ctx) ?? 'accept';

  const server: SMTPServer = new SMTPServer({
    name: 'smtp-peer.test',
    size: 1024 * 1024 * 1024,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, callback) {
      counters.connections += 1;
      callback();
    },
    onMailFrom(_address, session, callback) {
      transactions.set(session, new Map());
      callback();
    },
    onRcptTo(address, session, callback) {
      const rcpt = address.address.toLowerCase();
      const attempt = (rcptAttempts.get(rcpt) ?? 0) + 1;
      rcptAttempts.set(rcpt, attempt);
      transactions.get(session)?.set(rcpt, attempt);
      const fault = decide({ stage: 'rcpt', rcpt, attempt, from: fromOf(session) });
      apply(session, 'rcpt', fault, callback);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let header = Buffer.alloc(0);
      let headerDone = false;
      stream.on('data', (chunk: Buffer) => {
        if (options.keepMessages) chunks.push(chunk);
        if (!headerDone) {
          header = Buffer.concat([header, chunk]);
          headerDone = header.includes('\r\n\r\n') || header.length > 65_536;
        }
      });
      stream.on('end', () => {
        const from = fromOf(session);
        const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const messageId = findMessageId(header);
        const attempts = transactions.get(session);
        const ctx = { stage: 'data', from, messageId: messageId ?? undefined } as const;
        const fault = combine(
          rcpts.map((rcpt) => decide({ ...ctx, rcpt, attempt: attempts?.get(rcpt) ?? 1 })),
        );
        const accept = (): void => {
          counters.messages += 1;
          counters.bytes += stream.byteLength;
          for (const rcpt of rcpts) bump(received, rcpt);
          if (messageId !== null) bump(messageIds, messageId);
          if (options.keepMessages) {
            messages.push({ from, rcpt: rcpts, messageId, raw: Buffer.concat(chunks) });
          }
          counters.deliveries += rcpts.length;
        };
        apply(session, 'data', fault, callback, accept);
      });
    },
  });

  /** Carries out a fault: reply, delay, or destroy the connection's socket. */
  function apply(
    session: SMTPServerSession,
    stage: 'rcpt' | 'data',
    fault: SmtpFault,
    callback: (err?: Error | null) => void,
    onAccept: () => void = () => undefined,
  ): void {
    if (typeof fault === 'object' && 'delayMs' in fault) {
      const then = fault.then ?? 'accept';
      setTimeout(() => apply(session, stage, then, callback, onAccept), fault.delayMs);
      return;
    }
    if (fault === 'accept') {
      onAccept();
      callback();
    } else if (fault === 'drop' || fault === 'accept-then-drop') {
      if (fault === 'accept-then-drop') onAccept();
      counters.dropped += 1;
      // No callback: the client must see the connection die without any reply.
      for (const connection of server.connections) {
        if (connection.session === session) connection._socket.destroy();
      }
    } else {
      counters[stage === 'rcpt' ? 'rcptRejected' : 'dataRejected'] += 1;
      callback(
        Object.assign(new Error(fault.message ?? 'Peer fault'), { responseCode: fault.code }),
      );
    }
  }

  // Dropped sockets and clients that vanish surface as connection errors; they are the
  // point of the exercise, not a reason to crash the test process.
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () =>
      resolve((server.server.address() as AddressInfo).port),
    );
  });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    messageIds,
    messages,
    total: () => counters.deliveries,
    attempts: (rcpt) => rcptAttempts.get(rcpt.toLowerCase()) ?? 0,
    stats: () => ({
      ...counters,
      recipients: received.size,
      duplicates: counters.deliveries - received.size,
    }),
    async waitFor(n, timeoutMs = 10_000) {
      // Polling keeps the hot path free of waiter bookkeeping; 5 ms is below test noise.
      const deadline = Date.now() + timeoutMs;
      while (counters.deliveries < n) {
        if (Date.now() > deadline) {
          throw new Error(
            `SMTP peer got ${counters.deliveries} of ${n} deliveries in ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    reset() {
      received.clear();
      messageIds.clear();
      rcptAttempts.clear();
      messages.length = 0;
      Object.assign(counters, emptyCounters());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A test peer has nothing to drain: end every connection now instead of after
        // smtp-server's 30 s grace period.
        for (const connection of server.connections) connection._socket.destroy();
      }),
  };
}

function emptyCounters(): Omit<SmtpPeerStats, 'recipients' | 'duplicates'> {
  const zero = { rcptRejected: 0, dataRejected: 0, dropped: 0, bytes: 0, connections: 0 };
  return { messages: 0, deliveries: 0, ...zero };
}

function fromOf(session: SMTPServerSession): string {
  const mailFrom = session.envelope.mailFrom;
  return mailFrom === false ? '' : mailFrom.address.toLowerCase();
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** One outcome for a whole message: delays add up, the first refusal wins. */
function combine(faults: SmtpFault[]): SmtpFault {
  const steps = faults.map((f) =>
    typeof f === 'object' && 'delayMs' in f ? f : { delayMs: 0, then: f },
  );
  const delayMs = steps.reduce((sum, step) => sum + step.delayMs, 0);
  const outcome =
    steps.map((step) => step.then ?? 'accept').find((o) => o !== 'accept') ?? 'accept';
  return delayMs > 0 ? { delayMs, then: outcome } : outcome;
}

/** The Message-ID header (unfolded, trimmed) from the start of a message, or null. */
function findMessageId(head: Buffer): string | null {
  const end = head.indexOf('\r\n\r\n');
  const text = head.subarray(0, end === -1 ? head.length : end).toString('latin1');
  const match = /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(text);
  const value = match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
  return value ? value : null;
}

/** A peer running in a child process, driven over JSON lines on its stdin/stdout. */
export interface SmtpPeerProcess {
  port: number;
  url: string;
  pid: number;
  /** The counters plus the child's CPU time, to tell whether the peer limits a benchmark. */
  stats(): Promise<SmtpPeerStats & { cpuMs: number }>;
  /** Deliveries per recipient; at a million recipients this is a ~30 MB JSON line. */
  counts(): Promise<Record<string, number>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** One line from the child: the announcement, a result or an error. */
type ChildLine = { type: string; id?: number; result?: unknown; error?: string; port?: number };

/** Starts the peer in its own Node process (through tsx) and resolves once it listens. */
export async function spawnSmtpPeer(
  options: { port?: number; delayMs?: number } = {},
): Promise<SmtpPeerProcess> {
  const file = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      file,
      '--port',
      String(options.port ?? 0),
      ...(options.delayMs ? ['--delay-ms', String(options.delayMs)] : []),
    ],
    { cwd: path.resolve(path.dirname(file), '../..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = parseLine(line);
      if (msg?.type === 'listening') resolve(msg.port ?? 0);
      const waiter = pending.get(msg?.id ?? 0);
      if (!msg || !waiter) return;
      pending.delete(msg.id ?? 0);
      if (msg.type === 'error') waiter.reject(new Error(msg.error));
      else waiter.resolve(msg.result);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      exited = true;
      const error = new Error(`SMTP peer process exited with code ${String(code)}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const ask = (cmd: 'stats' | 'counts' | 'reset' | 'close'): Promise<unknown> => {
    if (exited) return Promise.reject(new Error('SMTP peer process has exited'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, cmd })}\n`);
    });
  };
  const port = await listening;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stats: async () => (await ask('stats')) as SmtpPeerStats & { cpuMs: number },
    counts: async () => (await ask('counts')) as Record<string, number>,
    reset: async () => void (await ask('reset')),
    async close() {
      const gone = exited || new Promise((resolve) => child.once('exit', resolve));
      await Promise.all([ask('close').catch(() => undefined), gone]);
    },
  };
}

/** The child side: start a peer, announce the port, answer commands until told or orphaned. */
async function runAsProcess(argv: string[]): Promise<void> {
  const portArg = argv.indexOf('--port');
  const delayArg = argv.indexOf('--delay-ms');
  // A relay's latency: every message is answered after this long (a real relay takes tens of ms).
  const delayMs = delayArg === -1 ? 0 : Number(argv[delayArg + 1]);
  const peer = await startSmtpPeer({
    port: portArg === -1 ? 0 : Number(argv[portArg + 1]),
    ...(delayMs > 0 ? { faults: ({ stage }) => (stage === 'data' ? { delayMs } : undefined) } : {}),
  });
  const send = (msg: object): boolean => process.stdout.write(`${JSON.stringify(msg)}\n`);
  send({ type: 'listening', port: peer.port, url: peer.url });
  const shutdown = async (): Promise<void> => {
    await peer.close();
    process.exit(0);
  };
  const commands: Record<string, () => unknown> = {
    stats: () => ({ ...peer.stats(), cpuMs: cpuMilliseconds() }),
    counts: () => Object.fromEntries(peer.received),
    reset: () => (peer.reset(), null),
    close: () => null,
  };
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    let id: number | undefined;
    try {
      const msg = JSON.parse(line) as { id?: number; cmd?: string };
      id = msg.id;
      const run = commands[msg.cmd ?? ''];
      if (!run) throw new Error(`unknown command ${JSON.stringify(msg.cmd)}`);
      // 'close' exits only once its reply is flushed, so the parent's close() resolves cleanly.
      const after = msg.cmd === 'close' ? () => void shutdown() : undefined;
      process.stdout.write(`${JSON.stringify({ type: 'result', id, result: run() })}\n`, after);
    } catch (error) {
      send({ type: 'error', id, error: String(error) });
    }
  });
  // stdin closing means the parent is gone (or gave up): never outlive it as an orphan.
  input.on('close', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** Stray output (a runtime warning) is not a protocol line: skip it rather than crash. */
function parseLine(line: string): ChildLine | null {
  try {
    return JSON.parse(line) as ChildLine;
  } catch {
    return null;
  }
}

function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runAsProcess(process.argv.slice(2));
}
