import type { Language } from '../language.js';
import type { BuiltinTemplate } from './template-types.js';

export type { BuiltinTemplate };

/**
 * Impact columns the built-in templates understand. All are optional: each is used only inside
 * an `{% if %}` on itself (or with `| default`), so a case without that column still renders.
 * Lists may be arrays or text.
 */
export const BUILTIN_IMPACT_KEYS: Readonly<Record<string, string>> = {
  data: 'which of the recipient’s data were involved (e.g. "name, email address, invoices")',
  accounts: 'affected accounts or mailboxes',
  domains: 'affected domains or websites',
  servers: 'affected servers',
  software: 'the vulnerable product (advisory), e.g. "WordPress plugin Forms"',
  version: 'the version the recipient runs',
  fixed_version: 'the first version without the flaw',
  deadline: 'date by which to act, formatted',
  consequences: 'extra, recipient-specific consequences (one or two sentences)',
  measures: 'what was done for this recipient, e.g. "We have blocked your old API key."',
};

// Shared endings. Art. 34(2) GDPR: the contact point and the data protection officer.
const CONTACT_NL = `## Vragen?

{% if statements.contact %}
{{ statements.contact }}
{% else %}
Mail ons op [{{ organisation.contact_email }}](mailto:{{ organisation.contact_email }}){% if organisation.contact_phone %} of bel {{ organisation.contact_phone }}{% endif %}.
{% endif %}

Noem ons kenmerk: {{ case.reference }}.{% if organisation.dpo_email %} U kunt ook mailen met onze functionaris voor gegevensbescherming: [{{ organisation.dpo_email }}](mailto:{{ organisation.dpo_email }}).{% endif %}

{% if organisation.security_page_url %}Meer uitleg vindt u op [onze pagina over veiligheid]({{ organisation.security_page_url }}).{% endif %}

Wilt u zeker weten dat dit bericht van ons komt? Ga dan zelf naar onze website{% if organisation.website %} ({{ organisation.website }}){% endif %} en vul op onze beveiligingspagina de code van dit bericht in. Of bel ons.

Met vriendelijke groet,\\
{{ organisation.name }}
`;

const CONTACT_EN = `## Questions?

{% if statements.contact %}
{{ statements.contact }}
{% else %}
Email us at [{{ organisation.contact_email }}](mailto:{{ organisation.contact_email }}){% if organisation.contact_phone %} or call {{ organisation.contact_phone }}{% endif %}.
{% endif %}

Please quote our reference: {{ case.reference }}.{% if organisation.dpo_email %} You can also email our data protection officer: [{{ organisation.dpo_email }}](mailto:{{ organisation.dpo_email }}).{% endif %}

{% if organisation.security_page_url %}You can read more on [our security page]({{ organisation.security_page_url }}).{% endif %}

Want to be sure this message is from us? Go to our website yourself{% if organisation.website %} ({{ organisation.website }}){% endif %} and enter the code of this message on our security page. Or give us a call.

Kind regards,\\
{{ organisation.name }}
`;

const INCIDENT_NL = `Beste {{ customer.name }},

Bij {{ organisation.name }} is een datalek geweest. Ook uw gegevens zijn erbij betrokken. Dat spijt ons. Hieronder leest u wat er is gebeurd, wat het voor u betekent en wat u kunt doen.

## Wat is er gebeurd?

{{ statements.what_happened }}

{% if case.detected_at %}We ontdekten het lek op {{ case.detected_at }}.{% endif %} {% if case.contained_at %}Op {{ case.contained_at }} hebben we het lek gedicht.{% else %}We werken er nu aan om het lek te dichten.{% endif %}

## Om welke gegevens gaat het?

{% if impact.data %}Het gaat om deze gegevens van u: {{ impact.data | join: ", " }}.{% else %}We weten nog niet precies welke gegevens van u zijn gelekt. Zodra we dat weten, laten we het u weten.{% endif %}{% if impact.accounts %} Het gaat om deze accounts: {{ impact.accounts | join: ", " }}.{% endif %}{% if impact.domains %} Het gaat om deze domeinen: {{ impact.domains | join: ", " }}.{% endif %}

## Wat kan dit voor u betekenen?

{% if statements.what_it_means %}
{{ statements.what_it_means }}
{% else %}
Iemand kan proberen uw gegevens te misbruiken. U kunt bijvoorbeeld valse mails krijgen die van ons lijken te komen. Daarin staan dan uw naam of andere gegevens, zodat ze echt lijken. Zo hopen oplichters dat u uw wachtwoord of geld geeft.
{% endif %}

{% if impact.consequences %}{{ impact.consequences }}{% endif %}

## Wat hebben wij gedaan?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

- {% if case.contained_at %}We hebben het lek gedicht.{% else %}We werken eraan om het lek te dichten.{% endif %}
- {% if facts.passwords_reset %}We hebben de wachtwoorden van de betrokken accounts opnieuw ingesteld.{% endif %}
- {% if facts.authority_notified %}We hebben het datalek gemeld bij de Autoriteit Persoonsgegevens.{% endif %}
- We zoeken uit hoe dit kon gebeuren, zodat het niet weer gebeurt.
- Iedereen van wie gegevens zijn gelekt, krijgt dit bericht. Zo kan iedereen zich beschermen.
- {% if impact.measures %}Voor u hebben we ook iets extra gedaan. {{ impact.measures }}{% endif %}

## Wat kunt u doen?

{% if statements.what_you_should_do %}
{{ statements.what_you_should_do }}
{% else %}
1. Kies een nieuw wachtwoord voor uw account bij ons. Neem een wachtwoord dat u nergens anders gebruikt.
2. Gebruikt u hetzelfde wachtwoord ook ergens anders? Kies daar dan ook een nieuw.
3. Let goed op bij mails, sms'jes en telefoontjes die om uw gegevens of om geld vragen. Wij vragen nooit om uw wachtwoord.
{% endif %}

Hebt u dit gelezen? Laat het ons weten op uw eigen pagina: [{{ personal_url }}]({{ personal_url }})

${CONTACT_NL}`;

