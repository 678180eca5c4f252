/**
 * CVSS v3.1 base metrics: parse a vector string and compute the base score and severity
 * exactly as the FIRST specification (section 7.1 and Appendix A's Roundup) does, so the
 * numbers in a CSAF document always agree with its vector (CSAF mandatory test 6.1.8/6.1.9).
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;
const PR_UNCHANGED = { N: 0.85, L: 0.62, H: 0.27 } as const;
const PR_CHANGED = { N: 0.85, L: 0.68, H: 0.5 } as const;

const BASE_ORDER = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
type BaseMetric = (typeof BASE_ORDER)[number];
const ALLOWED: Record<BaseMetric, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};

export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** A parsed base vector with its score, in the shape of CSAF's cvss_v3 object. */
export interface CvssV31 {
  version: '3.1';
  vectorString: string;
  baseScore: number;
  baseSeverity: CvssSeverity;
  attackVector: string;
  attackComplexity: string;
  privilegesRequired: string;
  userInteraction: string;
  scope: string;
  confidentialityImpact: string;
  integrityImpact: string;
  availabilityImpact: string;
}

/** Thrown with a message that names the problem in the vector. */
export class CvssError extends Error {}

/**
 * Parses a CVSS:3.1 base vector (the eight base metrics, any order, each once) and returns
 * it in canonical order with its base score. Temporal and environmental metrics are
 * refused: Candor records the vendor's base assessment only.
 */
export function parseCvss31(vector: string): CvssV31 {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:3.1') throw new CvssError('must start with CVSS:3.1/');
  const values = new Map<BaseMetric, string>();
  for (const part of parts.slice(1)) {
    const [metric, value, extra] = part.split(':');
    if (extra !== undefined || !metric || !value)
      throw new CvssError(`"${part}" is not METRIC:VALUE`);
    if (!(BASE_ORDER as readonly string[]).includes(metric)) {
      throw new CvssError(`unknown or non-base metric ${metric}`);
    }
    const m = metric as BaseMetric;
    if (values.has(m)) throw new CvssError(`metric ${m} appears twice`);
    if (!ALLOWED[m].includes(value)) {
      throw new CvssError(`${m}:${value} is not allowed (${m} takes ${ALLOWED[m].join(', ')})`);
    }
    values.set(m, value);
  }
  const missing = BASE_ORDER.filter((m) => !values.has(m));
  if (missing.length > 0) throw new CvssError(`missing base metric(s) ${missing.join(', ')}`);
  const v = (m: BaseMetric) => values.get(m)!;
  const changed = v('S') === 'C';
  const iss =
    1 -
    (1 - WEIGHTS.CIA[v('C') as 'H']) *
      (1 - WEIGHTS.CIA[v('I') as 'H']) *
      (1 - WEIGHTS.CIA[v('A') as 'H']);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability =
    8.22 *
    WEIGHTS.AV[v('AV') as 'N'] *
    WEIGHTS.AC[v('AC') as 'L'] *
    (changed ? PR_CHANGED : PR_UNCHANGED)[v('PR') as 'N'] *
    WEIGHTS.UI[v('UI') as 'N'];
  const baseScore =
    impact <= 0 ? 0 : roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
  return {
    version: '3.1',
    vectorString: `CVSS:3.1/${BASE_ORDER.map((m) => `${m}:${v(m)}`).join('/')}`,
    baseScore,
    baseSeverity: severityOf(baseScore),
    attackVector: ({ N: 'NETWORK', A: 'ADJACENT_NETWORK', L: 'LOCAL', P: 'PHYSICAL' } as const)[
      v('AV') as 'N'
    ],
    attackComplexity: v('AC') === 'L' ? 'LOW' : 'HIGH',
    privilegesRequired: LEVEL[v('PR') as 'N'],
    userInteraction: v('UI') === 'N' ? 'NONE' : 'REQUIRED',
    scope: changed ? 'CHANGED' : 'UNCHANGED',
    confidentialityImpact: LEVEL[v('C') as 'N'],
    integrityImpact: LEVEL[v('I') as 'N'],
    availabilityImpact: LEVEL[v('A') as 'N'],
  };
}

const LEVEL = { N: 'NONE', L: 'LOW', H: 'HIGH' } as const;

/** The qualitative rating of a base score (CVSS v3.1 section 5). */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** Roundup from CVSS v3.1 Appendix A: integer arithmetic, so 4.000000000001 stays 4.0. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}
