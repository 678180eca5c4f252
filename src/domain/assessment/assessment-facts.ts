import { z } from 'zod';

// The structured facts of a case that the assessment (ENISA severity, GDPR Art. 33/34 and
// NIS2 Art. 23 decisions) is computed from. One schema; the published JSON Schema
// (docs/assessment-facts.schema.json, GET /api/v1/schemas/assessment-facts.json) is
// generated from it, so every field carries its description. Most fields have a
// conservative-neutral default so a facts document can start small and grow as the
// investigation learns more; the defaults never make a breach look milder than "unknown".

export const DATA_CATEGORIES = [
  'simple',
  'behavioural',
  'financial',
  'sensitive',
  'credentials',
  'identity-documents',
  'vulnerable-persons',
] as const;
export const dataCategorySchema = z
  .enum(DATA_CATEGORIES)
  .describe(
    'A category of personal data: simple (name, contact details, …), behavioural (location, traffic, habits), financial (income, transactions, card or bank details), sensitive (GDPR Art. 9/10 special categories: health, beliefs, criminal records, …), credentials (user names with passwords or other secrets), identity-documents (passport, ID card, national identification numbers such as the Dutch BSN), vulnerable-persons (data of children or other vulnerable people).',
  );
export type DataCategory = z.infer<typeof dataCategorySchema>;

