import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailCatcher } from '../../src/channels/email/mail-catcher.js';
import { loadSecret } from '../../src/lib/personal-token.js';
import { openDatabase } from '../../src/store/database.js';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('files in the data dir are for the owner only', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-modes-'));
    // A data dir that does not exist yet, two levels deep, as on a first start.
    dataDir = path.join(root, 'var', 'candor');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the data dir 0700 and the secret key 0600', () => {
    loadSecret(null, dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'secret.key'))).toBe(0o600);
  });

  it('creates the SQLite database, its WAL and shared-memory files 0600 in a 0700 folder', async () => {
    const file = path.join(dataDir, 'candor.db');
    const database = openDatabase({ dialect: 'sqlite', file });
    try {
      if (database.dialect !== 'sqlite') throw new Error('expected SQLite');
      database.sqlite.exec('create table probe (x text); insert into probe values (1);');
      expect(modeOf(dataDir)).toBe(0o700);
      for (const name of [file, `${file}-wal`, `${file}-shm`]) {
        expect(fs.existsSync(name), name).toBe(true);
        expect(modeOf(name), name).toBe(0o600);
      }
    } finally {
      await database.close();
    }
  });

  it('creates the mailbox folder 0700 and every mail and its index 0600', async () => {
    const catcher = new MailCatcher({ dataDir, port: 0, maxMessages: 2 });
    const address = await catcher.start();
    try {
      const transport = nodemailer.createTransport(address.url);
      for (let n = 1; n <= 5; n++) {
        await transport.sendMail({
          from: 'security@provider.example',
          to: `klant${n}@example.nl`,
          subject: `Notice ${n}`,
          text: 'Wijzig uw wachtwoord.',
        });
      }
      transport.close();
    } finally {
      await catcher.stop();
    }
    const mailbox = path.join(dataDir, 'mailbox');
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(mailbox)).toBe(0o700);
    const files = fs.readdirSync(mailbox);
    expect(files.some((f) => f.endsWith('.eml'))).toBe(true);
    expect(files.length).toBeGreaterThan(1);
    for (const name of files) expect(modeOf(path.join(mailbox, name)), name).toBe(0o600);
  });
});
