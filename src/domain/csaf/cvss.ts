/**
 * CVSS base vectors: check a vector string strictly, then let a maintained calculator
 * (ae-cvss-calculator, which implements FIRST's CVSS 3.0, 3.1 and 4.0 specifications) compute
 * the base score and the JSON object FIRST's schemas define, so the numbers in a CSAF document
 * always agree with its vector (CSAF mandatory tests 6.1.8/6.1.9).
 *
 * The calculator is lenient on input (a missing metric counts as "not defined", an unknown
 * prefix is read as 3.0, temporal metrics are scored), so the grammar is checked here first:
 * a known prefix, base metrics only, each exactly once, each with a value the specification
 * allows. Temporal, threat, environmental and supplemental metrics are refused: Candor records
 * the vendor's base assessment only.
 */
import cvssCalculator from 'ae-cvss-calculator';

// The package is a CommonJS bundle: Node gives it to an ES module as its default export only.
const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

export type CvssVersion = '3.0' | '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** A 3.0 or 3.1 base vector with its score: the shape of CSAF 2.0's `cvss_v3` object. */
export interface CvssV3 {
  version: '3.0' | '3.1';
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

/** A 4.0 base vector with its score, in the shape of FIRST's cvss-v4.0 JSON schema. */
export interface CvssV4 {
  version: '4.0';
  vectorString: string;
  baseScore: number;
  baseSeverity: CvssSeverity;
  attackVector: string;
  attackComplexity: string;
  attackRequirements: string;
  privilegesRequired: string;
  userInteraction: string;
  vulnConfidentialityImpact: string;
  vulnIntegrityImpact: string;
  vulnAvailabilityImpact: string;
  subConfidentialityImpact: string;
  subIntegrityImpact: string;
  subAvailabilityImpact: string;
}

export type CvssBase = CvssV3 | CvssV4;

/** Thrown with a message that names the problem in the vector. */
export class CvssError extends Error {}

/**
 * Why a 4.0 vector is refused for a CSAF document: CSAF 2.0's score object has `cvss_v2` and
 * `cvss_v3` (3.0 or 3.1) only, and the strict schema allows no other key.
 */
export const CVSS_V4_NOT_IN_CSAF_20 =
  'CVSS 4.0 cannot be published: a CSAF 2.0 document holds CVSS 3.0 and 3.1 scores only (cvss_v3, there is no cvss_v4); give the CVSS:3.1 base vector';

const V3_BASE: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};
const V4_BASE: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
};
const GRAMMAR: Record<string, { version: CvssVersion; base: Record<string, readonly string[]> }> = {
  'CVSS:3.0': { version: '3.0', base: V3_BASE },
  'CVSS:3.1': { version: '3.1', base: V3_BASE },
  'CVSS:4.0': { version: '4.0', base: V4_BASE },
};

const V3_FIELDS = [
  'attackVector',
  'attackComplexity',
  'privilegesRequired',
  'userInteraction',
  'scope',
  'confidentialityImpact',
  'integrityImpact',
  'availabilityImpact',
] as const;
const V4_FIELDS = [
  'attackVector',
  'attackComplexity',
  'attackRequirements',
  'privilegesRequired',
  'userInteraction',
  'vulnConfidentialityImpact',
  'vulnIntegrityImpact',
  'vulnAvailabilityImpact',
  'subConfidentialityImpact',
  'subIntegrityImpact',
  'subAvailabilityImpact',
] as const;

/**
 * Parses a CVSS 3.0, 3.1 or 4.0 base vector (every base metric of that version, any order,
 * each once) and returns it in canonical order with its base score and version.
 */
export function parseCvss(vector: string): CvssBase {
  const parts = vector.trim().split('/');
  const grammar = GRAMMAR[parts[0] ?? ''];
  if (!grammar) throw new CvssError('must start with CVSS:3.1/, CVSS:3.0/ or CVSS:4.0/');
  const seen = new Set<string>();
  for (const part of parts.slice(1)) {
    const [metric, value, extra] = part.split(':');
    if (extra !== undefined || !metric || !value)
      throw new CvssError(`"${part}" is not METRIC:VALUE`);
    const allowed = Object.hasOwn(grammar.base, metric) ? grammar.base[metric] : undefined;
    if (!allowed) throw new CvssError(`unknown or non-base metric ${metric}`);
    if (seen.has(metric)) throw new CvssError(`metric ${metric} appears twice`);
    if (!allowed.includes(value)) {
      throw new CvssError(
        `${metric}:${value} is not allowed (${metric} takes ${allowed.join(', ')})`,
      );
    }
    seen.add(metric);
  }
  const missing = Object.keys(grammar.base).filter((m) => !seen.has(m));
  if (missing.length > 0) throw new CvssError(`missing base metric(s) ${missing.join(', ')}`);

  const text = vector.trim();
  switch (grammar.version) {
    case '3.0':
      return v3Object('3.0', jsonOf(new Cvss3P0(text)));
    case '3.1':
      return v3Object('3.1', jsonOf(new Cvss3P1(text)));
    case '4.0': {
      const json = jsonOf(new Cvss4P0(text));
      return { version: '4.0', ...scoreFields(json), ...pick(json, V4_FIELDS) };
    }
  }
}

/**
 * Parses a base vector for CSAF 2.0's `cvss_v3` object: 3.0 or 3.1. A valid 4.0 vector is
 * refused with {@link CVSS_V4_NOT_IN_CSAF_20}.
 */
export function parseCvssV3(vector: string): CvssV3 {
  const parsed = parseCvss(vector);
  if (parsed.version === '4.0') throw new CvssError(CVSS_V4_NOT_IN_CSAF_20);
  return parsed;
}

/** The qualitative rating of a base score (the same bands in CVSS 3.0, 3.1 and 4.0). */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

function v3Object(version: '3.0' | '3.1', json: Record<string, unknown>): CvssV3 {
  return { version, ...scoreFields(json), ...pick(json, V3_FIELDS) };
}

/** The calculator's object in the shape of FIRST's JSON schema (typed `any` by the package). */
function jsonOf(cvss: { createJsonSchema(): unknown }): Record<string, unknown> {
  const json = cvss.createJsonSchema();
  if (typeof json !== 'object' || json === null) {
    throw new Error('ae-cvss-calculator returned no JSON object');
  }
  return json as Record<string, unknown>;
}

/** The vector, score and severity from the calculator's JSON, checked rather than cast. */
function scoreFields(json: Record<string, unknown>) {
  const { vectorString, baseScore } = json;
  if (typeof vectorString !== 'string' || typeof baseScore !== 'number') {
    throw new Error('ae-cvss-calculator returned no vector string or base score');
  }
  return { vectorString, baseScore, baseSeverity: severityOf(baseScore) };
}

function pick<K extends string>(json: Record<string, unknown>, keys: readonly K[]) {
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = json[key];
    if (typeof value !== 'string') throw new Error(`ae-cvss-calculator returned no ${key}`);
    out[key] = value;
  }
  return out;
}
