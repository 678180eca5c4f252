import { z } from 'zod';

/**
 * Events about a recipient of a case that webhooks carry next to the publication events, so a
 * CRM or ticket system can follow the recall: the names are the webhook `type`.
 */
export const RECALL_EVENT_KINDS = [
  'delivery.bounced',
  'notice.acknowledged',
  'remedy.completed',
  'question.received',
] as const;
export const recallEventKindSchema = z.enum(RECALL_EVENT_KINDS);
export type RecallEventKind = z.infer<typeof recallEventKindSchema>;