export const CONFIDENTIALITY_LOSSES = [
  'none',
  'exposed',
  'known-recipients',
  'unknown-recipients',
] as const;
export const INTEGRITY_LOSSES = [
  'none',
  'recoverable',
  'unrecoverable',
  'unrecoverable-used',
] as const;
export const AVAILABILITY_LOSSES = ['none', 'recoverable', 'temporary', 'permanent'] as const;
export const ENCRYPTIONS = ['none', 'state-of-the-art-key-safe', 'key-compromised'] as const;
export const PASSWORD_STORAGES = ['none', 'plain', 'weak-hash', 'strong-salted-hash'] as const;
export const EXFILTRATIONS = ['none', 'suspected', 'confirmed'] as const;
export const IDENTIFIABILITY = ['negligible', 'limited', 'significant', 'maximum'] as const;
export const NIS2_ENTITY_TYPES = ['essential', 'important', 'not-in-scope'] as const;
export const NIS2_SERVICE_TYPES = ['cloud', 'data-centre', 'other'] as const;
export const UNAVAILABILITIES = ['none', 'limited', 'complete'] as const;
export const INCIDENT_KINDS = [
  'ransomware',
  'break-in',
  'insider',
  'lost-device',
  'misdelivery',
  'social-engineering',
  'other',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** The ENISA (2013) data-processing-context adjustments, as facts about the data set. */
export const dpcContextSchema = z
  .strictObject({
    profiling: z
      .boolean()
      .default(false)
      .describe(
        'The volume of the data and/or the nature of the controller allow a profile of the person (everyday life, habits, social or financial status) to be built. ENISA: simple data +1, behavioural data +1.',
      ),
    sensitiveInference: z
      .boolean()
      .default(false)
      .describe(
        'The data, or who the controller is, allow assumptions about health, sexual life, political or religious beliefs (e.g. a mailing list of a clinic). ENISA: simple data +2, behavioural data +2.',
      ),
    publiclyAvailable: z
      .boolean()
      .default(false)
      .describe(
        'The data give no substantial insight or can easily be collected from public sources, independently of the breach. ENISA: behavioural data -1, sensitive data -3.',
      ),
    invalidOrInaccurate: z
      .boolean()
      .default(false)
      .describe(
        'The controller knows for certain that the data are invalid or inaccurate (e.g. outdated addresses, long-expired cards), which reduces their significance. ENISA: -1 for any category.',
      ),
    financialDetail: z
      .enum(['existence-only', 'limited', 'substantial', 'full'])
      .nullable()
      .default(null)
      .describe(
        'How much the financial data reveal: existence-only (only that the person is a client, ENISA -2), limited (e.g. a bank account number without further details, -1), substantial (the base score 3), full (full card details enabling fraud, or a detailed financial profile, +1); null: not answered, scored as the base 3 and shown as not answered.',
      ),
    sensitiveDetail: z
      .enum(['public', 'general-assumptions', 'assumptions', 'full'])
      .nullable()
      .default(null)
      .describe(
        'How much the special-category data reveal: public (no substantial insight or publicly available, ENISA -3), general-assumptions (only general assumptions possible, -2), assumptions (assumptions about sensitive information, -1), full (the base score 4); null: not answered, scored as the base 4 and shown as not answered.',
      ),
  })
  .describe('Facts for the ENISA adjustments of the data-processing-context score.');

export const nis2FactsSchema = z
  .strictObject({
    entityType: z
      .enum(NIS2_ENTITY_TYPES)
      .default('not-in-scope')
      .describe(
        'Whether the provider is an essential or important entity under NIS2 (Directive (EU) 2022/2555, Art. 3); not-in-scope means NIS2 Art. 23 does not apply.',
      ),
    serviceType: z
      .enum(NIS2_SERVICE_TYPES)
      .default('other')
      .describe(
        'The affected service: cloud (cloud computing service, Implementing Regulation (EU) 2024/2690 Art. 7), data-centre (data centre service, Art. 8) or other (only the general criteria of Art. 3 are modelled).',
      ),
    usersAffected: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Approximate number of users of the service in the Union affected by the incident.',
      ),
    euUsersAffectedPercent: z
      .number()
      .min(0)
      .max(100)
      .default(0)
      .describe("Share (0–100 %) of the service's users in the Union that are affected."),
    unavailability: z
      .enum(UNAVAILABILITIES)
      .default('none')
      .describe(
        'Whether the service was unavailable: none, limited (degraded or partly) or complete.',
      ),
    unavailabilityMinutes: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'How long the (limited or complete) unavailability lasted or is expected to last, in minutes.',
      ),
    dataCompromised: z
      .boolean()
      .default(false)
      .describe(
        'The integrity, confidentiality or authenticity of stored, transmitted or processed data, or of the related services, is compromised (Art. 7(c)/(d), Art. 8(c)).',
      ),
    physicalAccessCompromised: z
      .boolean()
      .default(false)
      .describe(
        'Physical access to a data centre operated by the provider is compromised (Art. 8(d)).',
      ),
    maliciousAccessSevereDisruption: z
      .boolean()
      .default(false)
      .describe(
        'A successful, suspectedly malicious and unauthorised access to network and information systems occurred that is capable of causing severe operational disruption (Art. 3(1)(e)).',
      ),
    financialLossEur: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'Direct financial loss for the entity caused or likely to be caused, in euro (Art. 3(1)(a)).',
      ),
    annualTurnoverEur: z
      .number()
      .min(0)
      .nullable()
      .default(null)
      .describe(
        "The entity's total annual turnover in the preceding financial year, in euro, for the 5 % threshold of Art. 3(1)(a); null if unknown (then only the EUR 500 000 threshold is applied).",
      ),
    tradeSecretsExfiltrated: z
      .boolean()
      .default(false)
      .describe(
        'Exfiltration of trade secrets (Directive (EU) 2016/943 Art. 2(1)) caused or possible (Art. 3(1)(b)).',
      ),
    deathCaused: z
      .boolean()
      .default(false)
      .describe(
        'The incident caused or is capable of causing the death of a natural person (Art. 3(1)(c)).',
      ),
    healthDamage: z
      .boolean()
      .default(false)
      .describe(
        "The incident caused or is capable of causing considerable damage to a natural person's health (Art. 3(1)(d)).",
      ),
  })
  .describe('Facts for NIS2 Art. 23 and Implementing Regulation (EU) 2024/2690.');

