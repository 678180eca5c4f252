import type { Language } from '../language.js';
import type { BuiltinTemplate } from './template-types.js';

/**
 * Built-in texts for the public notice (the security page) and the press statement. They use
 * only case and organisation placeholders (no customer data: they are read by everyone), and
 * show the embargo markup for technical detail, which stays off the public page until released.
 */
export interface AudienceTemplate extends BuiltinTemplate {
  audience: 'public' | 'press';
}

const EMBARGO_NL = `:::embargo until=resolved
## Technische details

Beschrijf hier hoe het lek werkte. Dit deel blijft verborgen tot het lek is gedicht.
:::`;

const EMBARGO_EN = `:::embargo until=resolved
## Technical details

Describe here how the flaw worked. This part stays hidden until the flaw is fixed.
:::`;

const PUBLIC_INCIDENT_NL = `{% if case.aware_at %}Op {{ case.aware_at }} ontdekten wij{% else %}Wij ontdekten{% endif %} een beveiligingsincident bij {{ organisation.name }}. Wij vertellen u hier wat er is gebeurd en wat wij doen.

## Wat is er gebeurd?

{{ statements.what_happened }}

{% if statements.public_statement %}
{{ statements.public_statement }}
{% endif %}

## Wat betekent dit voor klanten?

Klanten van wie gegevens zijn betrokken, krijgen van ons een persoonlijk bericht. Krijgt u geen bericht? Dan zijn uw gegevens niet betrokken.

## Wat doen wij?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

{% if case.contained_at %}Wij hebben het lek gedicht.{% else %}Wij werken eraan om het lek te dichten.{% endif %} Wij onderzoeken wat er precies is gebeurd.{% if facts.authority_notified %} Wij hebben het incident gemeld bij de Autoriteit Persoonsgegevens.{% endif %}

${EMBARGO_NL}

## Vragen?

Mail ons op {{ organisation.contact_email }}. Noem dan ons kenmerk: {{ case.reference }}.
`;

const PUBLIC_INCIDENT_EN = `{% if case.aware_at %}On {{ case.aware_at }} we found{% else %}We found{% endif %} a security incident at {{ organisation.name }}. Here we tell you what happened and what we do about it.

## What happened?

{{ statements.what_happened }}

{% if statements.public_statement %}
{{ statements.public_statement }}
{% endif %}

## What does it mean for customers?

Customers whose data were involved get a personal message from us. No message? Then your data were not involved.

## What are we doing?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

{% if case.contained_at %}We have closed the hole.{% else %}We are working to close the hole.{% endif %} We are looking into what happened.{% if facts.authority_notified %} We have reported the incident to the Dutch Data Protection Authority.{% endif %}

${EMBARGO_EN}

## Questions?

Email us at {{ organisation.contact_email }}. Please quote our reference: {{ case.reference }}.
`;

const PUBLIC_ADVISORY_NL = `{{ organisation.name }} waarschuwt voor een beveiligingsrisico. Gebruikt u de software hieronder? Neem dan actie.

## Wat is het risico?

{{ statements.what_happened }}

{% if statements.public_statement %}
{{ statements.public_statement }}
{% endif %}

## Wat moet u doen?

Werk de software zo snel mogelijk bij naar de nieuwste versie. Klanten die het risico lopen, krijgen van ons een persoonlijk bericht.

${EMBARGO_NL}

## Vragen?

Mail ons op {{ organisation.contact_email }}. Noem dan ons kenmerk: {{ case.reference }}.
`;

const PUBLIC_ADVISORY_EN = `{{ organisation.name }} warns about a security risk. Do you use the software below? Then please act.

## What is the risk?

{{ statements.what_happened }}

{% if statements.public_statement %}
{{ statements.public_statement }}
{% endif %}

## What should you do?

Update the software to the latest version as soon as you can. Customers at risk get a personal message from us.

${EMBARGO_EN}

## Questions?

Email us at {{ organisation.contact_email }}. Please quote our reference: {{ case.reference }}.
`;

