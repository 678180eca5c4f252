import type { Language } from '../../config.js';

/** A ready-made notice text an author starts from. */
export interface BuiltinTemplate {
  id: string;
  kind: 'incident' | 'advisory';
  language: Language;
  subject: string;
  body: string;
}
