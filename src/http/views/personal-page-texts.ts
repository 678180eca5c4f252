import type { Language } from '../../config.js';
import { html, type SafeHtml } from './html.js';

/** Every fixed text of the personal page, per language. Plain words, short sentences. */
export interface PersonalPageTexts {
  pageFor: string;
  reference: string;
  customerNumber: string;
  incident: string;
  advisory: string;
  /** Label of the one-line "what to do" in the summary. */
  todoLabel: string;
  /** After the first step, when there are more. */
  moreSteps: (count: number) => string;
  /** The summary's "what to do" for an update to a fixed version (from the impact values). */
  updateTo: (software: string | null, version: string, deadline: string | null) => string;
  /** The summary's "what to do" when the notice has no steps. */
  todoGeneric: string;
  actionsLabel: string;
  readButton: string;
  readDone: (at: SafeHtml) => SafeHtml;
  doneButton: string;
  doneDone: (at: SafeHtml) => SafeHtml;
  sentOn: (at: SafeHtml) => SafeHtml;
  code: string;
  yourDetails: string;
  yourDetailsIntro: string;
  noDetails: string;
  yes: string;
  no: string;
  whatHappened: string;
  whatWeDid: string;
  todoHeading: string;
  todoFallback: readonly string[];
  /** The same, when the case has remedies: each is confirmed below, not with one button. */
  todoFallbackRemedies: readonly string[];
  doneHint: SafeHtml;
  contactHeading: string;
  contactIntro: string;
  email: string;
  phone: string;
  dpo: string;
  website: string;
  genuineHeading: string;
  genuine: (code: SafeHtml, verify: SafeHtml) => SafeHtml;
  verifyLink: string;
  privateLink: string;
  /** Labels for the impact keys the built-in templates know (BUILTIN_IMPACT_KEYS). */
  impactLabels: Readonly<Record<string, string>>;
}

