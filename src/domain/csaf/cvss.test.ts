import { describe, expect, it } from 'vitest';
import { CVSS_V4_NOT_IN_CSAF_20, parseCvss, parseCvssV3, severityOf } from './cvss.js';

// Scores from FIRST's specification examples (3.0 and 3.1 "Examples" documents, 4.0 calculator).
describe('CVSS 3.1', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:N', 8.7, 'HIGH'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'MEDIUM'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH'],
    ['CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.8, 'LOW'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'NONE'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'CRITICAL'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L', 3.5, 'LOW'],
  ])('%s scores %d', (vector, score, severity) => {
    expect(parseCvssV3(vector)).toMatchObject({
      version: '3.1',
      baseScore: score,
      baseSeverity: severity,
    });
  });

  it('gives the whole cvss_v3 object, metrics in canonical order', () => {
    expect(parseCvssV3('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H')).toEqual({
      version: '3.1',
      vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
      attackVector: 'NETWORK',
      attackComplexity: 'LOW',
      privilegesRequired: 'NONE',
      userInteraction: 'NONE',
      scope: 'UNCHANGED',
      confidentialityImpact: 'HIGH',
      integrityImpact: 'HIGH',
      availabilityImpact: 'HIGH',
    });
  });
});

describe('CVSS 3.0', () => {
  it.each([
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'MEDIUM'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH'],
    ['CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5, 'MEDIUM'],
    ['CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2, 'MEDIUM'],
  ])('%s scores %d', (vector, score, severity) => {
    expect(parseCvssV3(vector)).toMatchObject({
      version: '3.0',
      vectorString: vector,
      baseScore: score,
      baseSeverity: severity,
    });
  });

  it('adjacent network keeps its 3.x name', () => {
    expect(parseCvssV3('CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      version: '3.0',
      attackVector: 'ADJACENT_NETWORK',
    });
  });

  it('3.0 and 3.1 base scores agree on every one of the 2,592 base vectors', () => {
    // The rounding differences between 3.0 and 3.1 (Roundup, Appendix A) show in temporal and
    // environmental scores only; Candor records base scores.
    const metrics: [string, string][] = [
      ['AV', 'NALP'],
      ['AC', 'LH'],
      ['PR', 'NLH'],
      ['UI', 'NR'],
      ['S', 'UC'],
      ['C', 'HLN'],
      ['I', 'HLN'],
      ['A', 'HLN'],
    ];
    let tails = [''];
    for (const [m, values] of metrics) {
      tails = tails.flatMap((t) => [...values].map((v) => `${t}/${m}:${v}`));
    }
    expect(tails).toHaveLength(2592);
    const differ = tails.filter(
      (t) => parseCvssV3(`CVSS:3.0${t}`).baseScore !== parseCvssV3(`CVSS:3.1${t}`).baseScore,
    );
    expect(differ).toEqual([]);
  });
});

describe('CVSS 4.0', () => {
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'CRITICAL'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'HIGH'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'NONE'],
    // An x.x5 tie that floating point puts just below: FIRST's calculator rounds it up since
    // its 2024 rounding fix; an implementation without that fix says 8.5.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H', 8.6, 'HIGH'],
  ])('%s scores %d', (vector, score, severity) => {
    expect(parseCvss(vector)).toMatchObject({
      version: '4.0',
      vectorString: vector,
      baseScore: score,
      baseSeverity: severity,
    });
  });

  it('is read, in canonical order, but cannot become a CSAF 2.0 cvss_v3 score', () => {
    const vector = 'CVSS:4.0/SA:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N';
    expect(parseCvss(vector)).toMatchObject({
      version: '4.0',
      vectorString: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      attackRequirements: 'NONE',
      vulnConfidentialityImpact: 'HIGH',
      subAvailabilityImpact: 'NONE',
    });
    expect(() => parseCvssV3(vector)).toThrow(CVSS_V4_NOT_IN_CSAF_20);
    expect(CVSS_V4_NOT_IN_CSAF_20).toMatch(/CSAF 2\.0.*cvss_v3.*no cvss_v4/);
  });
});

describe('refused vectors say why', () => {
  it.each([
    ['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /must start with CVSS:3\.1\//],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /must start with/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /missing base metric\(s\) A$/],
    ['CVSS:3.1/AV:N/AC:L', /missing base metric\(s\) PR, UI, S, C, I, A/],
    ['CVSS:3.0/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV:X is not allowed \(AV takes N, A, L, P\)/],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /metric AV appears twice/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F', /non-base metric E/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', /"" is not METRIC:VALUE/],
    ['CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /"AV:N:N" is not METRIC:VALUE/],
    ['CVSS:3.1/toString:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /non-base metric toString/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', /missing base metric\(s\) SA/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /UI:R is not allowed/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', /SI:S is not allowed/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A', /non-base metric E/],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /non-base metric S/],
  ])('%s', (vector, reason) => {
    expect(() => parseCvss(vector)).toThrow(reason);
  });
});

describe('severityOf', () => {
  it.each([
    [0, 'NONE'],
    [0.1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
  ])('%d is %s', (score, severity) => {
    expect(severityOf(score)).toBe(severity);
  });
});
