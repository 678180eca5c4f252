import type { Language } from '../language.js';

/** A ready-made notice text an author starts from. */
export interface BuiltinTemplate {
  id: string;
  kind: 'incident' | 'advisory';
  language: Language;
  subject: string;
  body: string;
}
