import {
  AVAILABILITY_LOSSES,
  CONFIDENTIALITY_LOSSES,
  DATA_CATEGORIES,
  ENCRYPTIONS,
  EXFILTRATIONS,
  IDENTIFIABILITY,
  INCIDENT_KINDS,
  INTEGRITY_LOSSES,
  NIS2_ENTITY_TYPES,
  NIS2_SERVICE_TYPES,
  PASSWORD_STORAGES,
  UNAVAILABILITIES,
  assessmentFactsSchema,
} from '../../../domain/assessment/assessment-facts.js';
import { formatDateTime } from './workspace-format.js';
import { html, type SafeHtml } from '../html.js';
import { assessmentTexts, type AssessmentTexts } from './case-assessment-texts.view.js';
import { csrfField } from './workspace-layout.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

// The facts form: one definition per field drives both the rendering and the parsing of
// the posted form back into a facts document, so the two cannot disagree. Field names are
// the facts' paths ("nis2.serviceType"); errors from the schema come back on those paths.

type FieldKey = keyof AssessmentTexts['fields'];
type OptionKey = keyof AssessmentTexts['options'];

interface FieldDef {
  path: FieldKey;
  kind: 'bool' | 'enum' | 'multi' | 'int' | 'number';
  options?: readonly string[];
  /** Empty input means null (unknown) rather than the default. */
  nullable?: boolean;
}

// The first fieldset asks the questions a DPO can answer at 3 a.m. in plain words (issue
// 13); the rest, which the ENISA arithmetic and NIS2 need, sits folded under "more facts".
const FIELDSETS: { key: keyof AssessmentTexts['fieldsets']; fields: FieldDef[] }[] = [
  {
    key: 'plain',
    fields: [
      { path: 'incidentKind', kind: 'enum', options: INCIDENT_KINDS, nullable: true },
      { path: 'personalData', kind: 'bool' },
      { path: 'dataCategories', kind: 'multi', options: DATA_CATEGORIES },
      { path: 'dataSubjects', kind: 'int', nullable: true },
      { path: 'identifiability', kind: 'enum', options: IDENTIFIABILITY, nullable: true },
      { path: 'maliciousIntent', kind: 'bool' },
      { path: 'confidentiality', kind: 'enum', options: CONFIDENTIALITY_LOSSES },
      { path: 'exfiltration', kind: 'enum', options: EXFILTRATIONS },
      { path: 'encryption', kind: 'enum', options: ENCRYPTIONS },
      { path: 'backupAvailable', kind: 'bool' },
    ],
  },
  {
    key: 'personal',
    fields: [
      { path: 'records', kind: 'int', nullable: true },
      { path: 'crossBorder', kind: 'bool' },
    ],
  },
  {
    key: 'loss',
    fields: [
      { path: 'integrity', kind: 'enum', options: INTEGRITY_LOSSES },
      { path: 'availability', kind: 'enum', options: AVAILABILITY_LOSSES },
    ],
  },
  {
    key: 'protection',
    fields: [
      { path: 'passwordStorage', kind: 'enum', options: PASSWORD_STORAGES },
      { path: 'restoreHours', kind: 'number', nullable: true },
    ],
  },
  {
    key: 'recipients',
    fields: [
      { path: 'recipientsKnownTrusted', kind: 'bool' },
      { path: 'deletionConfirmed', kind: 'bool' },
      { path: 'subsequentMeasures', kind: 'bool' },
      { path: 'disproportionateEffort', kind: 'bool' },
    ],
  },
  {
    key: 'context',
    fields: [
      { path: 'dpcContext.profiling', kind: 'bool' },
      { path: 'dpcContext.sensitiveInference', kind: 'bool' },
      { path: 'dpcContext.publiclyAvailable', kind: 'bool' },
      { path: 'dpcContext.invalidOrInaccurate', kind: 'bool' },
      {
        path: 'dpcContext.financialDetail',
        kind: 'enum',
        nullable: true,
        options: ['existence-only', 'limited', 'substantial', 'full'],
      },
      {
        path: 'dpcContext.sensitiveDetail',
        kind: 'enum',
        nullable: true,
        options: ['public', 'general-assumptions', 'assumptions', 'full'],
      },
    ],
  },
  {
    key: 'nis2',
    fields: [
      { path: 'nis2.entityType', kind: 'enum', options: NIS2_ENTITY_TYPES },
      { path: 'nis2.serviceType', kind: 'enum', options: NIS2_SERVICE_TYPES },
      { path: 'nis2.usersAffected', kind: 'int' },
      { path: 'nis2.euUsersAffectedPercent', kind: 'number' },
      { path: 'nis2.unavailability', kind: 'enum', options: UNAVAILABILITIES },
      { path: 'nis2.unavailabilityMinutes', kind: 'number' },
      { path: 'nis2.dataCompromised', kind: 'bool' },
      { path: 'nis2.physicalAccessCompromised', kind: 'bool' },
      { path: 'nis2.maliciousAccessSevereDisruption', kind: 'bool' },
      { path: 'nis2.financialLossEur', kind: 'number' },
      { path: 'nis2.annualTurnoverEur', kind: 'number', nullable: true },
      { path: 'nis2.tradeSecretsExfiltrated', kind: 'bool' },
      { path: 'nis2.deathCaused', kind: 'bool' },
      { path: 'nis2.healthDamage', kind: 'bool' },
    ],
  },
];

