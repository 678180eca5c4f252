import type { Actor } from '../domain/access.js';
import { dayOf, type Measure, type PostureContent } from '../domain/posture/posture.js';
import {
  approvePostureDraft,
  postureOverview,
  publishPostureDraft,
  savePostureDraft,
} from '../services/publication/posture.service.js';
import { toUserView } from '../services/access/user.service.js';
import { findUserByUsername } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';

/**
 * The demo's security posture statement: the ten NIS2 points with honest, mixed statuses (one
 * expired on purpose, so the demo shows how that looks), one own item, and two commitments
 * whose record comes from the demo's cases. Joost writes it, Fatima approves, Sanne publishes.
 */

const DAY = 86_400_000;

/** A complete statement (both languages), dated around `now`. */
export function demoPostureContent(now: Date): PostureContent {
  const day = (offset: number) => dayOf(new Date(now.getTime() + offset * DAY));
  const m = (
    id: Measure['id'],
    status: Measure['status'],
    en: string,
    nl: string,
    extra: Partial<Measure> = {},
  ): Measure => ({
    id,
    status,
    reason: { nl: '', en: '' },
    description: { nl, en },
    lastChecked: day(-60),
    checkedBy: { kind: 'internal', auditor: null },
    evidence: 'policy',
    validUntil: day(305),
    ...extra,
  });
  const measures: Measure[] = [
    m(
      'a',
      'in-place',
      'A written risk analysis of our hosting platform, reviewed every year.',
      'Een schriftelijke risicoanalyse van ons hostingplatform, die wij elk jaar herzien.',
      {
        checkedBy: { kind: 'external', auditor: 'Voorbeeld Audit B.V.' },
        evidence: 'certificate',
      },
    ),
    m(
      'b',
      'in-place',
      'A 24/7 on-call incident team with a written procedure; this page is part of it.',
      'Een incidententeam dat dag en nacht bereikbaar is, met een schriftelijke procedure; deze pagina hoort daarbij.',
    ),
    m(
      'c',
      'partly',
      'Daily backups in a second data centre; a full restore test is done for the shared hosting platform.',
      'Dagelijkse back-ups in een tweede datacenter; een volledige hersteltest is gedaan voor het gedeelde hostingplatform.',
      {
        reason: {
          en: 'The restore test for virtual servers is planned for next quarter.',
          nl: 'De hersteltest voor virtuele servers staat gepland voor het volgende kwartaal.',
        },
        evidence: 'test-report',
      },
    ),
    m(
      'd',
      'planned',
      'Security requirements in contracts with our suppliers.',
      'Beveiligingseisen in de contracten met onze leveranciers.',
      {
        lastChecked: null,
        validUntil: null,
        evidence: 'none',
      },
    ),
    m(
      'e',
      'in-place',
      'Patches within 14 days, critical ones within 48 hours; a vulnerability disclosure policy (see security.txt).',
      'Patches binnen 14 dagen, kritieke binnen 48 uur; een beleid voor het melden van kwetsbaarheden (zie security.txt).',
      {
        checkedBy: { kind: 'external', auditor: 'Voorbeeld Pentest B.V.' },
        evidence: 'test-report',
        // Deliberately past: the demo shows an expired item in place.
        lastChecked: day(-400),
        validUntil: day(-35),
      },
    ),
    m(
      'f',
      'in-place',
      'A yearly penetration test and an internal review of every measure on this page.',
      'Een jaarlijkse penetratietest en een interne toets van elke maatregel op deze pagina.',
      {
        evidence: 'test-report',
      },
    ),
    m(
      'g',
      'in-place',
      'Security training for every employee at hiring and every year after.',
      'Beveiligingstraining voor elke medewerker bij indiensttreding en daarna elk jaar.',
    ),
    m(
      'h',
      'in-place',
      'TLS 1.2 or higher on every service; backups and disks encrypted at rest.',
      'TLS 1.2 of hoger op elke dienst; back-ups en schijven versleuteld opgeslagen.',
    ),
    m(
      'i',
      'in-place',
      'Access by role, reviewed every quarter; an inventory of every server and who manages it.',
      'Toegang per rol, elk kwartaal nagelopen; een overzicht van elke server en wie die beheert.',
    ),
    m(
      'j',
      'partly',
      'Multi-factor authentication for every employee and for the customer panel.',
      'Tweestapsverificatie voor elke medewerker en voor het klantenpaneel.',
      {
        reason: {
          en: 'Customers may still switch it off for their own accounts.',
          nl: 'Klanten kunnen het voor hun eigen account nog uitzetten.',
        },
      },
    ),
    m(
      'own-ddos',
      'in-place',
      'DDoS filtering at the edge of our network.',
      'DDoS-filtering aan de rand van ons netwerk.',
      {
        title: {
          en: 'Protection against overload attacks',
          nl: 'Bescherming tegen overbelastingsaanvallen',
        },
      },
    ),
  ];
  return {
    validUntil: day(200),
    intro: {
      en: 'What we have in place to keep your data and services safe, who checked it and until when the check holds — and how quickly we promise to tell you when something goes wrong, with our record.',
      nl: 'Wat wij hebben geregeld om uw gegevens en diensten veilig te houden, wie dat heeft gecontroleerd en tot wanneer die controle geldt — en hoe snel wij beloven u te informeren als er iets misgaat, met wat daarvan terechtkwam.',
    },
    measures,
    commitments: [
      {
        id: 'customers-24h',
        kind: 'customer-notice',
        hours: 24,
        text: {
          en: 'Affected customers hear from us personally within 24 hours of our becoming aware.',
          nl: 'Getroffen klanten horen het binnen 24 uur nadat wij het weten persoonlijk van ons.',
        },
      },
      {
        id: 'public-7d',
        kind: 'public-notice',
        hours: 7 * 24,
        text: {
          en: 'Every incident that affects customers is on this page within 7 days.',
          nl: 'Elk incident dat klanten raakt, staat binnen 7 dagen op deze pagina.',
        },
      },
    ],
  };
}

/** Publishes the demo statement once. */
export async function seedDemoPosture(ctx: AppContext): Promise<void> {
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
  const [joost, fatima, sanne] = await Promise.all(['joost', 'fatima', 'sanne'].map(as));
  const overview = await postureOverview(sanne!, ctx.deps);
  if (overview.open || overview.published.length > 0) return;
  await savePostureDraft(joost!, demoPostureContent(new Date()), ctx.deps);
  await approvePostureDraft(fatima!, {}, ctx.deps);
  await publishPostureDraft(sanne!, ctx.deps);
}