export const PERSONAL_PAGE_TEXTS: Record<Language, PersonalPageTexts> = {
  nl: {
    pageFor: 'Persoonlijke pagina voor',
    reference: 'Kenmerk',
    customerNumber: 'klantnummer',
    incident: 'Beveiligingsincident',
    advisory: 'Beveiligingsadvies',
    todoLabel: 'Wat u moet doen:',
    moreSteps: (count) => `Alle ${count} stappen staan hieronder.`,
    updateTo: (software, version, deadline) =>
      `Werk ${software ?? 'de software'} bij naar versie ${version}${deadline ? `, uiterlijk ${deadline}` : ''}.`,
    todoGeneric: 'Lees hieronder wat dit voor u betekent. Laat ons weten wanneer u klaar bent.',
    actionsLabel: 'Laat het ons weten',
    readButton: 'Ik heb dit gelezen',
    readDone: (at) => html`U hebt op ${at} laten weten dat u dit hebt gelezen. Dank u wel.`,
    doneButton: 'Ik heb het gedaan',
    doneDone: (at) => html`U hebt op ${at} laten weten dat u alles hebt gedaan. Dank u wel.`,
    sentOn: (at) => html`Verstuurd op ${at}`,
    code: 'Berichtcode',
    yourDetails: 'Wat dit voor u betekent',
    yourDetailsIntro: 'Dit weten wij over wat er bij u speelt:',
    noDetails: 'Wij hebben geen extra gegevens over uw situatie.',
    yes: 'ja',
    no: 'nee',
    whatHappened: 'Wat er is gebeurd',
    whatWeDid: 'Wat wij hebben gedaan',
    todoHeading: 'Wat u moet doen',
    todoFallback: [
      'Lees hierboven wat er is gebeurd en wat het voor u betekent.',
      'Doe wat wij u vragen. Twijfelt u? Neem contact met ons op.',
      'Laat ons weten dat u klaar bent, met de knop bovenaan deze pagina.',
    ],
    todoFallbackRemedies: [
      'Lees hierboven wat er is gebeurd en wat het voor u betekent.',
      'Voer de acties hieronder uit. Twijfelt u? Neem contact met ons op.',
      'Laat ons per actie weten dat u die hebt uitgevoerd, met de knop bij die actie.',
    ],
    doneHint: html`Klaar? <a href="#actions">Laat het ons weten</a> met de knop bovenaan deze
      pagina.`,
    contactHeading: 'Contact',
    contactIntro: 'Neem contact met ons op. Noem dan ons kenmerk.',
    email: 'E-mail',
    phone: 'Telefoon',
    dpo: 'Functionaris gegevensbescherming',
    website: 'Website',
    genuineHeading: 'Is dit echt van ons?',
    genuine: (code, verify) =>
      html`Elk bericht van ons heeft een eigen berichtcode. Dit bericht heeft code ${code}. Op
      ${verify} kunt u nagaan of een code echt van ons is.`,
    verifyLink: 'onze controlepagina',
    privateLink:
      'Deze pagina is alleen voor u. Deel de link niet met anderen: wie de link heeft, kan deze pagina zien.',
    impactLabels: {
      data: 'Uw gegevens die het betreft',
      accounts: 'Accounts',
      domains: 'Domeinen',
      servers: 'Servers',
      software: 'Software',
      version: 'Uw versie',
      fixed_version: 'Versie met de oplossing',
      deadline: 'Uiterlijk',
      consequences: 'Gevolgen voor u',
      measures: 'Wat wij voor u hebben gedaan',
    },
  },
  en: {
    pageFor: 'Personal page for',
    reference: 'Reference',
    customerNumber: 'customer number',
    incident: 'Security incident',
    advisory: 'Security advisory',
    todoLabel: 'What you should do:',
    moreSteps: (count) => `All ${count} steps are below.`,
    updateTo: (software, version, deadline) =>
      `Update ${software ?? 'the software'} to version ${version}${deadline ? ` by ${deadline}` : ''}.`,
    todoGeneric: 'Read below what this means for you, and let us know when you are done.',
    actionsLabel: 'Let us know',
    readButton: 'I have read this',
    readDone: (at) => html`You let us know on ${at} that you have read this. Thank you.`,
    doneButton: 'I’ve done it',
    doneDone: (at) => html`You let us know on ${at} that you have done everything. Thank you.`,
    sentOn: (at) => html`Sent on ${at}`,
    code: 'Notice code',
    yourDetails: 'What this means for you',
    yourDetailsIntro: 'This is what we know about your situation:',
    noDetails: 'We have no further details about your situation.',
    yes: 'yes',
    no: 'no',
    whatHappened: 'What happened',
    whatWeDid: 'What we have done',
    todoHeading: 'What you should do',
    todoFallback: [
      'Read above what happened and what it means for you.',
      'Do what we ask of you. Not sure? Get in touch with us.',
      'Let us know when you are done, with the button at the top of this page.',
    ],
    todoFallbackRemedies: [
      'Read above what happened and what it means for you.',
      'Take the actions below. Not sure? Get in touch with us.',
      'Let us know for each action that you have taken it, with the button next to it.',
    ],
    doneHint: html`Done? <a href="#actions">Let us know</a> with the button at the top of this page.`,
    contactHeading: 'Contact',
    contactIntro: 'Get in touch with us, and please quote our reference.',
    email: 'Email',
    phone: 'Phone',
    dpo: 'Data protection officer',
    website: 'Website',
    genuineHeading: 'Is this really from us?',
    genuine: (code, verify) =>
      html`Every notice from us has a notice code of its own. This one has code ${code}. You can
      check any code on ${verify}.`,
    verifyLink: 'our verification page',
    privateLink:
      'This page is for you only. Do not share the link: anyone who has it can see this page.',
    impactLabels: {
      data: 'Your data involved',
      accounts: 'Accounts',
      domains: 'Domains',
      servers: 'Servers',
      software: 'Software',
      version: 'Your version',
      fixed_version: 'Fixed in version',
      deadline: 'Deadline',
      consequences: 'Consequences for you',
      measures: 'What we did for you',
    },
  },
};

/** The not-found, refused and too-many-requests pages: the visitor's language is unknown. */
export const STATUS_PAGE_TEXTS = {
  notFound: {
    title: { nl: 'Pagina niet gevonden', en: 'Page not found' },
    body: {
      nl: 'Deze link werkt niet (meer). Controleer of u de hele link uit de e-mail hebt gebruikt. Neem anders contact op met de afzender van de e-mail.',
      en: 'This link does not work (any more). Check that you used the whole link from the email, or contact the sender of the email.',
    },
  },
  refused: {
    title: { nl: 'Verzoek geweigerd', en: 'Request refused' },
    body: {
      nl: 'Dit verzoek kwam niet van uw persoonlijke pagina. Open de link uit de e-mail opnieuw en probeer het nog eens.',
      en: 'This request did not come from your personal page. Open the link from the email again and try once more.',
    },
  },
  tooMany: {
    title: { nl: 'Te veel pogingen', en: 'Too many attempts' },
    body: {
      nl: 'Vanaf uw internetverbinding zijn te veel onjuiste links geprobeerd. Probeer het over een tijdje opnieuw.',
      en: 'Too many wrong links were tried from your internet connection. Please try again in a while.',
    },
  },
} as const;
