import type { ClaimPhrases } from './claim-phrases.js';

// Verb forms shared by several facts.
const TOLD = 'told|informed|notified|alerted|contacted|warned|updated';
const SENT_MESSAGE = '(?:an? |our )?(?:[a-z-]+ )?(?:e-?mail|message|letter|notice|notification)s?';

/** English claim phrases. See `ClaimPhrases` for the notation. */
export const CLAIM_PHRASES_EN: ClaimPhrases = {
  words: {
    HAVE: "have|has|had|'ve|'s|haven't|hasn't|hadn't",
    BE: "is|are|was|were|'s|'re|isn't|aren't|wasn't|weren't",
    // Finished in the past: "has been told", "was told". Present passive ("the regulator is
    // informed within 72 hours") describes a procedure, not an event, so it is left out.
    DONE: "{HAVE} {ADV_}been|was|were|wasn't|weren't",
    WE: 'we|i',
    ADV_:
      '(?:(?:not|never|yet|now|already|also|both|all|successfully|immediately|quickly|promptly|' +
      'swiftly|since|then|meanwhile|fully|completely|partially|partly|temporarily|permanently|' +
      'today|yesterday|just|recently|finally|properly|effectively|personally|formally|' +
      'officially|directly|individually|duly|still|as well|in the meantime|at once) )*',
    // "we will", "we are working to", "we're going to", "we have yet to"; an impersonal "work
    // is under way to". Only with "we" as subject: "customers need to change their password"
    // is advice, not a statement about what we did not do.
    INTENT_:
      "(?:(?:we|i)(?:'ll|'re {ADV_}(?:{GOING}) to| {ADV_}(?:will|shall|must|(?:are|am) {ADV_}" +
      '(?:{GOING}) to|(?:plan|intend|expect|aim|hope|need|want|have|have yet) to))|' +
      'work is (?:under ?way|ongoing|in progress) to) {ADV_}',
    GOING: 'going|working(?: hard)?|trying|planning|preparing|about|aiming|hoping|still working',
    // Up to two words before a noun ("the critical WordPress vulnerability"), but no pronoun,
    // article, conjunction or verb: "… that we have the leak" must not start at "that".
    ADJ_:
      '(?:(?!(?:we|i|you|they|he|she|it|that|which|who|the|a|an|and|or|but|if|when|to|of|in|on|' +
      "at|for|with|by|from|have|has|had|is|are|was|were|be|been|will|not|no|'s) )[a-z'-]+ ){0,2}",
    WE_ARE_: "(?:we|i)(?:'re| {ADV_}(?:are|am)) {ADV_}",

    LEAK:
      '(?:(?:the|this|that|these|those|our|its|their|all|every|each|a|any) )?{ADJ_}' +
      '(?:leaks?|holes?|breach(?:es)?|vulnerabilit(?:y|ies)|flaws?|weakness(?:es)?|backdoors?|' +
      'intrusions?|attacks?|unauthori[sz]ed access)',
    CLOSED:
      'closed(?: off)?|fixed|patched|contained|plugged|sealed(?: off)?|stopped|blocked|remedied|' +
      'repaired|mitigated|resolved|shut(?: down)?',
    CLOSE: 'close|fix|patch|contain|plug|seal|stop|block|remedy|repair|mitigate|resolve|shut',
    CLOSING:
      'closing|fixing|patching|containing|plugging|sealing|stopping|blocking|remedying|' +
      'repairing|mitigating|resolving',

    INCIDENT:
      '(?:(?:the|this|that|our) )?{ADJ_}' +
      '(?:incident|issue|problem|outage|disruption|matter|case|situation|malfunction)s?',
    RESOLVED: 'resolved|solved|closed|ended|concluded|settled',
    RESOLVE: 'resolve|solve|close|end|conclude|settle',

    AUTHORITY:
      '(?:(?:the|our) )?(?:(?:dutch|irish|german|belgian|french|national|competent|relevant|' +
      'lead|responsible|appropriate|privacy) )*(?:data protection authorit(?:y|ies)|' +
      'data protection regulator|dpa|supervisory authorit(?:y|ies)|regulators?|information ' +
      "commissioner(?:'s office)?|ico|autoriteit persoonsgegevens|csirt(?:-dsp)?|ncsc|national " +
      'cyber security cent(?:re|er)|privacy (?:regulator|authority))|the ap',
    TOLD,
    TELL: 'tell|inform|notify|alert|contact|warn|update',
    REPORTED: 'reported|submitted|sent|filed|made|lodged|delivered',
    REPORT: 'report|submit|send|file|make|lodge',

    CUSTOMERS:
      '(?:all|every|each)(?: (?:of )?(?:the|our|those))? (?:(?:affected|involved|impacted|' +
      'concerned|relevant) )?(?:{PEOPLE})|(?:(?:the|our|those) )?(?:affected|involved|impacted) ' +
      '(?:{PEOPLE})|(?:all |the )?(?:customers|clients|users|people|individuals) (?:affected|' +
      'involved|concerned|at risk)|everyone (?:affected|involved|concerned|at risk|whose (?:data|' +
      'details|information))|everybody (?:affected|involved)|all (?:of )?(?:those|them) ' +
      '(?:affected|involved)',
    PEOPLE:
      'customers?|clients?|users?|account holders?|people|persons|individuals|data subjects|' +
      'members|subscribers',
    TOLD_CUSTOMERS: `${TOLD}|e-?mailed|mailed|written to|messaged|called|texted|reached out to|sent ${SENT_MESSAGE} to`,
    TELL_CUSTOMERS: 'tell|inform|notify|e-?mail|contact|alert|warn|write to|message',
    MESSAGE: SENT_MESSAGE,

    PASSWORDS:
      "(?:(?:all|the|your|their|our|every|each|affected|customers'|users'|account|any|of) )*" +
      '(?:passwords?|credentials|login details)',
    RESET:
      'reset|changed|invalidated|revoked|expired|blocked|disabled|replaced|rotated|deactivated',
    RESET_NOW: 'reset|change|invalidate|revoke|expire|block|disable|replace|rotate|deactivate',
  },

  conditional:
    '\\b(?:if|unless|whether|once|when|whenever|until|till|as soon as|in case|provided|' +
    'assuming|ensure|make sure|check|verify)\\b',
  negation: "\\b(?:not(?! only)|never|no|none|nobody|nothing|neither|nor|cannot)\\b|n't\\b",
  hedge:
    '\\b(?:may|might|could|should|would|must|probably|possibly|perhaps|hopefully|likely|' +
    'unlikely|seems?|appears?)\\b',
  future: "\\b(?:will|shall|going to)\\b|'ll\\b",
  // "you" as the subject, not after a preposition ("for you we have …").
  otherSubject: '(?<!\\b(?:for|to|with|from|by|of|at) )\\b(?:you|they)\\b',
  thirdParty:
    '\\b(?:vendors?|manufacturers?|suppliers?|developers?|makers?|attackers?|hackers?|' +
    'criminals?|intruders?)\\b',

  facts: {
    contained: {
      cue: 'leak|hole|breach|vulnerabilit|flaw|weakness|backdoor|intrusion|attack|access',
      // "fixed in version 2.4.1" is the vendor's release, not our containment.
      veto: '\\b(?:versions?|releases?)\\b|\\bin v?\\d+\\.\\d',
      asserts: [
        '{HAVE} {ADV_}{CLOSED} {LEAK}',
        '{WE} {ADV_}{CLOSED} {LEAK}',
        '{LEAK} {W4}{HAVE} {ADV_}been {ADV_}{CLOSED}',
        '{LEAK} {W4}{BE} {ADV_}{CLOSED}',
      ],
      denies: [
        '{INTENT_}{CLOSE} {LEAK}',
        '{WE_ARE_}(?:working on|busy|in the process of) {ADV_}{CLOSING} {LEAK}',
        '{LEAK} {W4}{BE} {ADV_}(?:open|unpatched|unfixed|still active|still being exploited)',
        '{LEAK} {W4}{BE} {ADV_}being {CLOSED}',
        "{LEAK} {W4}(?:will|'ll|shall) {ADV_}be {ADV_}{CLOSED}",
        '{LEAK} {W4}(?:has|have|is|are) yet to be {CLOSED}',
        "{WE} {ADV_}(?:did not|didn't|could not|couldn't|cannot|can't|were unable to) {ADV_}{CLOSE} {LEAK}",
      ],
    },
    resolved: {
      cue: 'incident|issue|problem|outage|disruption|matter|case|situation|malfunction',
      veto: '\\b(?:versions?|releases?)\\b|\\bin v?\\d+\\.\\d',
      asserts: [
        '{HAVE} {ADV_}{RESOLVED} {INCIDENT}',
        '{WE} {ADV_}{RESOLVED} {INCIDENT}',
        '{INCIDENT} {W4}{HAVE} {ADV_}been {ADV_}{RESOLVED}',
        '{INCIDENT} {W4}{BE} {ADV_}(?:{RESOLVED}|over|behind us)',
      ],
      denies: [
        '{INTENT_}{RESOLVE} {INCIDENT}',
        '{WE_ARE_}working on {INCIDENT}',
        '{INCIDENT} {W4}{BE} {ADV_}(?:ongoing|unresolved|open|continuing|being (?:resolved|handled|dealt with))',
        "{INCIDENT} {W4}(?:will|'ll) {ADV_}be {ADV_}{RESOLVED}",
        '{INCIDENT} {W4}(?:has|have|is|are) yet to be {RESOLVED}',
      ],
    },
    authority_notified: {
      cue: 'authorit|regulator|dpa|commissioner|ico|persoonsgegevens|csirt|ncsc|cyber security|the ap|data breach',
      asserts: [
        '{HAVE} {ADV_}(?:{TOLD}) {AUTHORITY}',
        '{HAVE} {ADV_}(?:{REPORTED}) {W4}(?:to|with) {AUTHORITY}',
        '{WE} {ADV_}(?:{TOLD}) {AUTHORITY}',
        '{WE} {ADV_}(?:{REPORTED}) {W4}(?:to|with) {AUTHORITY}',
        '(?:{HAVE}|{WE}) {W6}and {ADV_}(?:(?:{TOLD}) {AUTHORITY}|(?:{REPORTED}) {W4}(?:to|with) {AUTHORITY})',
        '{AUTHORITY} {W3}(?:{DONE}) {ADV_}(?:{TOLD})',
        '(?:{DONE}) {ADV_}(?:reported|notified|submitted|sent) {ADV_}to {AUTHORITY}',
        '(?:report|notification)s? {W3}(?:to|with) {AUTHORITY} {ADV_}(?:{DONE}) {ADV_}(?:made|filed|submitted|sent|lodged)',
        // "We have reported the data breach": the GDPR term, said of the authority.
        '(?:{HAVE}|{WE}) {ADV_}reported (?:the|this|our|a) (?:personal )?data breach(?! (?:to|with) )',
        '(?:the|this|our) (?:personal )?data breach {ADV_}(?:{DONE}) {ADV_}reported(?! to )',
      ],
      denies: [
        '{INTENT_}(?:{TELL}) {AUTHORITY}',
        '{INTENT_}(?:{REPORT}) {W4}(?:to|with) {AUTHORITY}',
        "{AUTHORITY} {W3}(?:will|'ll|shall) {ADV_}be {ADV_}(?:{TOLD})",
        '{AUTHORITY} {W3}(?:has|have|is|are) yet to be (?:{TOLD})',
      ],
    },
    customers_notified: {
      cue: 'customer|client|user|account holder|people|person|individual|data subject|member|subscriber|everyone|everybody|those|them',
      asserts: [
        '{HAVE} {ADV_}(?:{TOLD_CUSTOMERS}) {ADV_}(?:{CUSTOMERS})',
        '{WE} {ADV_}(?:{TOLD_CUSTOMERS}) {ADV_}(?:{CUSTOMERS})',
        '(?:{HAVE}|{WE}) {ADV_}sent {W4}to (?:{CUSTOMERS})',
        '(?:{HAVE}|{WE}) {ADV_}sent (?:{CUSTOMERS}) {MESSAGE}',
        '(?:{HAVE}|{WE}) {W6}and {ADV_}(?:{TOLD_CUSTOMERS}) {ADV_}(?:{CUSTOMERS})',
        '(?:{CUSTOMERS}) {ADV_}(?:{DONE}) {ADV_}(?:{TOLD_CUSTOMERS}|sent {MESSAGE})',
        '(?:{CUSTOMERS}) {ADV_}{HAVE} {ADV_}(?:received|got|been sent) {W3}(?:e-?mail|message|letter|notice|notification)',
      ],
      denies: [
        '{INTENT_}(?:{TELL_CUSTOMERS}) {ADV_}(?:{CUSTOMERS})',
        "(?:{CUSTOMERS}) {ADV_}(?:will|'ll) {ADV_}be {ADV_}(?:told|informed|notified|contacted|e-?mailed|warned)",
        '(?:{CUSTOMERS}) {ADV_}(?:has|have) yet to be (?:{TOLD_CUSTOMERS})',
      ],
    },
    passwords_reset: {
      cue: 'password|credentials|login details',
      // "Passwords are reset every 90 days" is a policy, not this case.
      veto: '\\b(?:every (?:\\d+ )?(?:day|week|month|year|time)s?|regularly|periodically)\\b',
      asserts: [
        '{HAVE} {ADV_}(?:{RESET}) {PASSWORDS}',
        '{WE} {ADV_}(?:{RESET}) {PASSWORDS}',
        '{PASSWORDS} {W4}(?:{DONE}) {ADV_}(?:{RESET})',
        '(?:{HAVE}|{WE}) {ADV_}(?:forced|triggered|enforced|initiated|required|carried out|performed) (?:an? )?(?:[a-z-]+ )?password (?:reset|change)',
      ],
      denies: [
        '{INTENT_}(?:{RESET_NOW}) {PASSWORDS}',
        '{INTENT_}(?:force|trigger|enforce|require) (?:an? )?(?:[a-z-]+ )?password (?:reset|change)',
        "{PASSWORDS} {W4}(?:will|'ll) {ADV_}be {ADV_}(?:{RESET})",
      ],
    },
  },
};