const PRESS_NL = `**{{ organisation.name }} — persbericht**

{{ statements.what_happened }}

{% if statements.press_statement %}
{{ statements.press_statement }}
{% endif %}

{% if facts.customers_notified %}{{ organisation.name }} heeft alle betrokken klanten persoonlijk ingelicht.{% else %}{{ organisation.name }} licht alle betrokken klanten persoonlijk in.{% endif %}{% if facts.authority_notified %} Wij hebben het incident gemeld bij de toezichthouder.{% endif %} Wij houden onze pagina over veiligheid bij met de laatste stand van zaken.

Voor de pers: {{ organisation.contact_email }}. Kenmerk: {{ case.reference }}.
`;

const PRESS_EN = `**{{ organisation.name }} — press statement**

{{ statements.what_happened }}

{% if statements.press_statement %}
{{ statements.press_statement }}
{% endif %}

{% if facts.customers_notified %}{{ organisation.name }} has told every affected customer personally.{% else %}{{ organisation.name }} is telling every affected customer personally.{% endif %}{% if facts.authority_notified %} We have reported the incident to the regulator.{% endif %} We keep our security page up to date with the latest news.

Press contact: {{ organisation.contact_email }}. Reference: {{ case.reference }}.
`;

export const AUDIENCE_TEMPLATES: readonly AudienceTemplate[] = [
  {
    id: 'public-incident-nl',
    audience: 'public',
    kind: 'incident',
    language: 'nl',
    subject: 'Beveiligingsincident bij {{ organisation.name }}',
    body: PUBLIC_INCIDENT_NL,
  },
  {
    id: 'public-incident-en',
    audience: 'public',
    kind: 'incident',
    language: 'en',
    subject: 'Security incident at {{ organisation.name }}',
    body: PUBLIC_INCIDENT_EN,
  },
  {
    id: 'public-advisory-nl',
    audience: 'public',
    kind: 'advisory',
    language: 'nl',
    subject:
      'Beveiligingsadvies van {{ organisation.name }}{% if statements.headline %}: {{ statements.headline }}{% endif %}',
    body: PUBLIC_ADVISORY_NL,
  },
  {
    id: 'public-advisory-en',
    audience: 'public',
    kind: 'advisory',
    language: 'en',
    subject:
      'Security advisory from {{ organisation.name }}{% if statements.headline %}: {{ statements.headline }}{% endif %}',
    body: PUBLIC_ADVISORY_EN,
  },
  {
    id: 'press-incident-nl',
    audience: 'press',
    kind: 'incident',
    language: 'nl',
    subject: 'Persbericht: beveiligingsincident bij {{ organisation.name }}',
    body: PRESS_NL,
  },
  {
    id: 'press-incident-en',
    audience: 'press',
    kind: 'incident',
    language: 'en',
    subject: 'Press statement: security incident at {{ organisation.name }}',
    body: PRESS_EN,
  },
  {
    id: 'press-advisory-nl',
    audience: 'press',
    kind: 'advisory',
    language: 'nl',
    subject: 'Persbericht: beveiligingsadvies van {{ organisation.name }}',
    body: PRESS_NL,
  },
  {
    id: 'press-advisory-en',
    audience: 'press',
    kind: 'advisory',
    language: 'en',
    subject: 'Press statement: security advisory from {{ organisation.name }}',
    body: PRESS_EN,
  },
];

/** The built-in public or press template for a kind and language. */
export function findAudienceTemplate(
  audience: 'public' | 'press',
  kind: 'incident' | 'advisory',
  language: Language,
): AudienceTemplate {
  const t = AUDIENCE_TEMPLATES.find(
    (x) => x.audience === audience && x.kind === kind && x.language === language,
  );
  if (!t) throw new Error(`no built-in ${audience} ${kind} template in ${language}`);
  return t;
}
