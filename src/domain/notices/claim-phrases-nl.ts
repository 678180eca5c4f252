import type { ClaimPhrases } from './claim-phrases.js';

/** Dutch claim phrases. See `ClaimPhrases` for the notation. */
export const CLAIM_PHRASES_NL: ClaimPhrases = {
  words: {
    // "hebt" is left out on purpose: it only goes with "u"/"je" ("u hebt uw wachtwoord gewijzigd").
    HEBBEN: 'hebben|heeft|had|hadden',
    ZIJN: 'is|zijn|werd|werden|was|waren',
    WIJ: 'we|wij|ik',
    // "we gaan", "we werken er nu aan om", "vandaag gaan we", "er wordt aan gewerkt om". Only
    // with "we" as subject: "u moet uw wachtwoord wijzigen" is advice, not a denial.
    INTENT_:
      '(?:(?:we|wij|ik) {W2}(?:{GAAN})|(?:gaan|zullen|willen|proberen|moeten) (?:we|wij)|' +
      '(?:werken) (?:we|wij) (?:er )?(?:nu |hard )?aan(?: om)?|zijn (?:we|wij) (?:nu )?bezig' +
      '(?: om| met)?|er wordt {W2}aan gewerkt(?: om)?) ',
    GAAN:
      'gaan|zullen|zal|willen|wil|proberen|moeten|moet|verwachten|hopen|werken (?:er )?' +
      '(?:nu |hard |op dit moment )?aan(?: om)?|werken eraan(?: om)?|zijn (?:nu )?(?:druk )?' +
      'bezig(?: om| met)?|zijn van plan(?: om)?',

    // Up to two words before a noun ("het ernstige beveiligingslek"), but no pronoun, article,
    // conjunction or verb: "… dat we het lek" must not start at "dat".
    ADJ_:
      '(?:(?!(?:we|wij|ik|u|jij|je|ze|zij|hij|het|de|een|dat|die|en|of|maar|als|om|te|van|in|' +
      'op|aan|bij|voor|met|door|naar|hebben|heeft|is|zijn|was|werd|wordt|niet|geen|nog) )' +
      '[a-z-]+ ){0,2}',
    LEAK:
      '(?:(?:het|de|dit|deze|dat|die|een|ons|onze|alle|elk|elke|uw) )?{ADJ_}' +
      '(?:(?:data|beveiligings|veiligheids)?lek(?:ken)?|(?:beveiligings)?gat(?:en)?|' +
      'kwetsbaarhe(?:id|den)|zwakke plek(?:ken)?|inbraak|aanval(?:len)?|achterdeur(?:en)?|' +
      'onbevoegde toegang)',
    CLOSED:
      'gedicht|dicht|dichtgezet|dichtgemaakt|gerepareerd|verholpen|opgelost|gepatcht|gepatched|' +
      'gestopt|geblokkeerd|afgesloten|ingedamd|afgeslagen',
    CLOSE:
      '(?:te )?(?:dichten|repareren|verhelpen|oplossen|patchen|stoppen|blokkeren|afsluiten|' +
      'indammen|dichtzetten|dichtmaken)|op te lossen|af te sluiten|dicht te zetten|' +
      'dicht te maken|in te dammen',

    INCIDENT:
      '(?:(?:het|dit|de|deze|dat|die|ons|onze) )?{ADJ_}(?:(?:beveiligings)?' +
      'incident(?:en)?|probleem|problemen|storing(?:en)?|verstoring(?:en)?|kwestie|zaak|situatie)',
    RESOLVED:
      'opgelost|afgerond|afgehandeld|afgesloten|voorbij|achter de rug|beeindigd|verholpen|gesloten',
    RESOLVE:
      '(?:te )?(?:oplossen|afronden|afhandelen|afsluiten|verhelpen|beeindigen)|op te lossen|' +
      'af te ronden|af te handelen|af te sluiten',

    AUTHORITY:
      '(?:(?:de|onze) )?(?:(?:nederlandse|bevoegde|betreffende|relevante|verantwoordelijke) )?' +
      '(?:autoriteit persoonsgegevens|(?:privacy)?toezichthouders?|csirt(?:-dsp)?|ncsc|' +
      'nationaal cyber security centrum)|de ap',
    INFORMED:
      'ingelicht|geinformeerd|op de hoogte gebracht|op de hoogte gesteld|gewaarschuwd|' +
      'verwittigd|genotificeerd|gemeld|bericht|gemaild',
    INFORM:
      '(?:te )?(?:inlichten|informeren|waarschuwen|verwittigen|melden)|in te lichten|' +
      'op de hoogte (?:te )?(?:brengen|stellen)',
    REPORTED: 'gemeld|doorgegeven|gerapporteerd|aangemeld',
    REPORT_NOUN: '(?:een |de |onze |ons )?(?:datalek)?melding',
    FILED: 'gedaan|gemaakt|ingediend|verstuurd|ingestuurd|gestuurd',
    FILE: '(?:te )?(?:doen|maken|indienen)|in te dienen',

    CUSTOMERS:
      '(?:alle|elke|iedere|ieder|elk|al onze|al de)(?: (?:getroffen|betrokken|gedupeerde|' +
      'geraakte))? (?:{PEOPLE})|(?:(?:de|onze|deze) )?(?:getroffen|betrokken|gedupeerde|' +
      'geraakte) (?:{PEOPLE})|(?:de |alle )?(?:betrokkenen|gedupeerden|getroffenen)|' +
      'iedereen (?:die (?:getroffen|betrokken|geraakt) is|van wie (?:de )?gegevens {W3}' +
      '(?:gelekt|betrokken|getroffen|gestolen))',
    PEOPLE:
      'klanten|klant|gebruikers|gebruiker|personen|mensen|relaties|leden|abonnees|' +
      'accounthouders|betrokkenen|clienten',
    MESSAGE:
      '(?:(?:een|ons|onze|het|de) )?(?:[a-z-]+ )?(?:e-?mail|mail|bericht|brief|melding|sms)' +
      '(?:je|s|en)?',
    INFORMED_CUSTOMERS:
      'ingelicht|geinformeerd|ge-?maild|gewaarschuwd|op de hoogte gebracht|op de hoogte ' +
      'gesteld|aangeschreven|benaderd|gebeld|bericht|{MESSAGE} (?:gestuurd|gezonden|verstuurd)',
    INFORM_CUSTOMERS:
      '(?:te )?(?:inlichten|informeren|mailen|waarschuwen|benaderen|aanschrijven|bellen)|' +
      'in te lichten|aan te schrijven|op de hoogte (?:te )?(?:brengen|stellen)|' +
      '{MESSAGE} (?:te )?(?:sturen|versturen)',

    PASSWORDS:
      '(?:(?:alle|de|het|uw|hun|jullie|onze|elk|ieder|betrokken|getroffen|bijbehorende) )*' +
      '(?:wachtwoorden|wachtwoord|inloggegevens)',
    RESET:
      'gereset|opnieuw ingesteld|gewijzigd|veranderd|ongeldig gemaakt|ongeldig verklaard|' +
      'geblokkeerd|vervangen|ingetrokken|teruggezet|laten verlopen|verlopen verklaard',
    RESET_NOW:
      '(?:te )?(?:resetten|wijzigen|veranderen|blokkeren|vervangen|intrekken)|opnieuw ' +
      '(?:te )?instellen|opnieuw in te stellen|ongeldig (?:te )?maken|in te trekken|laten verlopen',
  },

  conditional:
    '\\b(?:als|indien|zodra|wanneer|tot|totdat|tenzij|mits|of|ingeval|mocht|mochten|zorg|' +
    'controleer|controleren|nagaan)\\b',
  negation: '\\b(?:niet(?! alleen)|nooit|geen|niemand|niets|noch)\\b',
  hedge:
    '\\b(?:(?:kan|kunnen)(?! (?:u )?(?:bevestigen|melden|zeggen|laten weten))|zou|zouden|misschien|(?<!zo snel )(?<!zo spoedig )mogelijk|' +
    'waarschijnlijk|wellicht|hopelijk|vermoedelijk|moet|moeten|mag|mogen|lijkt|lijken)\\b',
  future: '\\b(?:zal|zullen)\\b',
  // "u" as the subject, not after a preposition ("voor u hebben we …").
  otherSubject: '(?<!\\b(?:voor|aan|met|bij|naar|van|door|om) )\\b(?:u|jij|jullie|ze|zij)\\b',
  thirdParty:
    '\\b(?:leveranciers?|fabrikant(?:en)?|ontwikkelaars?|maker|makers|aanvallers?|hackers?|' +
    'criminelen|indringers?)\\b',

  facts: {
    contained: {
      cue: 'lek|gat|kwetsba|zwakke plek|inbraak|aanval|achterdeur|toegang',
      veto: '\\b(?:versies?|releases?)\\b|\\bin v?\\d+\\.\\d',
      asserts: [
        '{HEBBEN} {W6}{LEAK} {W6}(?:{CLOSED})',
        '{LEAK} {W4}(?:{ZIJN}) {W4}(?:{CLOSED})',
        '(?:{ZIJN}) {W4}{LEAK} {W4}(?:{CLOSED})',
        '{LEAK} {W4}(?:{CLOSED}) (?:is|zijn|hebben|heeft|werd|werden)',
        '{LEAK} {W4}(?:hebben|heeft) (?:{CLOSED})',
        '{WIJ} {W2}(?:dichtten|repareerden|verhielpen|stopten|blokkeerden) {W4}{LEAK}',
      ],
      denies: [
        '{INTENT_}{W6}{LEAK} {W3}(?:{CLOSE})',
        '{LEAK} {W4}(?:is|zijn) {W2}(?:open|nog actief)',
        '{LEAK} {W4}(?:wordt|worden) {W3}(?:{CLOSED})',
        '(?:wordt|worden) {W3}{LEAK} {W3}(?:{CLOSED})',
        '{LEAK} {W4}(?:zal|zullen|moet|moeten) {W3}(?:worden )?(?:{CLOSED})(?: worden)?',
        '(?:zijn|is) {W2}bezig (?:met )?(?:het )?(?:dichten|repareren|verhelpen|oplossen) (?:van )?{LEAK}',
      ],
    },
    resolved: {
      cue: 'incident|probleem|problemen|storing|kwestie|zaak|situatie',
      veto: '\\b(?:versies?|releases?)\\b|\\bin v?\\d+\\.\\d',
      asserts: [
        '{HEBBEN} {W6}{INCIDENT} {W6}(?:{RESOLVED})',
        '{INCIDENT} {W4}(?:{ZIJN}) {W4}(?:{RESOLVED})',
        '(?:{ZIJN}) {W4}{INCIDENT} {W4}(?:{RESOLVED})',
        '{INCIDENT} {W4}(?:{RESOLVED}) (?:is|zijn|hebben|heeft|werd|werden)',
        '{INCIDENT} {W4}(?:hebben|heeft) (?:{RESOLVED})',
      ],
      denies: [
        '{INTENT_}{W6}{INCIDENT} {W3}(?:{RESOLVE})',
        '{INCIDENT} {W4}(?:is|zijn) {W2}(?:nog )?(?:gaande|open|actief)',
        '{INCIDENT} {W3}(?:loopt|lopen|duurt|duren) {W2}nog',
        '{INCIDENT} {W4}(?:wordt|worden) {W3}(?:{RESOLVED})',
        '{INCIDENT} {W4}(?:zal|zullen|moet|moeten) {W3}(?:worden )?(?:{RESOLVED})(?: worden)?',
      ],
    },
    authority_notified: {
      cue: 'persoonsgegevens|toezichthouder|csirt|ncsc|cyber security|de ap\\b|datalek|melden',
      asserts: [
        '{HEBBEN} {W8}{AUTHORITY} {W3}(?:{INFORMED})',
        '{HEBBEN} {W6}(?:{REPORTED}) (?:bij|aan) {AUTHORITY}',
        '{HEBBEN} {W6}(?:bij|aan) {AUTHORITY} {W3}(?:{REPORTED})',
        '{HEBBEN} {W6}{REPORT_NOUN} {W3}(?:{FILED}) (?:bij|aan) {AUTHORITY}',
        '{HEBBEN} {W6}{REPORT_NOUN} {W2}(?:bij|aan) {AUTHORITY} {W3}(?:{FILED})',
        '{REPORT_NOUN} {W2}(?:{FILED}) (?:bij|aan) {AUTHORITY}',
        '{REPORT_NOUN} (?:bij|aan) {AUTHORITY} {W2}(?:{ZIJN}) {W3}(?:{FILED})',
        '(?:bij|aan) {AUTHORITY} {W2}(?:{ZIJN}) {W3}{REPORT_NOUN} {W2}(?:{FILED})',
        '{AUTHORITY} {W3}(?:{ZIJN}) {W3}(?:{INFORMED})',
        '(?:{ZIJN}) {W3}{AUTHORITY} {W3}(?:{INFORMED})',
        '(?:{ZIJN}) {W4}(?:{REPORTED}) (?:bij|aan) {AUTHORITY}',
        '(?:{ZIJN}) {W4}(?:bij|aan) {AUTHORITY} {W2}(?:{REPORTED})',
        '{AUTHORITY} {W3}(?:hebben|heeft) (?:{INFORMED})',
        '{AUTHORITY} {W3}(?:{INFORMED}) (?:hebben|heeft)',
        '(?:bij|aan) {AUTHORITY} {W3}(?:{REPORTED}) (?:hebben|heeft|is|zijn)',
        '(?:bij|aan) {AUTHORITY} (?:hebben|heeft|is|zijn) (?:{REPORTED})',
        // "We hebben het datalek gemeld": the legal term, said of the authority.
        '{HEBBEN} {W3}(?:het|dit|ons) datalek {W3}gemeld(?! (?:aan|bij) )',
        '(?:het|dit|ons) datalek {W3}(?:{ZIJN}) {W3}gemeld(?! (?:aan|bij) )',
        '{WIJ} {W2}(?:meldden|rapporteerden) {W4}(?:bij|aan) {AUTHORITY}',
        '{WIJ} {W2}(?:informeerden|waarschuwden) {W2}{AUTHORITY}',
        '{WIJ} {W2}lichtten {W2}{AUTHORITY} {W2}in',
      ],
      denies: [
        '{INTENT_}{W6}{AUTHORITY} {W3}(?:{INFORM})',
        '{INTENT_}{W6}(?:te )?melden (?:bij|aan) {AUTHORITY}',
        '{INTENT_}{W6}(?:bij|aan) {AUTHORITY} {W3}(?:te )?melden',
        '{INTENT_}{W6}{REPORT_NOUN} (?:{FILE}) (?:bij|aan) {AUTHORITY}',
        '{INTENT_}{W6}{REPORT_NOUN} (?:bij|aan) {AUTHORITY} (?:{FILE})',
        '{INTENT_}{W3}(?:het|dit|ons) datalek {W3}(?:te )?melden',
        // A bare "we gaan melden." at the end of a clause.
        '(?:(?:we|wij) (?:gaan|zullen)|(?:gaan|zullen) (?:we|wij)) (?:het |dit )?melden(?= ?[.,;!]| ?$)',
        '{AUTHORITY} {W3}(?:wordt|worden|zal|zullen) {W3}(?:worden )?(?:{INFORMED})(?: worden)?',
      ],
    },
    customers_notified: {
      cue: 'klant|gebruiker|personen|mensen|relaties|leden|abonnees|accounthouders|betrokkenen|gedupeerden|getroffenen|clienten|iedereen',
      asserts: [
        '{HEBBEN} {W6}(?:{CUSTOMERS}) {W4}(?:{INFORMED_CUSTOMERS})',
        '(?:{CUSTOMERS}) {W3}(?:hebben|heeft) {W4}{MESSAGE} {W3}(?:gekregen|ontvangen)',
        '(?:{CUSTOMERS}) {W3}(?:{ZIJN}) {W4}(?:{INFORMED_CUSTOMERS})',
        '(?:{ZIJN}) {W3}(?:{CUSTOMERS}) {W4}(?:{INFORMED_CUSTOMERS})',
        '{HEBBEN} {W4}{MESSAGE} {W3}(?:gestuurd|verstuurd|gezonden) (?:aan|naar) (?:{CUSTOMERS})',
        '{HEBBEN} {W4}(?:aan|naar) (?:{CUSTOMERS}) {W4}(?:gestuurd|verstuurd|gezonden)',
        '(?:{CUSTOMERS}) {W3}(?:hebben|heeft|zijn) (?:{INFORMED_CUSTOMERS})',
        '(?:{CUSTOMERS}) {W3}(?:{INFORMED_CUSTOMERS}) (?:hebben|heeft|zijn)',
        '{WIJ} {W2}(?:informeerden|mailden|waarschuwden|belden) {W2}(?:{CUSTOMERS})',
      ],
      // "Alle klanten worden ingelicht" describes the sending under way, like "we sturen deze
      // mail aan iedereen": no denial. Only a plan is.
      denies: [
        '{INTENT_}{W6}(?:{CUSTOMERS}) {W4}(?:{INFORM_CUSTOMERS})',
        '(?:{CUSTOMERS}) {W3}(?:zullen|zal) {W3}(?:worden )?(?:{INFORMED_CUSTOMERS})(?: worden)?',
      ],
    },
    passwords_reset: {
      cue: 'wachtwoord|inloggegevens',
      veto: '\\b(?:elke|iedere) (?:\\d+ )?(?:dag|week|maand|jaar|keer)\\b|\\b(?:regelmatig|periodiek)\\b',
      asserts: [
        '{HEBBEN} {W6}{PASSWORDS} {W4}(?:{RESET})',
        '{PASSWORDS} {W4}(?:{ZIJN}) {W3}(?:{RESET})',
        '(?:{ZIJN}) {W3}{PASSWORDS} {W4}(?:{RESET})',
        '{PASSWORDS} {W3}(?:hebben|heeft|zijn|is) (?:{RESET})',
        '{PASSWORDS} {W3}(?:{RESET}) (?:hebben|heeft|zijn|is)',
        '{HEBBEN} {W6}(?:een )?(?:[a-z-]+ )?wachtwoordreset {W3}(?:uitgevoerd|afgedwongen|doorgevoerd|gedaan)',
      ],
      denies: [
        '{INTENT_}{W6}{PASSWORDS} {W3}(?:{RESET_NOW})',
        '{PASSWORDS} {W3}(?:zal|zullen) {W3}(?:worden )?(?:{RESET})(?: worden)?',
      ],
    },
  },
};
