import { z } from 'zod';
import { CVSS_V4_NOT_IN_CSAF_20, CvssError, parseCvss } from './cvss.js';

/**
 * Affected products and vulnerabilities of a case: what a CSAF security advisory says is
 * vulnerable, what is fixed, and what to do. One schema per shape; the API, the service and
 * the CSAF builder share them.
 */

/** CPE 2.3 formatted string (the CSAF schema's pattern, shortened to its shape). */
const CPE_23 =
  /^cpe:2\.3:[aho*-](?::(?:(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~])+(?:\?*|\*?)|[*-])){5}(?::(?:[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?|[*-]))(?::(?:(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~])+(?:\?*|\*?)|[*-])){4}$/;
/** Package URL: pkg:type/namespace/name@version?qualifiers#subpath (the type is lower-case). */
const PURL = /^pkg:[a-z][a-z0-9.+-]*\/[^\s]+$/;
/** A version range in the vers syntax (CSAF 2.0 optional test 6.2.18 asks for it). */
const VERS = /^vers:[a-z0-9.+-]+\/\S+$/;
/** Words and operators that make a "version" a range (CSAF mandatory test 6.1.31). */
const RANGE_WORDS = /(^|\s)(after|all|before|earlier|later|prior|versions)(\s|$)|[<>]/i;

export const productInputSchema = z
  .object({
    vendor: z.string().trim().min(1, 'must not be empty').max(200),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    version: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((v) => !RANGE_WORDS.test(v), 'is a range: give it as versionRange (vers:…)')
      .optional(),
    versionRange: z
      .string()
      .trim()
      .max(300)
      .regex(VERS, 'must be a vers range such as vers:semver/>=2.0.0|<2.4.1')
      .optional(),
    cpe: z
      .string()
      .trim()
      .max(500)
      .regex(CPE_23, 'must be a CPE 2.3 string (cpe:2.3:a:…)')
      .optional(),
    purl: z
      .string()
      .trim()
      .max(500)
      .regex(PURL, 'must be a package URL (pkg:type/name@version)')
      .optional(),
  })
  .refine((p) => (p.version === undefined) !== (p.versionRange === undefined), {
    message: 'give exactly one of version and versionRange',
    path: ['version'],
  });
export type ProductInput = z.infer<typeof productInputSchema>;

export const productViewSchema = z.object({
  id: z.number().int(),
  /** The product id in CSAF documents: stable across revisions. */
  productId: z.string(),
  vendor: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  versionRange: z.string().nullable(),
  cpe: z.string().nullable(),
  purl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProductView = z.infer<typeof productViewSchema>;

/** CSAF's product status groups; each product has at most one per vulnerability. */
export const PRODUCT_STATUSES = [
  'known_affected',
  'first_affected',
  'last_affected',
  'known_not_affected',
  'under_investigation',
  'fixed',
  'first_fixed',
  'recommended',
] as const;
export const productStatusSchema = z.enum(PRODUCT_STATUSES);
export type ProductStatus = z.infer<typeof productStatusSchema>;
/** The statuses that need a remediation and may carry a score. */
export const AFFECTED_STATUSES: readonly ProductStatus[] = [
  'known_affected',
  'first_affected',
  'last_affected',
];

export const REMEDIATION_CATEGORIES = [
  'vendor_fix',
  'mitigation',
  'workaround',
  'none_available',
  'no_fix_planned',
] as const;

const cveSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^CVE-[0-9]{4}-[0-9]{4,}$/, 'must be a CVE id such as CVE-2026-12345');

export const vulnerabilityInputSchema = z
  .object({
    cve: cveSchema.optional(),
    title: z.string().trim().min(3, 'must be at least 3 characters').max(300),
    description: z.string().trim().max(10_000).optional(),
    cwe: z
      .object({
        id: z
          .string()
          .trim()
          .regex(/^CWE-[1-9]\d{0,5}$/, 'must be a CWE id such as CWE-79'),
        name: z.string().trim().min(1, 'must be the CWE catalogue name').max(300),
      })
      .optional(),
    cvssVector: z
      .string()
      .trim()
      .max(200)
      .superRefine((v, ctx) => {
        try {
          // 4.0 is a valid vector that a CSAF 2.0 document cannot carry: said so, not dropped.
          if (parseCvss(v).version === '4.0') {
            ctx.addIssue({ code: 'custom', message: CVSS_V4_NOT_IN_CSAF_20 });
          }
        } catch (error) {
          if (!(error instanceof CvssError)) throw error;
          ctx.addIssue({ code: 'custom', message: `invalid CVSS vector: ${error.message}` });
        }
      })
      .optional(),
    remediation: z.object({
      category: z.enum(REMEDIATION_CATEGORIES),
      details: z.string().trim().min(1, 'must not be empty').max(5000),
      url: z.url({ protocol: /^https?$/ }).optional(),
    }),
    productStatus: z
      .array(z.object({ product: z.number().int().positive(), status: productStatusSchema }))
      .min(1, 'name at least one product and its status')
      .max(500),
  })
  .refine((v) => new Set(v.productStatus.map((p) => p.product)).size === v.productStatus.length, {
    message: 'a product may have only one status per vulnerability',
    path: ['productStatus'],
  });
export type VulnerabilityInput = z.infer<typeof vulnerabilityInputSchema>;

export const vulnerabilityViewSchema = z.object({
  id: z.number().int(),
  cve: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  cwe: z.object({ id: z.string(), name: z.string() }).nullable(),
  cvss: z
    .object({ vector: z.string(), baseScore: z.number(), baseSeverity: z.string() })
    .nullable(),
  remediation: z.object({
    category: z.enum(REMEDIATION_CATEGORIES),
    details: z.string(),
    url: z.string().nullable(),
  }),
  productStatus: z.array(z.object({ product: z.number().int(), status: productStatusSchema })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type VulnerabilityView = z.infer<typeof vulnerabilityViewSchema>;

/** The CSAF product id of a stored product. */
export function csafProductId(id: number): string {
  return `CANDOR-P${id}`;
}