export const assessmentFactsSchema = z
  .object({
    personalData: z
      .boolean()
      .describe(
        'Whether personal data (GDPR Art. 4(1)) are involved; without it, GDPR Art. 33/34 do not apply.',
      ),
    confidentiality: z
      .enum(CONFIDENTIALITY_LOSSES)
      .default('none')
      .describe(
        'Loss of confidentiality: none; exposed (data exposed without evidence of unlawful processing, ENISA +0); known-recipients (disclosed to a known number of recipients, +0.25); unknown-recipients (disclosed to an unknown number of recipients, +0.5).',
      ),
    integrity: z
      .enum(INTEGRITY_LOSSES)
      .default('none')
      .describe(
        'Loss of integrity: none; recoverable (data altered, possibly used incorrectly, but recoverable, ENISA +0); unrecoverable (altered, possibly used incorrectly, not recoverable, +0.25); unrecoverable-used (altered and used incorrectly or unlawfully, not recoverable, +0.5).',
      ),
    availability: z
      .enum(AVAILABILITY_LOSSES)
      .default('none')
      .describe(
        'Loss of availability: none; recoverable (data can be recovered without difficulty, ENISA +0); temporary (temporarily unavailable, +0.25); permanent (cannot be recovered by the controller or the person, +0.5).',
      ),
    dataCategories: z
      .array(dataCategorySchema)
      .default([])
      .describe(
        'The categories of personal data involved; the most critical one sets the ENISA data-processing context.',
      ),
    dpcContext: dpcContextSchema.default({
      profiling: false,
      sensitiveInference: false,
      publiclyAvailable: false,
      invalidOrInaccurate: false,
      financialDetail: null,
      sensitiveDetail: null,
    }),
    dataSubjects: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe(
        'Approximate number of data subjects concerned (GDPR Art. 33(3)(a)); null if not yet known.',
      ),
    records: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe(
        'Approximate number of personal data records concerned (GDPR Art. 33(3)(a)); null if not yet known.',
      ),
    encryption: z
      .enum(ENCRYPTIONS)
      .default('none')
      .describe(
        'Encryption of the data concerned: none; state-of-the-art-key-safe (state-of-the-art encryption and the key was not compromised, EDPB Guidelines 9/2022 §§ 19, 76); key-compromised.',
      ),
    passwordStorage: z
      .enum(PASSWORD_STORAGES)
      .default('none')
      .describe(
        'How compromised passwords were stored: none (no passwords involved); plain; weak-hash (unsalted or fast hash such as MD5/SHA-1); strong-salted-hash (salted slow hash such as bcrypt, scrypt, Argon2).',
      ),
    backupAvailable: z
      .boolean()
      .default(false)
      .describe('Whether an up-to-date backup of the affected data is available.'),
    restoreHours: z
      .number()
      .min(0)
      .nullable()
      .default(null)
      .describe('Time to restore the data (from backup or otherwise) in hours; null if unknown.'),
    exfiltration: z
      .enum(EXFILTRATIONS)
      .default('none')
      .describe('Whether data were copied out of the organisation: none, suspected or confirmed.'),
    maliciousIntent: z
      .boolean()
      .default(false)
      .describe(
        'Whether the breach was caused intentionally with malicious intent (an attack, theft, fraud). ENISA +0.5.',
      ),
    recipientsKnownTrusted: z
      .boolean()
      .default(false)
      .describe(
        'The recipients of the data are known and trusted (e.g. a mis-sent mail to a known, trusted party).',
      ),
    deletionConfirmed: z
      .boolean()
      .default(false)
      .describe('The recipients confirmed that they deleted the data and did not use or copy it.'),
    identifiability: z
      .enum(IDENTIFIABILITY)
      .nullable()
      .default(null)
      .describe(
        'Ease of identification of the persons from the data (ENISA EI): negligible 0.25, limited 0.5, significant 0.75, maximum 1 (e.g. full name with contact details); null: not answered yet, scored as maximum (the cautious value) and said so in the explanation, never shown as a choice the user made.',
      ),
    incidentKind: z
      .enum(INCIDENT_KINDS)
      .nullable()
      .default(null)
      .describe(
        'What happened, in the families of EDPB Guidelines 01/2021: ransomware; break-in (an attacker got into a website, control panel, server or account and could read or copy data: "data exfiltration attacks"); insider (an employee or former employee misused or took data: "internal human risk source"); lost-device (a laptop, phone, USB key or paper files lost or stolen); misdelivery (mail, e-mail or a parcel sent to the wrong person: "mispostal"); social-engineering (someone was tricked into handing over access or data: phishing, identity theft); other. Chooses which EDPB examples the reasons cite; null when not answered.',
      ),
    subsequentMeasures: z
      .boolean()
      .default(false)
      .describe(
        'Measures taken after the breach ensure the high risk to the persons is no longer likely to materialise (GDPR Art. 34(3)(b)), e.g. all affected passwords were reset before misuse.',
      ),
    disproportionateEffort: z
      .boolean()
      .default(false)
      .describe(
        'Contacting each person would involve disproportionate effort, e.g. contact details are lost or unknown (GDPR Art. 34(3)(c)); a public communication is then required instead.',
      ),
    crossBorder: z
      .boolean()
      .default(false)
      .describe(
        'Cross-border processing (GDPR Art. 4(23)): the notification goes to the lead supervisory authority (Art. 56).',
      ),
    nis2: nis2FactsSchema.default({
      entityType: 'not-in-scope',
      serviceType: 'other',
      usersAffected: 0,
      euUsersAffectedPercent: 0,
      unavailability: 'none',
      unavailabilityMinutes: 0,
      dataCompromised: false,
      physicalAccessCompromised: false,
      maliciousAccessSevereDisruption: false,
      financialLossEur: 0,
      annualTurnoverEur: null,
      tradeSecretsExfiltrated: false,
      deathCaused: false,
      healthDamage: false,
    }),
  })
  .strict()
  .describe(
    'The structured facts of a security incident for the Candor assessment (ENISA severity, GDPR Art. 33/34, NIS2 Art. 23).',
  );

