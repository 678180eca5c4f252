import type { Language } from '../../config.js';
import { html, type SafeHtml } from './html.js';

/** Every fixed text of the personal page, per language. Plain words, short sentences. */
export interface PersonalPageTexts {
  pageFor: string;
  reference: string;
  customerNumber: string;
  incident: string;
  advisory: string;
  yourDetails: string;
  yourDetailsIntro: string;
  noDetails: string;
  yes: string;
  no: string;
  message: string;
  messageUnavailable: string;
  readHeading: string;
  readIntro: string;
  readButton: string;
  readDone: (at: SafeHtml) => SafeHtml;
  todoHeading: string;
  todoIntro: string;
  todoFallback: readonly string[];
  doneIntro: string;
  doneButton: string;
  doneDone: (at: SafeHtml) => SafeHtml;
  contactHeading: string;
  contactIntro: string;
  email: string;
  phone: string;
  dpo: string;
  website: string;
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
    yourDetails: 'Wat dit voor u betekent',
    yourDetailsIntro: 'Dit weten wij over wat er bij u speelt:',
    noDetails: 'Wij hebben geen extra gegevens over uw situatie.',
    yes: 'ja',
    no: 'nee',
    message: 'Ons bericht aan u',
    messageUnavailable:
      'Het bericht wordt op dit moment bijgewerkt. Hieronder staat in het kort wat er is gebeurd.',
    readHeading: 'Hebt u dit gelezen?',
    readIntro:
      'Laat ons weten dat u dit bericht hebt gelezen. Dan weten wij dat het is aangekomen.',
    readButton: 'Ik heb dit gelezen',
    readDone: (at) => html`U hebt op ${at} laten weten dat u dit hebt gelezen. Dank u wel.`,
    todoHeading: 'Wat moet u doen?',
    todoIntro:
      'Werk deze stappen af. De vinkjes helpen u bij het bijhouden; ze worden niet opgeslagen.',
    todoFallback: [
      'Lees ons bericht hierboven goed door.',
      'Doe wat er in het bericht staat.',
      'Laat ons hieronder weten dat u klaar bent.',
    ],
    doneIntro: 'Klaar met alle stappen? Laat het ons weten.',
    doneButton: 'Ik heb het gedaan',
    doneDone: (at) => html`U hebt op ${at} laten weten dat u alles hebt gedaan. Dank u wel.`,
    contactHeading: 'Contact',
    contactIntro: 'Neem contact met ons op. Noem dan ons kenmerk.',
    email: 'E-mail',
    phone: 'Telefoon',
    dpo: 'Functionaris gegevensbescherming',
    website: 'Website',
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
    yourDetails: 'What this means for you',
    yourDetailsIntro: 'This is what we know about your situation:',
    noDetails: 'We have no further details about your situation.',
    yes: 'yes',
    no: 'no',
    message: 'Our message to you',
    messageUnavailable:
      'The message is being updated right now. Below is a short summary of what happened.',
    readHeading: 'Have you read this?',
    readIntro: 'Let us know that you have read this message, so we know it reached you.',
    readButton: 'I have read this',
    readDone: (at) => html`You let us know on ${at} that you have read this. Thank you.`,
    todoHeading: 'What should you do?',
    todoIntro: 'Work through these steps. The ticks help you keep track; they are not saved.',
    todoFallback: [
      'Read our message above carefully.',
      'Do what the message asks you to do.',
      'Let us know below when you are done.',
    ],
    doneIntro: 'Finished all the steps? Let us know.',
    doneButton: 'I’ve done it',
    doneDone: (at) => html`You let us know on ${at} that you have done everything. Thank you.`,
    contactHeading: 'Contact',
    contactIntro: 'Get in touch with us, and please quote our reference.',
    email: 'Email',
    phone: 'Phone',
    dpo: 'Data protection officer',
    website: 'Website',
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
