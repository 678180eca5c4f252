/**
 * A private Postfix for tests: its own main.cf and master.cf, queue and data directories and
 * log file in a temp dir, smtpd on a port of 127.0.0.1, everything relayed to one next hop
 * (a test SMTP peer), nothing delivered locally, short retry and bounce timers. Started with
 * `postfix -c DIR start`, never the system service.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's binary; a missing one fails the test (CI installs it, see .ci/run). */
export const POSTFIX = '/usr/sbin/postfix';

export interface PostfixInstance {
  /** smtp://127.0.0.1:PORT, for CANDOR_SMTP_URL. */
  url: string;
  port: number;
  /** Postfix's own log (maillog_file). */
  log(): string;
  /** Waits for `pattern` in the log; rejects after `ms` with the log so far. */
  waitForLog(pattern: RegExp, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface PostfixOptions {
  /** An empty directory for the instance (made world-traversable: daemons run as postfix). */
  dir: string;
  /** The port smtpd listens on. */
  port: number;
  /** The next hop for every message: [127.0.0.1]:relayPort (brackets: no MX lookup). */
  relayPort: number;
}

/** Services Postfix needs to accept, queue, relay and bounce; nothing chrooted. */
function masterCf(port: number): string {
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${services.join('\n')}\n`;
}

function mainCf({ dir, relayPort }: PostfixOptions): string {
  const settings: Record<string, string> = {
    compatibility_level: '3.6',
    queue_directory: path.join(dir, 'queue'),
    data_directory: path.join(dir, 'data'),
    maillog_file: path.join(dir, 'maillog'),
    maillog_file_prefixes: dir,
    myhostname: 'relay.candor.test',
    mydomain: 'candor.test',
    myorigin: '$myhostname',
    inet_interfaces: '127.0.0.1',
    inet_protocols: 'ipv4',
    // Nothing is local: every address, the bounce address included, goes to the relayhost.
    mydestination: '',
    local_recipient_maps: '',
    local_transport: 'error:no local delivery',
    alias_maps: '',
    alias_database: '',
    relayhost: `[127.0.0.1]:${relayPort}`,
    mynetworks: '127.0.0.0/8',
    smtpd_relay_restrictions: 'permit_mynetworks, reject',
    smtpd_recipient_restrictions: 'permit_mynetworks, reject',
    smtp_dns_support_level: 'disabled',
    smtp_tls_security_level: 'none',
    smtpd_tls_security_level: 'none',
    smtputf8_enable: 'no',
    biff: 'no',
    // Short timers: a deferred message is retried within seconds, given up within a minute.
    queue_run_delay: '1s',
    minimal_backoff_time: '1s',
    maximal_backoff_time: '2s',
    maximal_queue_lifetime: '1m',
    bounce_queue_lifetime: '1m',
  };
  return Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join('');
}

/** Writes the configuration, starts Postfix and resolves once smtpd answers. */
export async function startPostfix(options: PostfixOptions): Promise<PostfixInstance> {
  const { dir, port } = options;
  fs.chmodSync(dir, 0o755);
  // Postfix's daemons run as the postfix user: every directory above must let them through.
  for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
    if ((fs.statSync(up).mode & 0o001) === 0) {
      throw new Error(`postfix cannot reach ${dir}: ${up} is not searchable by others`);
    }
  }
  fs.writeFileSync(path.join(dir, 'main.cf'), mainCf(options));
  fs.writeFileSync(path.join(dir, 'master.cf'), masterCf(port));
  for (const sub of ['queue', 'data']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  // Postfix's daemons drop to mail_owner; its data directory must be theirs.
  const { stdout } = await run('id', ['-u', 'postfix']);
  const uid = Number(stdout.trim());
  fs.chownSync(path.join(dir, 'data'), uid, fs.statSync(path.join(dir, 'data')).gid);
  const logFile = path.join(dir, 'maillog');
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const postfix = async (command: string) => {
    try {
      await run(POSTFIX, ['-c', dir, command]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      // Before its log file is open Postfix reports only to syslog, or to a terminal.
      const hint = `(for the reason run: script -qc 'postfix -c ${dir} ${command}' /dev/null)`;
      throw new Error(`postfix -c ${dir} ${command} failed ${hint}:\n${stderr}${log()}`);
    }
  };
  await postfix('start');
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`postfix did not listen on ${port}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    log,
    async waitForLog(pattern, ms = 30_000) {
      const until = Date.now() + ms;
      while (!pattern.test(log())) {
        if (Date.now() > until)
          throw new Error(`no ${String(pattern)} in the postfix log:\n${log()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await postfix('stop').catch(() => undefined);
      // `postfix stop` returns before master has gone; wait for the port to close.
      const until = Date.now() + 10_000;
      while ((await accepts(port)) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