function getPath(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** Turns a posted form into a facts document (validation is the schema's job). */
export function factsFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const set of FIELDSETS) {
    for (const f of set.fields) {
      const raw = body[f.path];
      const text = Array.isArray(raw)
        ? String(raw[0] ?? '')
        : typeof raw === 'string'
          ? raw.trim()
          : '';
      if (f.kind === 'bool') setPath(out, f.path, raw !== undefined && raw !== '');
      else if (f.kind === 'multi')
        setPath(
          out,
          f.path,
          (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map(String),
        );
      else if (f.kind === 'enum') {
        if (text !== '') setPath(out, f.path, text);
      } else if (text === '') {
        if (f.nullable) setPath(out, f.path, null);
      } else {
        // A number that does not parse stays text, so the schema names the field.
        const n = Number(text.replace(',', '.'));
        setPath(out, f.path, Number.isFinite(n) ? n : text);
      }
    }
  }
  return out;
}

/** The facts form, filled with `values` (the facts in force, or what was just posted). */
export function renderFactsForm(
  view: ViewContext,
  reference: string,
  values: unknown,
  errors: { field: string; message: string }[],
  canWrite: boolean,
  containment: { containedAt: string | null; canRecord: boolean } = {
    containedAt: null,
    canRecord: false,
  },
): SafeHtml {
  const t = assessmentTexts(sessionOf(view).locale);
  // Before any facts are recorded no choice is preselected except "personal data are
  // involved" (the cautious answer): a select shows "not answered" until the user picks.
  const fresh = values === null || values === undefined;
  const current = values ?? assessmentFactsSchema.parse({ personalData: true });
  const errorOf = (path: string) =>
    errors.filter((e) => e.field === path || e.field.startsWith(`${path}.`));
  const id = (path: string) => `fact-${path.replace(/\./g, '-')}`;
  const field = (f: FieldDef) => {
    const label = t.fields[f.path];
    const value = getPath(current, f.path);
    const errs = errorOf(f.path);
    const invalid =
      errs.length > 0 ? html`aria-invalid="true" aria-describedby="${id(f.path)}-error"` : '';
    const errorText =
      errs.length > 0
        ? html`<span class="error-text" id="${id(f.path)}-error"
            >${errs.map((e) => e.message).join('; ')}</span
          >`
        : '';
    const optionLabel = (o: string) =>
      (t.options[f.path as OptionKey] as Record<string, string> | undefined)?.[o] ?? o;
    if (f.kind === 'bool')
      return html`<div class="field checks">
        <label
          ><input
            type="checkbox"
            name="${f.path}"
            value="on"
            ${value === true ? html`checked` : ''}
            ${invalid}
          />
          ${label}</label
        >${errorText}
      </div>`;
    if (f.kind === 'multi') {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return html`<fieldset class="field checks" ${invalid}>
        <legend>${label}</legend>
        ${f.options!.map((o) => html`<label><input type="checkbox" name="${f.path}" value="${o}" ${chosen.includes(o) ? html`checked` : ''} /> ${optionLabel(o)}</label>`)}
        ${errorText}
      </fieldset>`;
    }
    if (f.kind === 'enum') {
      const unanswered = fresh || value === null || value === undefined;
      return html`<div class="field">
        <label for="${id(f.path)}">${label}</label>
        <select id="${id(f.path)}" name="${f.path}" ${invalid}>
          ${unanswered ? html`<option value="" selected>${t.notAnswered}</option>` : ''}
          ${f.options!.map((o) => html`<option value="${o}" ${!unanswered && value === o ? html`selected` : ''}>${optionLabel(o)}</option>`)}
        </select>
        ${errorText}
      </div>`;
    }
    return html`<div class="field">
      <label for="${id(f.path)}">${label}</label>
      <input
        id="${id(f.path)}"
        name="${f.path}"
        type="text"
        inputmode="${f.kind === 'int' ? 'numeric' : 'decimal'}"
        value="${typeof value === 'number' || typeof value === 'string' ? String(value) : ''}"
        ${invalid}
      />
      ${errorText}
    </div>`;
  };
  const fieldset = (set: (typeof FIELDSETS)[number]) =>
    html`<fieldset>
      <legend>${t.fieldsets[set.key]}</legend>
      ${set.fields.map(field)}
    </fieldset>`;
  const summary =
    errors.length > 0
      ? html`<div class="flash flash-error" role="alert" id="facts-errors">
          <p>${t.errors}</p>
          <ul>
            ${errors.map((e) => html`<li><a href="#${id(e.field.split('.').slice(0, 2).join('.'))}">${e.field}</a>: ${e.message}</li>`)}
          </ul>
        </div>`
      : '';
  return html`<section class="card assessment-facts" aria-labelledby="facts-title">
    <h2 id="facts-title">${t.factsForm}</h2>
    ${summary} ${canWrite ? '' : html`<p class="muted">${t.readOnly}</p>`}
    <form method="post" action="/app/cases/${encodeURIComponent(reference)}/assessment" novalidate>
      ${csrfField(view)}
      <fieldset class="assessment-fieldsets" ${canWrite ? '' : html`disabled`}>
        ${FIELDSETS.slice(0, 1).map(fieldset)} ${containedQuestion(view, containment, errors)}
        <details
          class="assessment-more"
          ${errors.some((e) => !PLAIN_PATHS.has(e.field.split('.').slice(0, 2).join('.'))) ? html`open` : ''}
        >
          <summary>${t.moreFacts}</summary>
          ${FIELDSETS.slice(1).map(fieldset)}
        </details>
      </fieldset>
      ${canWrite ? html`<div class="actions"><button type="submit">${t.save}</button></div>` : ''}
    </form>
  </section>`;
}

const PLAIN_PATHS = new Set<string>([...FIELDSETS[0]!.fields.map((f) => f.path), 'containedAt']);

const CONTAINED_TEXTS = {
  nl: {
    question: 'Is het lek gedicht?',
    since: (when: string) => `Ja, sinds ${when} (op de tijdlijn van de zaak).`,
    field: 'Zo ja: sinds wanneer (leeg laten als het nog niet gedicht is)',
    hint: 'Wordt vastgelegd als mijlpaal "ingeperkt" op de tijdlijn; berichten mogen het dan zeggen.',
    askResponder: 'Nog niet vastgelegd. Een responder legt dit vast op de tijdlijn van de zaak.',
  },
  en: {
    question: 'Is the leak closed?',
    since: (when: string) => `Yes, since ${when} (on the case timeline).`,
    field: 'If so: since when (leave empty if it is not closed yet)',
    hint: 'Recorded as the "contained" milestone on the timeline; notices may then say so.',
    askResponder: 'Not recorded yet. A responder records it on the case timeline.',
  },
} as const;

/**
 * "Is it contained?" among the plain questions. Containment is a fact of the case (its
 * timeline milestone, which notices' claims follow), so the answer is recorded there, not in
 * the assessment's facts; once recorded it is shown, not asked again.
 */
function containedQuestion(
  view: ViewContext,
  containment: { containedAt: string | null; canRecord: boolean },
  errors: { field: string; message: string }[],
): SafeHtml {
  const session = sessionOf(view);
  const t = CONTAINED_TEXTS[session.locale];
  const error = errors.find((e) => e.field === 'containedAt');
  const body = containment.containedAt
    ? html`<p>${t.since(formatDateTime(session, containment.containedAt))}</p>`
    : containment.canRecord
      ? html`<div class="field">
          <label for="f-containedAt">${t.field}</label>
          <input
            id="f-containedAt"
            name="containedAt"
            type="datetime-local"
            aria-describedby="f-containedAt-hint${error ? ' f-containedAt-error' : ''}"
            ${error ? html`aria-invalid="true"` : ''}
          />
          <span class="hint" id="f-containedAt-hint">${t.hint}</span>
          ${error ? html`<span class="error-text" id="f-containedAt-error">${error.message}</span>` : ''}
        </div>`
      : html`<p class="muted">${t.askResponder}</p>`;
  return html`<fieldset class="assessment-contained">
    <legend>${t.question}</legend>
    ${body}
  </fieldset>`;
}

/** For tests: every field path the form posts. */
export const FORM_FIELD_PATHS: readonly string[] = FIELDSETS.flatMap((s) =>
  s.fields.map((f) => f.path),
);
