import type { PublicLanguage, PublishedCase } from '../publication.js';
import type { ProductView, VulnerabilityView } from './affected-products.js';
import type { CsafCaseInput } from './csaf-types.js';

/**
 * The CSAF input of a published case. One document per case, in English when the case has
 * an English text (CSAF's audience is international), otherwise in its default language.
 * The snapshot is already embargo-free; vulnerability descriptions are free text an author
 * may have written technical detail into, so they too stay out while an embargo is pending.
 */
export function csafInputOf(
  published: PublishedCase,
  affected: { products: ProductView[]; vulnerabilities: VulnerabilityView[] },
  publicUrl: string,
): CsafCaseInput | null {
  const language: PublicLanguage | undefined = published.texts.en
    ? 'en'
    : published.texts[published.defaultLanguage]
      ? published.defaultLanguage
      : (Object.keys(published.texts)[0] as PublicLanguage | undefined);
  const text = language ? published.texts[language] : undefined;
  if (!language || !text || published.revisions.length === 0) return null;
  const base = publicUrl.replace(/\/+$/, '');
  return {
    reference: published.reference,
    kind: published.kind,
    language,
    title: text.title,
    summary: text.summary,
    details: text.body.trim() ? text.body : null,
    pageUrl: `${base}${language === 'en' ? published.paths.pageEn : published.paths.page}`,
    revisions: published.revisions,
    products: affected.products,
    vulnerabilities: published.embargoPending
      ? affected.vulnerabilities.map((v) => ({ ...v, description: null }))
      : affected.vulnerabilities,
  };
}
