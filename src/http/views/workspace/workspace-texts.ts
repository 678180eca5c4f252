/** The workspace's languages. */
export type WorkspaceLocale = 'nl' | 'en';

/**
 * Each screen keeps its own texts next to its view: `const t = defineTexts({ nl: {...},
 * en: {...} })`, then `t(session.locale).title`. The English shape is the type; the Dutch
 * must match it key for key, which the compiler checks.
 */
export function defineTexts<T>(texts: { nl: T; en: T }): (locale: WorkspaceLocale) => T {
  return (locale) => (locale === 'en' ? texts.en : texts.nl);
}
