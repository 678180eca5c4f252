import type { CaseView } from '../../../domain/case.js';
import {
  PRODUCT_STATUSES,
  REMEDIATION_CATEGORIES,
  type ProductView,
  type VulnerabilityView,
} from '../../../domain/csaf/affected-products.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    heading: 'Getroffen producten en kwetsbaarheden (CSAF)',
    intro:
      'Wat het CSAF-advies van deze zaak noemt: welke producten kwetsbaar zijn, wat verholpen is en wat te doen.',
    back: 'Terug naar het tabblad Openbaar',
    csafJson: 'CSAF-document (JSON)',
    notPublished: 'Het CSAF-document verschijnt zodra de zaak gepubliceerd is.',
    products: 'Producten',
    noProducts: 'Nog geen producten.',
    vulnerabilities: 'Kwetsbaarheden',
    noVulnerabilities: 'Nog geen kwetsbaarheden.',
    vendor: 'Leverancier',
    name: 'Naam',
    version: 'Versie',
    versionHint: 'Eén versie (2.4.1) of een vers-bereik (vers:semver/>=2.0.0|<2.4.1).',
    cpe: 'CPE',
    purl: 'PURL',
    productId: 'CSAF-id',
    optional: 'optioneel',
    addProduct: 'Product toevoegen',
    remove: 'Verwijderen',
    actions: 'Acties',
    cve: 'CVE',
    title: 'Titel',
    description: 'Beschrijving',
    cweId: 'CWE-id',
    cweName: 'CWE-naam',
    cvssVector: 'CVSS-vector (3.1 of 3.0)',
    cvssHint:
      'Bijvoorbeeld CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. CVSS 4.0 past niet in CSAF 2.0.',
    cvss: 'CVSS',
    remediationCategory: 'Soort oplossing',
    remediationDetails: 'Oplossing',
    remediationUrl: 'Link bij de oplossing',
    productStatus: 'Status per product',
    statusNone: '(niet genoemd)',
    addVulnerability: 'Kwetsbaarheid toevoegen',
    needProduct: 'Voeg eerst een product toe; een kwetsbaarheid noemt minstens één product.',
    errors: 'Controleer de gemarkeerde velden.',
    link: 'Getroffen producten en kwetsbaarheden (CSAF) beheren',
    categories: {
      vendor_fix: 'Oplossing van de leverancier',
      mitigation: 'Beperking',
      workaround: 'Omweg',
      none_available: 'Geen beschikbaar',
      no_fix_planned: 'Geen oplossing gepland',
    },
    statuses: {
      known_affected: 'Getroffen',
      first_affected: 'Eerste getroffen versie',
      last_affected: 'Laatste getroffen versie',
      known_not_affected: 'Niet getroffen',
      under_investigation: 'In onderzoek',
      fixed: 'Verholpen',
      first_fixed: 'Eerste verholpen versie',
      recommended: 'Aanbevolen',
    },
  },
  en: {
    heading: 'Affected products and vulnerabilities (CSAF)',
    intro:
      "What this case's CSAF advisory says: which products are vulnerable, what is fixed and what to do.",
    back: 'Back to the Public tab',
    csafJson: 'CSAF document (JSON)',
    notPublished: 'The CSAF document appears once the case is published.',
    products: 'Products',
    noProducts: 'No products yet.',
    vulnerabilities: 'Vulnerabilities',
    noVulnerabilities: 'No vulnerabilities yet.',
    vendor: 'Vendor',
    name: 'Name',
    version: 'Version',
    versionHint: 'One version (2.4.1) or a vers range (vers:semver/>=2.0.0|<2.4.1).',
    cpe: 'CPE',
    purl: 'PURL',
    productId: 'CSAF id',
    optional: 'optional',
    addProduct: 'Add product',
    remove: 'Remove',
    actions: 'Actions',
    cve: 'CVE',
    title: 'Title',
    description: 'Description',
    cweId: 'CWE id',
    cweName: 'CWE name',
    cvssVector: 'CVSS vector (3.1 or 3.0)',
    cvssHint:
      'For example CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. CSAF 2.0 has no place for CVSS 4.0.',
    cvss: 'CVSS',
    remediationCategory: 'Remediation category',
    remediationDetails: 'Remediation',
    remediationUrl: 'Remediation link',
    productStatus: 'Status per product',
    statusNone: '(not named)',
    addVulnerability: 'Add vulnerability',
    needProduct: 'Add a product first; a vulnerability names at least one product.',
    errors: 'Check the marked fields.',
    link: 'Manage affected products and vulnerabilities (CSAF)',
    categories: {
      vendor_fix: 'Vendor fix',
      mitigation: 'Mitigation',
      workaround: 'Workaround',
      none_available: 'None available',
      no_fix_planned: 'No fix planned',
    },
    statuses: {
      known_affected: 'Affected',
      first_affected: 'First affected version',
      last_affected: 'Last affected version',
      known_not_affected: 'Not affected',
      under_investigation: 'Under investigation',
      fixed: 'Fixed',
      first_fixed: 'First fixed version',
      recommended: 'Recommended',
    },
  },
});
type Texts = ReturnType<typeof texts>;

