import { Readable } from 'node:stream';
import type { Actor } from '../domain/access.js';
import { parseFilter } from '../domain/filter/filter-parser.js';
import { csvRecord } from '../ingest/csv-writer.js';
import { importAffected, setAffectedFilter } from '../services/cases/affected.service.js';
import { addCaseEvent, createCase, listCases } from '../services/cases/case.service.js';
import { startDispatch } from '../services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../services/notices/notice.service.js';
import { updateOrganisation } from '../services/access/settings.service.js';
import { toUserView } from '../services/access/user.service.js';
import { sampleCustomersMatching } from '../store/customer-filter.js';
import { readFactsObject } from '../store/executor.js';
import { findUserByUsername } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';
import { seedDemoResponses } from './demo-responses.js';
import { seedDemoRemedies } from './demo-remedies.js';
import { seedDemoReminders } from './demo-reminders.js';

/**
 * The story the demo tells, seeded once: a data breach on one web server, already notified
 * (so the mailbox and the personal pages have something to show), and an advisory about
 * a vulnerable plugin whose notice is written but still waits for approval.
 */
export async function seedDemoCases(ctx: AppContext): Promise<string[]> {
  const db = ctx.database.db;
  const as = async (username: string): Promise<Actor> => {
    const user = toUserView((await findUserByUsername(db, username))!);
    return {
      kind: 'user',
      userId: user.id,
      name: user.username,
      roles: user.roles,
      source: 'demo',
    };
  };
  const existing = await listCases(await as('admin'), {}, ctx.deps);
  if (existing.length > 0) return existing.map((c) => `${c.reference} ${c.title} (${c.state})`);
  const [admin, sanne, joost, fatima] = await Promise.all(
    ['admin', 'sanne', 'joost', 'fatima'].map(as),
  );
  await updateOrganisation(
    admin!,
    {
      name: 'Voorbeeld Hosting B.V.',
      contactEmail: 'security@voorbeeldhosting.example',
      contactPhone: '+31 20 123 4567',
      dpoEmail: 'privacy@voorbeeldhosting.example',
      website: 'https://www.voorbeeldhosting.example',
      senderName: 'Voorbeeld Hosting Security',
      senderEmail: 'security@voorbeeldhosting.example',
    },
    ctx.deps,
  );

  // Some days ago, so the recall has a history to show (seedDemoResponses).
  const aware = new Date(Date.now() - 4 * 24 * 3600_000 - 2 * 3600_000);
  const incident = await createCase(
    sanne!,
    {
      kind: 'incident',
      title: 'Datalek op webserver web12',
      summary:
        'Een aanvaller heeft via een lek in het beheerpaneel van webserver web12 gegevens van klanten op die server gekopieerd. Het lek is gedicht en alle wachtwoorden op web12 zijn ongeldig gemaakt.',
      detectedAt: new Date(aware.getTime() - 2 * 3600_000).toISOString(),
      awareAt: aware.toISOString(),
      statements: {
        headline: {
          nl: 'Datalek op een van onze webservers',
          en: 'Data breach on one of our web servers',
        },
        what_happened: {
          nl: 'Een aanvaller is binnengekomen via een fout in het beheerpaneel van een van onze webservers. Hij heeft gegevens gekopieerd van klanten met een website op die server.',
          en: 'An attacker got in through a flaw in the control panel of one of our web servers. They copied data of customers with a website on that server.',
        },
        what_we_did: {
          nl: 'We hebben de fout in het beheerpaneel hersteld en de aanvaller buitengesloten.',
          en: 'We have fixed the flaw in the control panel and locked the attacker out.',
        },
      },
    },
    ctx.deps,
  );
  // What the notices say was done is on record first: claims follow facts.
  const hour = 3600_000;
  await addCaseEvent(
    sanne!,
    incident.id,
    {
      kind: 'contained',
      at: new Date(aware.getTime() + 3 * hour).toISOString(),
      text: 'Lek in het beheerpaneel gedicht',
    },
    ctx.deps,
  );
  await addCaseEvent(
    sanne!,
    incident.id,
    {
      kind: 'passwords_reset',
      at: new Date(aware.getTime() + 4 * hour).toISOString(),
      text: 'Alle wachtwoorden op web12 ongeldig gemaakt',
    },
    ctx.deps,
  );
  const onWeb12 = await sampleCustomersMatching(
    db,
    ctx.database.dialect,
    parseFilter('server = "web12"'),
    100_000,
  );
  let list = csvRecord(['external_id', 'domains', 'data']);
  for (const c of onWeb12) {
    const attributes = readFactsObject(c.attributes);
    list += csvRecord([
      c.external_id,
      typeof attributes.domains === 'string' ? attributes.domains : '',
      c.language === 'en'
        ? 'name, email address, hashed passwords'
        : 'naam, e-mailadres, gehashte wachtwoorden',
    ]);
  }
  await importAffected(
    sanne!,
    incident.id,
    Readable.from([list]),
    { source: 'demo: customers on web12' },
    ctx.deps,
  );
  const notice = await createNotice(joost!, incident.id, {}, ctx.deps);
  await approveNotice(fatima!, notice.id, {}, ctx.deps);
  const dispatch = await startDispatch(sanne!, notice.id, ctx.deps);
  await seedDemoResponses(ctx, incident.id, dispatch.id, new Date(aware.getTime() + 8 * hour));
  await seedDemoRemedies(ctx, incident.id, new Date(aware.getTime() + 8 * hour));
  await seedDemoReminders(ctx, {
    caseId: incident.id,
    dispatchId: dispatch.id,
    sentAt: new Date(aware.getTime() + 8 * hour),
    writer: joost!,
    approver: fatima!,
    sender: sanne!,
  });

  const advisory = await createCase(
    sanne!,
    {
      kind: 'advisory',
      title: 'Kritieke kwetsbaarheid in WordPress-plugin FormBuilder',
      summary:
        'In de WordPress-plugin FormBuilder zit een lek waarmee een aanvaller zonder wachtwoord bestanden op uw website kan zetten. Versie 4.2.1 lost het op.',
      statements: {
        headline: {
          nl: 'Kritiek lek in WordPress-plugin FormBuilder',
          en: 'Critical flaw in the WordPress plugin FormBuilder',
        },
        what_happened: {
          nl: 'In de WordPress-plugin FormBuilder zit een lek. Een aanvaller kan daarmee zonder wachtwoord bestanden op uw website zetten. Versie 4.2.1 lost het op.',
          en: 'The WordPress plugin FormBuilder has a flaw. It lets an attacker put files on your website without a password. Version 4.2.1 fixes it.',
        },
        what_you_should_do: {
          nl: '1. Werk FormBuilder bij naar versie 4.2.1 of hoger.\n2. Kijk of er onbekende bestanden op uw website staan.',
          en: '1. Update FormBuilder to version 4.2.1 or later.\n2. Check your website for files you do not know.',
        },
      },
    },
    ctx.deps,
  );
  await setAffectedFilter(
    sanne!,
    advisory.id,
    'plan = "shared" and server in ["web03", "web04"]',
    ctx.deps,
  );
  await createNotice(joost!, advisory.id, {}, ctx.deps);
  return (await listCases(admin!, {}, ctx.deps)).map(
    (c) => `${c.reference} ${c.title} (${c.state})`,
  );
}
