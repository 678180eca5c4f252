import { describe, expect, it } from 'vitest';
import type { Language } from '../language.js';
import { CLAIM_FACTS, findClaims, type ClaimFact } from './claims.js';

interface PhraseCases {
  asserts: string[];
  denies: string[];
  /** Future, conditional, questions, advice, someone else, other facts: no claim of this fact. */
  neutral: string[];
}

// Sentences per language and fact. The built-in template sentences are copied verbatim (as of
// this commit), so a template rewrite does not silently change what is tested here.
const CASES: Record<Language, Record<ClaimFact, PhraseCases>> = {
  en: {
    contained: {
      asserts: [
        'We have closed the leak.',
        'We closed the leak on {{ case.contained_at }}.',
        'We have closed the hole and are looking into what happened.',
        'The leak has been closed.',
        'The vulnerability is now patched.',
        "We've fixed the vulnerability in our login page.",
        'The breach was contained within two hours.',
        'We have successfully stopped the attack.',
        'We can confirm that the leak has been closed.',
      ],
      denies: [
        'We are working to close the leak.',
        'We are working to close the leak right now.',
        'We have not yet closed the leak.',
        'The leak has not been closed yet.',
        'We are still working on fixing the vulnerability.',
        'The hole is still open.',
        'We will close the leak tonight.',
        'The vulnerability will be patched this weekend.',
        "We'll fix the flaw today.",
      ],
      neutral: [
        'Once the hole is closed everywhere, we will publish them.',
        'This part stays hidden until the flaw is fixed.',
        'If we have closed the leak, we will say so here.',
        'Have we closed the leak?',
        'We found the leak on {{ case.detected_at }}.',
        'The vulnerability is fixed in version 2.4.1.',
        'The leak may have been closed by the hosting provider.',
        'The vendor has fixed the flaw.',
        'You have closed the hole.',
        'We may have closed the leak.',
        'Describe here how the flaw worked.',
        'There has been a data breach at {{ organisation.name }} that involves your data.',
      ],
    },
    resolved: {
      asserts: [
        'The incident has been resolved.',
        'We have resolved the issue.',
        'The incident is over.',
        'The outage was resolved at 14:00.',
        'We resolved the problem yesterday.',
      ],
      denies: [
        'The incident is still ongoing.',
        'We are working to resolve the issue.',
        'The problem has not been resolved yet.',
        'We are still working on the problem.',
        'The incident will be closed next week.',
      ],
      neutral: [
        'If the problem is resolved, we will let you know.',
        'Was the incident resolved?',
        'We will let you know when the problem is solved.',
        'This issue is resolved in version 3.1.',
        'In that case, please call us.',
        'We have closed the leak.',
      ],
    },
    authority_notified: {
      asserts: [
        'We have told the Dutch Data Protection Authority.',
        'We have notified the regulator.',
        'We reported the breach to the Autoriteit Persoonsgegevens on 4 May.',
        'The AP was informed on 4 May.',
        'The supervisory authority has been notified.',
        'We have filed a report with the Dutch DPA.',
        'The breach has been reported to the NCSC.',
        'We have reported the data breach.',
        'We closed the leak and informed the regulator.',
      ],
      denies: [
        'We will tell the AP.',
        'We will report the breach to the regulator within 72 hours.',
        'We have not yet informed the supervisory authority.',
        'We are going to notify the Data Protection Authority today.',
        'The regulator will be informed tomorrow.',
        'We have yet to report it to the CSIRT.',
      ],
      neutral: [
        'If we have told the AP, we will say so.',
        'Should we tell the regulator?',
        'We are in contact with the police.',
        'The regulator is informed within 72 hours of every breach.',
        'You can complain to the Data Protection Authority.',
        'Please check whether we have notified the regulator.',
        'We have reported the data breach to our customers.',
      ],
    },
    customers_notified: {
      asserts: [
        'We have informed all affected customers.',
        'All affected customers have been notified.',
        'We emailed every affected customer on Monday.',
        'We have sent a personal email to all customers at risk.',
        'All affected users have received a message from us.',
        'Everyone affected has been told.',
        'We have sent all affected customers an email.',
      ],
      denies: [
        'We will inform all affected customers personally.',
        'We have not yet told all affected customers.',
        'Not all affected customers have been informed yet.',
        'We are going to email everyone affected today.',
        'Affected customers will be notified this week.',
      ],
      neutral: [
        'We are sending this email to everyone whose data leaked.',
        'That way, all of you can protect yourselves.',
        'We are sending this advice to all customers at risk.',
        'Customers whose data were involved get a personal message from us.',
        'Customers at risk get a personal message from us.',
        'We have checked which customers are at risk.',
        'We will tell you as soon as we know.',
        'If all affected customers have been informed, we will close the case.',
        'We will send a reminder to all affected customers.',
      ],
    },
    passwords_reset: {
      asserts: [
        'We have reset all passwords.',
        'We reset your password as a precaution.',
        'All passwords have been reset.',
        'The passwords of all affected accounts have been reset.',
        'We have forced a password reset for all users.',
        'Your password was reset on 3 May.',
        'As a precaution we have reset the password for you.',
      ],
      denies: [
        'We will reset all passwords tonight.',
        'We have not reset the passwords yet.',
        'We are going to reset all passwords.',
        'All passwords will be reset tomorrow.',
      ],
      neutral: [
        'Choose a new password for your account with us.',
        'Pick one that you do not use anywhere else.',
        'Reset your password.',
        'Do you use the same password somewhere else?',
        'Once you have changed your password, let us know.',
        'You have changed your password.',
        'We will never ask for your password.',
        'Passwords are reset every 90 days.',
        'Customers need to change their password.',
        'The aim is to trick you into giving your password or money.',
      ],
    },
  },
  nl: {
    contained: {
      asserts: [
        'We hebben het lek gedicht.',
        'Op {{ case.contained_at }} hebben we het lek gedicht.',
        'Wij hebben het lek gedicht en onderzoeken wat er precies is gebeurd.',
        'Het lek is gedicht.',
        'Inmiddels is het beveiligingslek verholpen.',
        'De kwetsbaarheid werd op 3 mei gepatcht.',
        'We hebben de aanval gestopt.',
        'Het datalek is dicht.',
        'We hebben het lek op 3 mei om 14:00 gedicht.',
        'Wij laten u weten dat we het lek hebben gedicht.',
        'Wij kunnen bevestigen dat het lek is gedicht.',
        'Voor u hebben we het lek gedicht.',
      ],
      denies: [
        'We werken eraan om het lek te dichten.',
        'We werken er nu aan om het lek te dichten.',
        'We hebben het lek nog niet gedicht.',
        'Het lek is nog niet gedicht.',
        'Het lek is nog open.',
        'We gaan het lek vandaag dichten.',
        'Het lek wordt op dit moment gedicht.',
        'Het lek moet nog worden gedicht.',
      ],
      neutral: [
        'Als het lek overal is gedicht, maken we ze bekend.',
        'Dit deel blijft verborgen tot het lek is gedicht.',
        'Is het lek al gedicht?',
        'We ontdekten het lek op {{ case.detected_at }}.',
        'Bij {{ organisation.name }} is een datalek geweest.',
        'De kwetsbaarheid is opgelost in versie 2.4.1.',
        'De leverancier heeft het lek gedicht.',
        'U heeft het lek gedicht.',
        'Het lek kan gedicht zijn.',
        'De maker heeft een versie uitgebracht waarin het lek is gedicht.',
        'Zodra we het lek hebben gedicht, laten we het u weten.',
        'Beschrijf hier hoe het lek werkte.',
      ],
    },
    resolved: {
      asserts: [
        'Het incident is opgelost.',
        'We hebben het probleem opgelost.',
        'De storing is verholpen.',
        'Het incident is afgerond.',
        'Het incident is inmiddels achter de rug.',
      ],
      denies: [
        'Het incident is nog niet opgelost.',
        'We werken eraan om het probleem op te lossen.',
        'Het incident loopt nog.',
        'Het incident is nog gaande.',
        'We gaan het incident vandaag afronden.',
      ],
      neutral: [
        'Als het probleem is opgelost, laten we het u weten.',
        'Is het incident opgelost?',
        'Het probleem is opgelost in versie 3.1.',
        'In dat geval kunt u ons bellen.',
        'Het is zaak om snel te handelen.',
        'We hebben het lek gedicht.',
      ],
    },
    authority_notified: {
      asserts: [
        'Wij hebben de Autoriteit Persoonsgegevens ingelicht.',
        'We hebben de AP ingelicht.',
        'We hebben de AP gemeld.',
        'We hebben melding gedaan bij de Autoriteit Persoonsgegevens.',
        'Melding gedaan bij de Autoriteit Persoonsgegevens.',
        'Het datalek is gemeld bij de AP.',
        'De toezichthouder is op 4 mei geïnformeerd.',
        'We hebben het datalek gemeld.',
        'Op 4 mei hebben we het lek bij de AP gemeld.',
        'We hebben het NCSC op de hoogte gebracht.',
        'Bij de AP is op 4 mei een melding gedaan.',
      ],
      denies: [
        'We gaan de AP inlichten.',
        'We gaan melden.',
        'We zullen het datalek binnen 72 uur melden.',
        'We hebben de AP nog niet ingelicht.',
        'We gaan het lek vandaag melden bij de Autoriteit Persoonsgegevens.',
        'De toezichthouder wordt vandaag ingelicht.',
        'Er is nog geen melding gedaan bij de AP.',
      ],
      neutral: [
        'Als we de AP hebben ingelicht, zetten we dat hier.',
        'Moeten we de AP inlichten?',
        'U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.',
        'De AP houdt toezicht op de privacywet.',
        'We melden het datalek als dat nodig is.',
        'We hebben het datalek gemeld aan onze klanten.',
      ],
    },
    customers_notified: {
      asserts: [
        'Alle getroffen klanten hebben een bericht gekregen.',
        'We hebben alle betrokken klanten ingelicht.',
        'Alle betrokken klanten zijn per e-mail geïnformeerd.',
        'We hebben een e-mail gestuurd aan alle getroffen klanten.',
        'Inmiddels zijn alle gedupeerden op de hoogte gebracht.',
        'We hebben alle klanten een persoonlijke mail gestuurd.',
      ],
      denies: [
        'We gaan alle betrokken klanten vandaag inlichten.',
        'We hebben nog niet alle getroffen klanten ingelicht.',
        'Niet alle betrokken klanten zijn al ingelicht.',
        'We zullen alle betrokken klanten informeren.',
      ],
      neutral: [
        'We sturen deze mail aan iedereen van wie gegevens zijn gelekt.',
        'Zo kan iedereen zich beschermen.',
        'We sturen dit advies aan alle klanten die risico lopen.',
        'Klanten van wie gegevens zijn betrokken, krijgen van ons een persoonlijk bericht.',
        'Klanten die het risico lopen, krijgen van ons een persoonlijk bericht.',
        'We hebben nagekeken welke klanten risico lopen.',
        'Zodra alle klanten zijn ingelicht, sluiten we de zaak.',
        'Alle betrokken klanten worden vandaag gemaild.',
      ],
    },
    passwords_reset: {
      asserts: [
        'Wij hebben de wachtwoorden gereset.',
        'Wij hebben de wachtwoorden opnieuw ingesteld.',
        'Alle wachtwoorden zijn gereset.',
        'We hebben uw wachtwoord uit voorzorg gewijzigd.',
        'Uw wachtwoord is op 3 mei ongeldig gemaakt.',
      ],
      denies: [
        'We gaan alle wachtwoorden resetten.',
        'We hebben de wachtwoorden nog niet gereset.',
        'De wachtwoorden zullen morgen worden gereset.',
        'We werken eraan om alle wachtwoorden opnieuw in te stellen.',
      ],
      neutral: [
        'Kies een nieuw wachtwoord voor uw account bij ons.',
        'Gebruikt u hetzelfde wachtwoord ook ergens anders?',
        'Wij vragen nooit om uw wachtwoord.',
        'Heeft u uw wachtwoord al gewijzigd?',
        'U heeft uw wachtwoord gewijzigd.',
        'Als u uw wachtwoord hebt gewijzigd, laat het ons weten.',
        'Wachtwoorden worden elke 90 dagen gereset.',
        'Laat ons weten dat u uw wachtwoord hebt gewijzigd.',
        'U moet uw wachtwoord wijzigen.',
      ],
    },
  },
};

function claimsOf(sentence: string, language: Language, fact: ClaimFact): string[] {
  return findClaims(sentence, language)
    .filter((f) => f.fact === fact)
    .map((f) => f.polarity);
}

describe.each(['en', 'nl'] as const)('findClaims in %s', (language) => {
  describe.each(CLAIM_FACTS)('%s', (fact) => {
    const cases = CASES[language][fact];
    it.each(cases.asserts)('asserts: %s', (sentence) => {
      expect(claimsOf(sentence, language, fact)).toEqual(['asserts']);
    });
    it.each(cases.denies)('denies: %s', (sentence) => {
      expect(claimsOf(sentence, language, fact)).toEqual(['denies']);
    });
    it.each(cases.neutral)('claims nothing: %s', (sentence) => {
      expect(claimsOf(sentence, language, fact)).toEqual([]);
    });
  });
});
