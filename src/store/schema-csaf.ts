// The tables of the CSAF provider (affected products, vulnerabilities), subscribers and webhooks.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  SubscriberMailState,
  SubscriberState,
  WebhookDeliveryState,
} from '../domain/publication.js';
import type { JsonColumn } from './json-column.js';

/** A product a case's vulnerabilities apply to (or do not): a leaf of the CSAF product tree. */
export interface CaseProductsTable {
  id: Generated<number>;
  case_id: number;
  vendor: string;
  name: string;
  /** Exactly one of version (an exact version) and version_range (vers syntax). */
  version: string | null;
  version_range: string | null;
  cpe: string | null;
  purl: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseVulnerabilitiesTable {
  id: Generated<number>;
  case_id: number;
  cve: string | null;
  title: string;
  description: string | null;
  cwe_id: string | null;
  cwe_name: string | null;
  /** Canonical CVSS 3.1 or 3.0 base vector, and the score computed from it (stored for listing). */
  cvss_vector: string | null;
  cvss_score: number | null;
  remediation_category: string;
  remediation_details: string;
  remediation_url: string | null;
  /** JSON array of { product, status }. */
  product_status: JsonColumn;
  created_at: string;
  updated_at: string;
}

/** Someone who gets an email for every public change. Tokens are stored only as SHA-256. */
export interface SubscribersTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  language: string;
  state: SubscriberState;
  /**
   * The confirmation token is HMAC(installation secret, id + nonce): the outbox loop can put
   * it in the mail without anyone storing it, and only its SHA-256 is kept for the lookup.
   */
  confirm_nonce: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  /** When the confirmation mail is due; null once it was handed to the relay. */
  confirm_mail_due_at: string | null;
  /** The last subscription request for this address (per-address throttle). */
  last_requested_at: string;
  /** SHA-256 of the unsubscribe token, which is derived from the secret and the id. */
  unsubscribe_token_hash: string | null;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  updated_at: string;
}

/** One mail per (publication event, confirmed subscriber): the send queue and its record. */
export interface SubscriberMailsTable {
  id: Generated<number>;
  event_id: number;
  subscriber_id: number;
  state: SubscriberMailState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  claimed_by: string | null;
  smtp_response: string | null;
  sent_at: string | null;
  updated_at: string;
}

/** How far a consumer of the publication outbox got (one row per consumer). */
export interface OutboxCursorsTable {
  consumer: string;
  last_event_id: number;
  updated_at: string;
}

export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  /** The signing secret, AES-256-GCM encrypted under a key derived from the installation secret. */
  secret_enc: string;
  /** JSON array of publication event kinds. */
  events: JsonColumn;
  description: string;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

/** One delivery per (webhook, event), with its attempts: the webhook queue and its log. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  /** Which event stream `event_id` points into: publication_events or recall_events. */
  source: ColumnType<'publication' | 'recall', 'publication' | 'recall' | undefined, never>;
  event_id: number;
  payload: string;
  state: WebhookDeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  claimed_by: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CsafTables {
  case_products: CaseProductsTable;
  case_vulnerabilities: CaseVulnerabilitiesTable;
  subscribers: SubscribersTable;
  subscriber_mails: SubscriberMailsTable;
  outbox_cursors: OutboxCursorsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type CaseProductRow = Selectable<CaseProductsTable>;
export type CaseVulnerabilityRow = Selectable<CaseVulnerabilitiesTable>;
export type SubscriberRow = Selectable<SubscribersTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
