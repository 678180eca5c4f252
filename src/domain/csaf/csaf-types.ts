import type { ProductView, VulnerabilityView } from './affected-products.js';

/**
 * What the CSAF builder needs of a published case: a narrow, already public view. The
 * publication snapshot (src/domain/publication.ts) has embargoed parts stripped before it
 * gets here, so nothing in this shape can leak them.
 */
export interface CsafCaseInput {
  /** The case reference, e.g. INC-2026-0001: the CSAF tracking id. */
  reference: string;
  kind: 'incident' | 'advisory';
  /** The language the texts below are in (one CSAF document per case). */
  language: 'nl' | 'en';
  title: string;
  /** The public notice's summary (plain text or Markdown). */
  summary: string;
  /** Further public details (Markdown), if any. */
  details: string | null;
  /** The case's own page on the security site (https in production). */
  pageUrl: string;
  /** Oldest first: revision 1 is the first publication. */
  revisions: { number: number; date: string; summary: string }[];
  products: ProductView[];
  vulnerabilities: VulnerabilityView[];
}

/** Who publishes: the organisation settings plus the public URL. */
export interface CsafPublisher {
  name: string;
  /** The public URL of the installation: under the publisher's control. */
  namespace: string;
  contactEmail: string;
}

/** The three CSAF 2.0 profiles Candor produces. */
export type CsafCategory =
  'csaf_security_incident_response' | 'csaf_informational_advisory' | 'csaf_security_advisory';

/** A CSAF 2.0 document as plain JSON (the schema is the authority; this is its outline). */
export interface CsafDocument {
  document: {
    category: CsafCategory;
    csaf_version: '2.0';
    title: string;
    lang: string;
    publisher: { category: 'vendor'; name: string; namespace: string; contact_details?: string };
    distribution: { tlp: { label: 'WHITE'; url: string } };
    notes: { category: string; text: string; title: string }[];
    references: { category: 'self' | 'external'; summary: string; url: string }[];
    aggregate_severity?: { text: string };
    tracking: {
      id: string;
      status: 'final';
      version: string;
      initial_release_date: string;
      current_release_date: string;
      revision_history: { number: string; date: string; summary: string }[];
      generator: { engine: { name: string; version: string } };
    };
  };
  product_tree?: Record<string, unknown>;
  vulnerabilities?: Record<string, unknown>[];
}