const INCIDENT_EN = `Dear {{ customer.name }},

There has been a data breach at {{ organisation.name }} that involves your data. We are sorry. Below you can read what happened, what it means for you and what you can do.

## What happened?

{{ statements.what_happened }}

{% if case.detected_at %}We found the leak on {{ case.detected_at }}.{% endif %} {% if case.contained_at %}We closed the leak on {{ case.contained_at }}.{% else %}We are working to close the leak right now.{% endif %}

## Which of your data?

{% if impact.data %}These data of yours are involved: {{ impact.data | join: ", " }}.{% else %}We do not yet know which of your data leaked. We will tell you as soon as we know.{% endif %}{% if impact.accounts %} These accounts are involved: {{ impact.accounts | join: ", " }}.{% endif %}{% if impact.domains %} These domains are involved: {{ impact.domains | join: ", " }}.{% endif %}

## What can this mean for you?

{% if statements.what_it_means %}
{{ statements.what_it_means }}
{% else %}
Someone may try to misuse your data. For example, you may get fake emails that seem to come from us. They may use your name or other details to look real. The aim is to trick you into giving your password or money.
{% endif %}

{% if impact.consequences %}{{ impact.consequences }}{% endif %}

## What have we done?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

- {% if case.contained_at %}We have closed the leak.{% else %}We are working to close the leak.{% endif %}
- {% if facts.passwords_reset %}We have reset the passwords of the accounts involved.{% endif %}
- {% if facts.authority_notified %}We have reported the breach to the Dutch Data Protection Authority.{% endif %}
- We are finding out how this could happen, so that it does not happen again.
- Everyone whose data leaked gets this message. That way, all of you can protect yourselves.
- {% if impact.measures %}We have also done something just for you. {{ impact.measures }}{% endif %}

## What can you do?

{% if statements.what_you_should_do %}
{{ statements.what_you_should_do }}
{% else %}
1. Choose a new password for your account with us. Pick one that you do not use anywhere else.
2. Do you use the same password somewhere else? Then change it there too.
3. Take care with emails, texts and calls that ask for your details or for money. We will never ask for your password.
{% endif %}

Have you read this? Let us know on your own page: [{{ personal_url }}]({{ personal_url }})

${CONTACT_EN}`;

const ADVISORY_NL = `Beste {{ customer.name }},

We hebben een beveiligingsrisico gevonden dat u raakt. Voor zover wij weten, is er nog niets misgegaan. Maar u moet wel iets doen om veilig te blijven. Daarom schrijven we u persoonlijk.

## Wat is het risico?

{{ statements.what_happened }}

We hebben nagekeken welke klanten risico lopen. U bent een van hen{% if impact.software %}, omdat u {{ impact.software }}{% if impact.version %} versie {{ impact.version }}{% endif %} gebruikt{% endif %}.{% if impact.domains %} Het gaat om deze websites: {{ impact.domains | join: ", " }}.{% endif %}{% if impact.servers %} Het gaat om deze servers: {{ impact.servers | join: ", " }}.{% endif %}

## Wat kan er gebeuren?

{% if statements.what_it_means %}
{{ statements.what_it_means }}
{% else %}
Als u niets doet, kan een aanvaller misschien binnenkomen. Hij kan dan gegevens stelen of uw website aanpassen. Hij kan uw systemen ook gebruiken om anderen aan te vallen.
{% endif %}

{% if impact.consequences %}{{ impact.consequences }}{% endif %}

## Wat hebben wij gedaan?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

- We sturen dit advies aan alle klanten die risico lopen.
- We kijken later of het risico weg is. Is het er dan nog, dan sturen we u een herinnering.
- {% if impact.measures %}Voor u hebben we ook iets extra gedaan. {{ impact.measures }}{% endif %}

{% if facts.resolved %}De technische details staan nu op onze beveiligingspagina.{% else %}De technische details houden we nog even voor ons. Zo helpen we aanvallers niet. Als het lek overal is gedicht, maken we ze bekend.{% endif %}

## Wat moet u doen?

{% if statements.what_you_should_do %}
{{ statements.what_you_should_do }}
{% else %}
1. {% if impact.fixed_version %}Werk {{ impact.software | default: "de software" }} bij naar versie {{ impact.fixed_version }} of hoger.{% else %}Zet de nieuwste updates van {{ impact.software | default: "uw software" }} erop.{% endif %}
2. {% if impact.deadline %}Doe dit vóór {{ impact.deadline }}.{% else %}Doe dit zo snel als u kunt.{% endif %}
3. Kijk of u iets vreemds ziet, zoals onbekende gebruikers of gewijzigde bestanden.
{% endif %}

Klaar? Laat het ons weten op uw eigen pagina: [{{ personal_url }}]({{ personal_url }})

Hulp nodig? Neem gerust contact met ons op.

${CONTACT_NL}`;

