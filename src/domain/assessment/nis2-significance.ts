import type { Assessment, AssessmentFacts } from './assessment-facts.js';
import type { Locale } from './enisa-severity.js';

// NIS2 (Directive (EU) 2022/2555) Art. 23(3): a significant incident must be reported to
// the CSIRT or competent authority. For cloud computing and data centre service providers
// (and the other digital providers it lists) Commission Implementing Regulation (EU)
// 2024/2690 makes "significant" concrete: the general criteria of Art. 3 and the
// provider-specific ones of Art. 7 (cloud) and Art. 8 (data centre). Recurring incidents
// (Art. 4) are not modelled: they need the history of related incidents, a human judgement.

export const NIS2_FINANCIAL_LOSS_EUR = 500_000;
export const NIS2_TURNOVER_SHARE = 0.05;
export const NIS2_CLOUD_COMPLETE_MINUTES = 30;
export const NIS2_LIMITED_MINUTES = 60;
export const NIS2_USERS_SHARE_PERCENT = 5;
export const NIS2_USERS_ABSOLUTE = 1_000_000;

const tr = (locale: Locale, en: string, nl: string): string => (locale === 'nl' ? nl : en);
const IR = 'Implementing Regulation (EU) 2024/2690';
const UV = 'Uitvoeringsverordening (EU) 2024/2690';

/** The Art. 3(1)(a) threshold: EUR 500 000 or 5 % of annual turnover, whichever is lower. */
export function financialLossThreshold(annualTurnoverEur: number | null): number {
  return annualTurnoverEur === null
    ? NIS2_FINANCIAL_LOSS_EUR
    : Math.min(NIS2_FINANCIAL_LOSS_EUR, NIS2_TURNOVER_SHARE * annualTurnoverEur);
}

/**
 * "More than 5 % of the users in the Union or more than 1 million, whichever number is
 * smaller": exceeding the smaller of two thresholds is exceeding either of them.
 */
export function exceedsUserThreshold(
  usersAffected: number,
  euUsersAffectedPercent: number,
): boolean {
  return euUsersAffectedPercent > NIS2_USERS_SHARE_PERCENT || usersAffected > NIS2_USERS_ABSOLUTE;
}

