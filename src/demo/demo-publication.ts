import type { Actor } from '../domain/access.js';
import { approveNotice, createNotice } from '../services/notices/notice.service.js';
import { publishCase } from '../services/publication/publication-publish.service.js';
import { postPublicUpdate } from '../services/publication/public-update.service.js';
import { toUserView } from '../services/access/user.service.js';
import { listCases } from '../store/case.repository.js';
import { findPublication } from '../store/publication.repository.js';
import { findUserByUsername } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';

/**
 * The demo's public record: the notified data breach (the first incident) gets a public
 * notice with an embargoed technical section, a press statement, and two timeline updates,
 * so /security has something to show. Seeded once.
 */
export async function seedDemoPublication(ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const incident = (await listCases(db, { kind: 'incident', limit: 100 })).at(-1);
  if (!incident || (await findPublication(db, incident.id))) return;
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
  const [sanne, joost, fatima] = await Promise.all(['sanne', 'joost', 'fatima'].map(as));
  const notice = await createNotice(
    joost!,
    incident.id,
    { audience: 'public', defaultLanguage: 'nl', texts: PUBLIC_TEXTS },
    ctx.deps,
  );
  await approveNotice(fatima!, notice.id, {}, ctx.deps);
  const press = await createNotice(joost!, incident.id, { audience: 'press' }, ctx.deps);
  await approveNotice(fatima!, press.id, {}, ctx.deps);
  await publishCase(sanne!, incident.id, ctx.deps);
  const hour = 3600_000;
  await postPublicUpdate(
    sanne!,
    incident.id,
    {
      status: 'investigating',
      at: new Date(Date.now() - 2 * hour).toISOString(),
      texts: {
        nl: 'Wij onderzoeken welke gegevens precies zijn gekopieerd. Alle klanten op deze server hebben een persoonlijk bericht gekregen.',
        en: 'We are looking into exactly which data were copied. Every customer on this server has had a personal message.',
      },
    },
    ctx.deps,
  );
  await postPublicUpdate(
    sanne!,
    incident.id,
    {
      status: 'contained',
      texts: {
        nl: 'Het lek is gedicht. De aanvaller heeft geen toegang meer. Wij publiceren de technische details zodra alle klanten hun wachtwoord hebben vernieuwd.',
        en: 'The hole is closed. The attacker no longer has access. We will publish the technical details once every customer has renewed their password.',
      },
    },
    ctx.deps,
  );
}

const PUBLIC_TEXTS = {
  nl: {
    subject: 'Datalek op een van onze webservers',
    body: `Een aanvaller heeft gegevens gekopieerd van klanten op een van onze webservers. Wij ontdekten dit gisteren en hebben het lek dezelfde dag gedicht.

## Wat betekent dit voor u?

Staat uw website op deze server? Dan heeft u van ons een persoonlijke mail gekregen. Daarin staat welke gegevens het gaat en wat u moet doen. Geen mail gekregen? Dan zijn uw gegevens niet betrokken.

## Wat doen wij?

Wij hebben alle wachtwoorden op de server ongeldig gemaakt. Wij hebben de Autoriteit Persoonsgegevens ingelicht.

:::embargo until=resolved
## Technische details

De aanvaller kwam binnen via een fout in de inlogcontrole van het beheerpaneel. Met een speciaal gemaakt verzoek kon hij de controle overslaan en een beheerdersaccount aanmaken.
:::

## Vragen?

Mail ons op security@voorbeeldhosting.example.
`,
  },
  en: {
    subject: 'Data breach on one of our web servers',
    body: `An attacker copied data of customers on one of our web servers. We found out yesterday and closed the hole the same day.

## What does this mean for you?

Is your website on this server? Then we have sent you a personal email. It says which data are involved and what you should do. No email? Then your data were not involved.

## What are we doing?

We have made every password on the server invalid. We have told the Dutch Data Protection Authority.

:::embargo until=resolved
## Technical details

The attacker got in through a flaw in the login check of the control panel. A specially crafted request skipped the check and created an administrator account.
:::

## Questions?

Email us at security@voorbeeldhosting.example.
`,
  },
};