/** Facts after defaults: what the rules read. */
export type AssessmentFacts = z.infer<typeof assessmentFactsSchema>;
/** Facts as a client may send them (most fields optional). */
export type AssessmentFactsInput = z.input<typeof assessmentFactsSchema>;

export const SEVERITY_LEVELS = ['low', 'medium', 'high', 'very-high'] as const;
export const severityLevelSchema = z.enum(SEVERITY_LEVELS);
export type SeverityLevel = z.infer<typeof severityLevelSchema>;

/** The computed advice; `candor assess --json` prints exactly this shape. */
export const assessmentSchema = z.object({
  severity: z.object({
    score: z.number().describe('ENISA severity SE = DPC × EI + CB, rounded to two decimals.'),
    level: severityLevelSchema.describe('low < 2 ≤ medium < 3 ≤ high < 4 ≤ very-high.'),
    explanation: z.array(z.string()).describe('One line per component: DPC, EI, CB, result.'),
  }),
  authority: z.object({
    notify: z.boolean().describe('Notify the supervisory authority (GDPR Art. 33).'),
    reasons: z.array(z.string()).describe('Reasons, each citing the article or guideline.'),
  }),
  subjects: z.object({
    notify: z.boolean().describe('Communicate the breach to the data subjects (GDPR Art. 34).'),
    reasons: z.array(z.string()),
    publicCommunication: z
      .boolean()
      .describe('Instead of individual messages, a public communication (GDPR Art. 34(3)(c)).'),
  }),
  nis2: z.object({
    significant: z
      .boolean()
      .describe('A significant incident under NIS2 Art. 23(3), to be reported to the CSIRT.'),
    reasons: z.array(z.string()),
  }),
});
export type Assessment = z.infer<typeof assessmentSchema>;

/** The decisions a user may override, each with a written rationale. */
export const DECISION_KINDS = ['authority', 'subjects', 'nis2'] as const;
export const decisionKindSchema = z.enum(DECISION_KINDS);
export type DecisionKind = z.infer<typeof decisionKindSchema>;

export const overrideInputSchema = z.object({
  decision: decisionKindSchema,
  notify: z
    .boolean()
    .describe('The overriding decision: notify / significant (true) or not (false).'),
  publicCommunication: z
    .boolean()
    .optional()
    .describe('For the subjects decision only: communicate publicly instead of individually.'),
  rationale: z
    .string()
    .trim()
    .min(20, 'must explain the decision in at least 20 characters')
    .max(10_000),
});
export type OverrideInput = z.input<typeof overrideInputSchema>;

/** The decision in force after overrides: what clocks, reports and the register follow. */
export const effectiveDecisionSchema = z.object({
  personalData: z.boolean(),
  authority: z.object({
    notify: z.boolean(),
    source: z.enum(['advice', 'override']),
    rationale: z.string().nullable(),
  }),
  subjects: z.object({
    notify: z.boolean(),
    publicCommunication: z.boolean(),
    source: z.enum(['advice', 'override']),
    rationale: z.string().nullable(),
  }),
  nis2: z.object({
    significant: z.boolean(),
    source: z.enum(['advice', 'override']),
    rationale: z.string().nullable(),
  }),
});
export type EffectiveDecision = z.infer<typeof effectiveDecisionSchema>;

/** Parses a facts document; on failure the zod issues carry path + message per field. */
export function parseFacts(input: unknown): ReturnType<typeof assessmentFactsSchema.safeParse> {
  return assessmentFactsSchema.safeParse(input);
}

/** One line per bad field: `dataSubjects: must be ≥ 0`. */
export function describeFactIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.map(String).join('.') : '(document)',
    message: i.message,
  }));
}