/** The URL of a case's CSAF page (a sub-page of the public tab). */
export function caseCsafUrl(reference: string): string {
  return `${caseTabUrl(reference, 'public')}/csaf`;
}

/** The link the public tab shows to this page. */
export function caseCsafLink(view: ViewContext, kase: CaseView): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<p class="case-csaf-link"><a href="${caseCsafUrl(kase.reference)}">${t.link}</a></p>`;
}

/** A form being filled in: the submitted values and the errors by field. */
export interface FormState {
  values: Record<string, string>;
  errors: FormErrors;
}

export interface CaseCsafModel {
  kase: CaseView;
  products: ProductView[];
  vulnerabilities: VulnerabilityView[];
  /** Where the CSAF JSON is, once published. */
  csafPath: string | null;
  canWrite: boolean;
  productForm?: FormState;
  vulnerabilityForm?: FormState;
}

/** The CSAF page of a case: products, vulnerabilities and the forms to change them. */
export function caseCsafView(view: ViewContext, model: CaseCsafModel): SafeHtml {
  const t = texts(sessionOf(view).locale);
  const base = caseCsafUrl(model.kase.reference);
  return html`${caseHeader(view, model.kase)} ${caseTabs(view, model.kase, 'public')}
    <section class="card case-panel" aria-labelledby="csaf-heading">
      <h2 id="csaf-heading">${t.heading}</h2>
      <p>${t.intro}</p>
      <p>
        ${
          model.csafPath
            ? html`<a href="${model.csafPath}" id="csaf-json">${t.csafJson}</a>`
            : html`<span class="muted">${t.notPublished}</span>`
        }
      </p>
      <p><a href="${caseTabUrl(model.kase.reference, 'public')}">${t.back}</a></p>
    </section>
    ${productsPanel(view, model, t, base)} ${vulnerabilitiesPanel(view, model, t, base)}`;
}

function removeButton(view: ViewContext, action: string, t: Texts): SafeHtml {
  return html`<form method="post" action="${action}">
    ${csrfField(view)}<button type="submit" class="secondary">${t.remove}</button>
  </form>`;
}

function productsPanel(view: ViewContext, model: CaseCsafModel, t: Texts, base: string) {
  const form = model.productForm ?? { values: {}, errors: {} };
  return html`<section class="card case-panel" aria-labelledby="csaf-products-heading">
    <h2 id="csaf-products-heading">${t.products}</h2>
    ${
      model.products.length === 0
        ? html`<p class="muted">${t.noProducts}</p>`
        : html`<table id="csaf-products">
            <thead>
              <tr>
                <th scope="col">${t.productId}</th>
                <th scope="col">${t.vendor}</th>
                <th scope="col">${t.name}</th>
                <th scope="col">${t.version}</th>
                <th scope="col">${t.cpe} / ${t.purl}</th>
                ${model.canWrite ? html`<th scope="col">${t.actions}</th>` : ''}
              </tr>
            </thead>
            <tbody>
              ${model.products.map(
                (p) =>
                  html`<tr>
                    <td><code>${p.productId}</code></td>
                    <td>${p.vendor}</td>
                    <td>${p.name}</td>
                    <td>${p.version ?? p.versionRange ?? ''}</td>
                    <td>
                      ${p.cpe ? html`<code>${p.cpe}</code>` : ''}
                      ${p.purl ? html`<code>${p.purl}</code>` : ''}
                    </td>
                    ${
                      model.canWrite
                        ? html`<td>${removeButton(view, `${base}/products/${p.id}/remove`, t)}</td>`
                        : ''
                    }
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      model.canWrite
        ? html`<form method="post" action="${base}/products" novalidate id="csaf-product-form">
            ${csrfField(view)}
            <fieldset>
              <legend>${t.addProduct}</legend>
              ${errorSummary(t.errors, form.errors, 'product')}
              ${input(form, 'product', 'vendor', t.vendor, { required: true })}
              ${input(form, 'product', 'name', t.name, { required: true })}
              ${input(form, 'product', 'version', t.version, { required: true, hint: t.versionHint })}
              ${input(form, 'product', 'cpe', `${t.cpe} (${t.optional})`)}
              ${input(form, 'product', 'purl', `${t.purl} (${t.optional})`)}
              <button type="submit">${t.addProduct}</button>
            </fieldset>
          </form>`
        : ''
    }
  </section>`;
}

function vulnerabilitiesPanel(view: ViewContext, model: CaseCsafModel, t: Texts, base: string) {
  const form = model.vulnerabilityForm ?? { values: {}, errors: {} };
  const productName = (id: number) => {
    const p = model.products.find((x) => x.id === id);
    return p ? `${p.vendor} ${p.name} ${p.version ?? p.versionRange ?? ''}`.trim() : `#${id}`;
  };
  return html`<section class="card case-panel" aria-labelledby="csaf-vulns-heading">
    <h2 id="csaf-vulns-heading">${t.vulnerabilities}</h2>
    ${
      model.vulnerabilities.length === 0
        ? html`<p class="muted">${t.noVulnerabilities}</p>`
        : html`<table id="csaf-vulnerabilities">
            <thead>
              <tr>
                <th scope="col">${t.cve}</th>
                <th scope="col">${t.title}</th>
                <th scope="col">CWE</th>
                <th scope="col">${t.cvss}</th>
                <th scope="col">${t.remediationDetails}</th>
                <th scope="col">${t.productStatus}</th>
                ${model.canWrite ? html`<th scope="col">${t.actions}</th>` : ''}
              </tr>
            </thead>
            <tbody>
              ${model.vulnerabilities.map(
                (v) =>
                  html`<tr>
                    <td>${v.cve ?? ''}</td>
                    <td>${v.title}</td>
                    <td>${v.cwe ? `${v.cwe.id} ${v.cwe.name}` : ''}</td>
                    <td>
                      ${
                        v.cvss
                          ? html`${v.cvss.baseScore} ${v.cvss.baseSeverity}<br /><code
                                >${v.cvss.vector}</code
                              >`
                          : ''
                      }
                    </td>
                    <td>${t.categories[v.remediation.category]}: ${v.remediation.details}</td>
                    <td>
                      <ul>
                        ${v.productStatus.map(
                          (s) => html`<li>${productName(s.product)}: ${t.statuses[s.status]}</li>`,
                        )}
                      </ul>
                    </td>
                    ${
                      model.canWrite
                        ? html`<td>
                            ${removeButton(view, `${base}/vulnerabilities/${v.id}/remove`, t)}
                          </td>`
                        : ''
                    }
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      model.canWrite
        ? model.products.length === 0
          ? html`<p class="muted">${t.needProduct}</p>`
          : html`<form
              method="post"
              action="${base}/vulnerabilities"
              novalidate
              id="csaf-vuln-form"
            >
              ${csrfField(view)}
              <fieldset>
                <legend>${t.addVulnerability}</legend>
                ${errorSummary(t.errors, form.errors, 'vuln')}
                ${input(form, 'vuln', 'cve', `${t.cve} (${t.optional})`)}
                ${input(form, 'vuln', 'title', t.title, { required: true })}
                ${textarea(form, 'vuln', 'description', `${t.description} (${t.optional})`)}
                ${input(form, 'vuln', 'cweId', `${t.cweId} (${t.optional})`)}
                ${input(form, 'vuln', 'cweName', `${t.cweName} (${t.optional})`)}
                ${input(form, 'vuln', 'cvssVector', `${t.cvssVector} (${t.optional})`, {
                  hint: t.cvssHint,
                })}
                ${select(
                  form,
                  'vuln',
                  'remediationCategory',
                  t.remediationCategory,
                  REMEDIATION_CATEGORIES.map((c) => [c, t.categories[c]]),
                )}
                ${textarea(form, 'vuln', 'remediationDetails', t.remediationDetails)}
                ${input(form, 'vuln', 'remediationUrl', `${t.remediationUrl} (${t.optional})`)}
                <fieldset id="vuln-productStatus">
                  <legend>${t.productStatus}</legend>
                  ${fieldError(form.errors, 'productStatus', 'vuln')}
                  ${model.products.map((p) =>
                    select(form, 'vuln', `status.${p.id}`, productName(p.id), [
                      ['', t.statusNone],
                      ...PRODUCT_STATUSES.map((s) => [s, t.statuses[s]] as [string, string]),
                    ]),
                  )}
                </fieldset>
                <button type="submit">${t.addVulnerability}</button>
              </fieldset>
            </form>`
        : ''
    }
  </section>`;
}

function label(prefix: string, name: string, text: string, hint?: string): SafeHtml {
  return html`<label for="${prefix}-${name}">${text}</label>
    ${hint ? html`<span class="hint" id="${prefix}-${name}-hint">${hint}</span>` : ''}`;
}

function input(
  form: FormState,
  prefix: string,
  name: string,
  text: string,
  options: { required?: boolean; hint?: string } = {},
): SafeHtml {
  return html`<div class="field">
    ${label(prefix, name, text, options.hint)}
    <input
      id="${prefix}-${name}"
      name="${name}"
      type="text"
      value="${form.values[name] ?? ''}"
      autocomplete="off"
      ${options.required ? html`required` : ''}
      ${fieldAria(form.errors, name, prefix)}
    />
    ${fieldError(form.errors, name, prefix)}
  </div>`;
}

function textarea(form: FormState, prefix: string, name: string, text: string): SafeHtml {
  return html`<div class="field">
    ${label(prefix, name, text)}
    <textarea
      id="${prefix}-${name}"
      name="${name}"
      rows="3"
      ${fieldAria(form.errors, name, prefix)}
    >
${form.values[name] ?? ''}</textarea>
    ${fieldError(form.errors, name, prefix)}
  </div>`;
}

function select(
  form: FormState,
  prefix: string,
  name: string,
  text: string,
  options: readonly (readonly [string, string])[],
): SafeHtml {
  const current = form.values[name] ?? '';
  return html`<div class="field">
    ${label(prefix, name, text)}
    <select id="${prefix}-${name}" name="${name}" ${fieldAria(form.errors, name, prefix)}>
      ${options.map(
        ([value, caption]) =>
          html`<option value="${value}" ${value === current ? html`selected` : ''}>
            ${caption}
          </option>`,
      )}
    </select>
    ${fieldError(form.errors, name, prefix)}
  </div>`;
}