/** Whether the incident is significant under NIS2 Art. 23(3), with the criteria met. */
export function nis2Decision(f: AssessmentFacts, locale: Locale = 'en'): Assessment['nis2'] {
  const n = f.nis2;
  if (n.entityType === 'not-in-scope')
    return {
      significant: false,
      reasons: [
        tr(
          locale,
          'NIS2 Art. 23 applies to essential and important entities (Art. 3 of Directive (EU) 2022/2555); the provider is marked as not in scope.',
          'NIS2 art. 23 geldt voor essentiële en belangrijke entiteiten (art. 3 van Richtlijn (EU) 2022/2555); de aanbieder is aangemerkt als niet onder NIS2 vallend.',
        ),
      ],
    };
  const met: string[] = [];
  const threshold = financialLossThreshold(n.annualTurnoverEur);
  if (n.financialLossEur > threshold)
    met.push(
      tr(
        locale,
        `${IR} Art. 3(1)(a): direct financial loss of EUR ${n.financialLossEur} exceeds EUR ${threshold} (EUR 500 000 or 5 % of annual turnover, whichever is lower).`,
        `${UV} art. 3 lid 1 onder a: directe financiële schade van EUR ${n.financialLossEur} is meer dan EUR ${threshold} (EUR 500 000 of 5 % van de jaaromzet, het laagste bedrag).`,
      ),
    );
  if (n.tradeSecretsExfiltrated)
    met.push(
      tr(
        locale,
        `${IR} Art. 3(1)(b): exfiltration of trade secrets.`,
        `${UV} art. 3 lid 1 onder b: exfiltratie van bedrijfsgeheimen.`,
      ),
    );
  if (n.deathCaused)
    met.push(
      tr(
        locale,
        `${IR} Art. 3(1)(c): caused or capable of causing the death of a natural person.`,
        `${UV} art. 3 lid 1 onder c: heeft de dood van een natuurlijk persoon veroorzaakt of kan die veroorzaken.`,
      ),
    );
  if (n.healthDamage)
    met.push(
      tr(
        locale,
        `${IR} Art. 3(1)(d): considerable damage to a natural person's health.`,
        `${UV} art. 3 lid 1 onder d: aanzienlijke schade aan de gezondheid van een natuurlijk persoon.`,
      ),
    );
  if (n.maliciousAccessSevereDisruption)
    met.push(
      tr(
        locale,
        `${IR} Art. 3(1)(e): successful, suspectedly malicious and unauthorised access capable of causing severe operational disruption.`,
        `${UV} art. 3 lid 1 onder e: geslaagde, vermoedelijk kwaadwillige en onbevoegde toegang die ernstige operationele verstoring kan veroorzaken.`,
      ),
    );
  // Personal data whose confidentiality or integrity is lost are compromised service data too.
  const compromised =
    n.dataCompromised ||
    f.confidentiality === 'known-recipients' ||
    f.confidentiality === 'unknown-recipients' ||
    f.exfiltration !== 'none' ||
    (f.integrity !== 'none' && f.integrity !== 'recoverable');
  const manyUsers = exceedsUserThreshold(n.usersAffected, n.euUsersAffectedPercent);
  const users = tr(
    locale,
    `${n.usersAffected} users, ${n.euUsersAffectedPercent} % of EU users`,
    `${n.usersAffected} gebruikers, ${n.euUsersAffectedPercent} % van de gebruikers in de EU`,
  );
  if (n.serviceType === 'cloud') {
    if (n.unavailability === 'complete' && n.unavailabilityMinutes > NIS2_CLOUD_COMPLETE_MINUTES)
      met.push(
        tr(
          locale,
          `${IR} Art. 7(a): the cloud computing service was completely unavailable for ${n.unavailabilityMinutes} min (more than 30 minutes).`,
          `${UV} art. 7 onder a: de cloudcomputingdienst was ${n.unavailabilityMinutes} min volledig onbeschikbaar (meer dan 30 minuten).`,
        ),
      );
    if (n.unavailability !== 'none' && manyUsers && n.unavailabilityMinutes > NIS2_LIMITED_MINUTES)
      met.push(
        tr(
          locale,
          `${IR} Art. 7(b): availability limited for more than 5 % of EU users or more than 1 million users (${users}) for ${n.unavailabilityMinutes} min (more than one hour).`,
          `${UV} art. 7 onder b: beschikbaarheid beperkt voor meer dan 5 % van de gebruikers in de EU of meer dan 1 miljoen gebruikers (${users}) gedurende ${n.unavailabilityMinutes} min (meer dan een uur).`,
        ),
      );
    if (compromised && f.maliciousIntent)
      met.push(
        tr(
          locale,
          `${IR} Art. 7(c): integrity, confidentiality or authenticity of data or services compromised by a suspectedly malicious action.`,
          `${UV} art. 7 onder c: integriteit, vertrouwelijkheid of authenticiteit van gegevens of diensten aangetast door een vermoedelijk kwaadwillige handeling.`,
        ),
      );
    if (compromised && manyUsers)
      met.push(
        tr(
          locale,
          `${IR} Art. 7(d): integrity, confidentiality or authenticity compromised with an impact on more than 5 % of EU users or more than 1 million users (${users}).`,
          `${UV} art. 7 onder d: integriteit, vertrouwelijkheid of authenticiteit aangetast met gevolgen voor meer dan 5 % van de gebruikers in de EU of meer dan 1 miljoen gebruikers (${users}).`,
        ),
      );
  } else if (n.serviceType === 'data-centre') {
    if (n.unavailability === 'complete')
      met.push(
        tr(
          locale,
          `${IR} Art. 8(a): the data centre service was completely unavailable.`,
          `${UV} art. 8 onder a: de datacentrumdienst was volledig onbeschikbaar.`,
        ),
      );
    if (n.unavailability === 'limited' && n.unavailabilityMinutes > NIS2_LIMITED_MINUTES)
      met.push(
        tr(
          locale,
          `${IR} Art. 8(b): availability of the data centre service limited for ${n.unavailabilityMinutes} min (more than one hour).`,
          `${UV} art. 8 onder b: beschikbaarheid van de datacentrumdienst ${n.unavailabilityMinutes} min beperkt (meer dan een uur).`,
        ),
      );
    if (compromised && f.maliciousIntent)
      met.push(
        tr(
          locale,
          `${IR} Art. 8(c): integrity, confidentiality or authenticity of data compromised by a suspectedly malicious action.`,
          `${UV} art. 8 onder c: integriteit, vertrouwelijkheid of authenticiteit van gegevens aangetast door een vermoedelijk kwaadwillige handeling.`,
        ),
      );
    if (n.physicalAccessCompromised)
      met.push(
        tr(
          locale,
          `${IR} Art. 8(d): physical access to a data centre operated by the provider was compromised.`,
          `${UV} art. 8 onder d: de fysieke toegang tot een door de aanbieder geëxploiteerd datacentrum is aangetast.`,
        ),
      );
  }
  if (met.length > 0)
    return {
      significant: true,
      reasons: [
        tr(
          locale,
          'NIS2 Art. 23(3): significant incident — report to the CSIRT or competent authority: early warning within 24 h, incident notification within 72 h, final report within one month (Art. 23(4)).',
          'NIS2 art. 23 lid 3: significant incident — meld aan het CSIRT of de bevoegde autoriteit: vroegtijdige waarschuwing binnen 24 uur, incidentmelding binnen 72 uur, eindverslag binnen een maand (art. 23 lid 4).',
        ),
        ...met,
      ],
    };
  return {
    significant: false,
    reasons: [
      n.serviceType === 'other'
        ? tr(
            locale,
            `NIS2 Art. 23(3): none of the general criteria of ${IR} Art. 3 is met; for other services only these are modelled — check the sector's own criteria (severe operational disruption, considerable damage to others).`,
            `NIS2 art. 23 lid 3: geen van de algemene criteria van ${UV} art. 3 is vervuld; voor andere diensten zijn alleen die gemodelleerd — toets de eigen criteria van de sector (ernstige operationele verstoring, aanzienlijke schade aan anderen).`,
          )
        : tr(
            locale,
            `NIS2 Art. 23(3): no criterion of ${IR} Art. 3 or Art. ${n.serviceType === 'cloud' ? '7' : '8'} is met: not a significant incident (voluntary notification under Art. 30 remains possible).`,
            `NIS2 art. 23 lid 3: geen criterium van ${UV} art. 3 of art. ${n.serviceType === 'cloud' ? '7' : '8'} is vervuld: geen significant incident (vrijwillige melding op grond van art. 30 blijft mogelijk).`,
          ),
    ],
  };
}
