import type { Generated } from 'kysely';
import type { PublicationEventKind, UpdateStatus } from '../domain/publication.js';
import type { JsonColumn } from './json-column.js';

/**
 * The public record of a case. `publications` holds the published (approved) texts as of the
 * last publish, not a live link to the notice: editing a notice after publication changes
 * nothing public until it is approved and published again.
 */
export interface PublicationsTable {
  case_id: number;
  slug: string;
  year: number;
  public_notice_id: number;
  public_hash: string;
  /** JSON { [language]: { subject, body } } with embargo markup still in it. */
  public_texts: JsonColumn;
  default_language: string;
  press_notice_id: number | null;
  press_hash: string | null;
  press_texts: JsonColumn | null;
  press_published_at: string | null;
  /** The case's public revision number (1 at first publish). */
  revision: number;
  first_published_at: string;
  updated_at: string;
  withdrawn_at: string | null;
  published_by: string;
}

export interface PublicationRevisionsTable {
  id: Generated<number>;
  case_id: number;
  number: number;
  at: string;
  summary: string;
}

/** Timeline entries of the public record: investigating … resolved, or a free update. */
export interface PublicUpdatesTable {
  id: Generated<number>;
  case_id: number;
  status: UpdateStatus;
  at: string;
  /** JSON { [language]: markdown }. */
  texts: JsonColumn;
  created_by: string;
  created_at: string;
}

/** One embargo condition released for a case ('resolved', a date, or '*' for all). */
export interface EmbargoReleasesTable {
  id: Generated<number>;
  case_id: number;
  condition: string;
  trigger: string;
  released_by: string;
  released_at: string;
}

/** A disclosure-check finding the author accepted (who, why), per notice. */
export interface DisclosureAcceptancesTable {
  id: Generated<number>;
  notice_id: number;
  fingerprint: string;
  rule: string;
  excerpt: string;
  reason: string;
  accepted_by: string;
  accepted_at: string;
}

/** The outbox: one row per public change, written in the same transaction. */
export interface PublicationEventsTable {
  id: Generated<number>;
  case_id: number;
  kind: PublicationEventKind;
  at: string;
  revision: number;
  site_revision: number;
}

/** A single row (id = 1) whose counter goes up with every public change. */
export interface PublicSiteTable {
  id: number;
  revision: number;
  updated_at: string;
}

// The tables of the public record (public notices, updates, embargoes, security page).
export interface PublicationTables {
  publications: PublicationsTable;
  publication_revisions: PublicationRevisionsTable;
  public_updates: PublicUpdatesTable;
  embargo_releases: EmbargoReleasesTable;
  disclosure_acceptances: DisclosureAcceptancesTable;
  publication_events: PublicationEventsTable;
  public_site: PublicSiteTable;
}