const ADVISORY_EN = `Dear {{ customer.name }},

We have found a security risk that affects you. As far as we know, nothing has gone wrong yet. But you do need to act to stay safe. That is why we are writing to you in person.

## What is the risk?

{{ statements.what_happened }}

We have checked which customers are at risk. You are one of them{% if impact.software %}, because you use {{ impact.software }}{% if impact.version %} version {{ impact.version }}{% endif %}{% endif %}.{% if impact.domains %} It is about these websites: {{ impact.domains | join: ", " }}.{% endif %}{% if impact.servers %} It is about these servers: {{ impact.servers | join: ", " }}.{% endif %}

## What could happen?

{% if statements.what_it_means %}
{{ statements.what_it_means }}
{% else %}
If you do nothing, an attacker may be able to get in. They could then steal data or change your website. They could also use your systems to attack others.
{% endif %}

{% if impact.consequences %}{{ impact.consequences }}{% endif %}

## What have we done?

{% if statements.what_we_did %}
{{ statements.what_we_did }}
{% endif %}

- We are sending this advice to all customers at risk.
- We will check later if the risk is gone. If it is still there, we will send you a reminder.
- {% if impact.measures %}We have also done something just for you. {{ impact.measures }}{% endif %}

{% if facts.resolved %}The technical details are now on our security page.{% else %}We keep the technical details to ourselves for now, so we do not help attackers. Once the hole is closed everywhere, we will publish them.{% endif %}

## What should you do?

{% if statements.what_you_should_do %}
{{ statements.what_you_should_do }}
{% else %}
1. {% if impact.fixed_version %}Update {{ impact.software | default: "the software" }} to version {{ impact.fixed_version }} or later.{% else %}Install the latest updates for {{ impact.software | default: "your software" }}.{% endif %}
2. {% if impact.deadline %}Please do this before {{ impact.deadline }}.{% else %}Please do this as soon as you can.{% endif %}
3. Look for anything odd, such as unknown users or changed files.
{% endif %}

Done? Let us know on your own page: [{{ personal_url }}]({{ personal_url }})

Need help? Just get in touch.

${CONTACT_EN}`;

/** The built-in templates: a data-breach notice and a security advisory, in Dutch and English. */
export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    id: 'incident-nl',
    kind: 'incident',
    language: 'nl',
    subject: 'Datalek bij {{ organisation.name }}: wat dit voor u betekent',
    body: INCIDENT_NL,
  },
  {
    id: 'incident-en',
    kind: 'incident',
    language: 'en',
    subject: 'Data breach at {{ organisation.name }}: what it means for you',
    body: INCIDENT_EN,
  },
  {
    id: 'advisory-nl',
    kind: 'advisory',
    language: 'nl',
    subject: 'Beveiligingsadvies van {{ organisation.name }}: actie nodig',
    body: ADVISORY_NL,
  },
  {
    id: 'advisory-en',
    kind: 'advisory',
    language: 'en',
    subject: 'Security advisory from {{ organisation.name }}: please take action',
    body: ADVISORY_EN,
  },
];

/** The built-in template for a kind and language. */
export function findBuiltinTemplate(
  kind: BuiltinTemplate['kind'],
  language: Language,
): BuiltinTemplate {
  const template = BUILTIN_TEMPLATES.find((t) => t.kind === kind && t.language === language);
  if (!template) throw new Error(`no built-in ${kind} template in ${language}`);
  return template;
}

// The audience templates for the public notice and the press statement live next door.
export { AUDIENCE_TEMPLATES, findAudienceTemplate } from './public-templates.js';
