import type { PostureContent } from '../../../domain/posture/posture.js';

/**
 * The posture editor's flat form fields and the statement's content, both ways. The form
 * parser gives flat names, so a measure's fields are `m{i}_{field}` and a commitment's
 * `c{j}_{field}`; one blank own-item row and one blank commitment row let the writer add one.
 */

export type PostureForm = Record<string, string>;

/** Content → form values. */
export function postureFormValues(content: PostureContent): PostureForm {
  const f: PostureForm = {
    validUntil: content.validUntil,
    intro_nl: content.intro.nl,
    intro_en: content.intro.en,
    mcount: String(content.measures.length + 1),
    ccount: String(content.commitments.length + 1),
  };
  content.measures.forEach((m, i) => {
    Object.assign(f, {
      [`m${i}_id`]: m.id,
      [`m${i}_title_nl`]: m.title?.nl ?? '',
      [`m${i}_title_en`]: m.title?.en ?? '',
      [`m${i}_status`]: m.status,
      [`m${i}_reason_nl`]: m.reason.nl,
      [`m${i}_reason_en`]: m.reason.en,
      [`m${i}_description_nl`]: m.description.nl,
      [`m${i}_description_en`]: m.description.en,
      [`m${i}_lastChecked`]: m.lastChecked ?? '',
      [`m${i}_checkedBy`]: m.checkedBy.kind,
      [`m${i}_auditor`]: m.checkedBy.auditor ?? '',
      [`m${i}_evidence`]: m.evidence,
      [`m${i}_validUntil`]: m.validUntil ?? '',
    });
  });
  // The blank row for a new own item claims nothing until the writer says so.
  const n = content.measures.length;
  Object.assign(f, {
    [`m${n}_status`]: 'planned',
    [`m${n}_evidence`]: 'none',
    [`m${n}_checkedBy`]: 'internal',
  });
  content.commitments.forEach((c, j) => {
    Object.assign(f, {
      [`c${j}_id`]: c.id,
      [`c${j}_kind`]: c.kind,
      [`c${j}_hours`]: String(c.hours),
      [`c${j}_text_nl`]: c.text.nl,
      [`c${j}_text_en`]: c.text.en,
    });
  });
  return f;
}

const count = (value: string | undefined, max: number) =>
  Math.min(max, Math.max(0, Number.parseInt(value ?? '0', 10) || 0));

/**
 * Form → content as typed (not yet validated: the service's schema judges it). Rows marked
 * for removal and untouched blank rows are left out; `rows` maps each kept row back to its
 * form index, so an error on measures[3] lands at the right field.
 */
export function postureFromForm(form: PostureForm): {
  content: unknown;
  measureRows: number[];
  commitmentRows: number[];
} {
  const v = (k: string) => (form[k] ?? '').trim();
  const text = (k: string) => (form[k] ?? '').replace(/\r\n/g, '\n').trim();
  const measureRows: number[] = [];
  const measures: unknown[] = [];
  for (let i = 0; i < count(form.mcount, 120); i++) {
    if (form[`m${i}_remove`]) continue;
    const id = v(`m${i}_id`);
    const titled = v(`m${i}_title_nl`) || v(`m${i}_title_en`);
    if (!id && !titled) continue;
    measureRows.push(i);
    measures.push({
      // A new own item gets its id from its English (or Dutch) title.
      id: id || `own-${slug(v(`m${i}_title_en`) || v(`m${i}_title_nl`))}`,
      ...(titled || id.startsWith('own-')
        ? { title: { nl: v(`m${i}_title_nl`), en: v(`m${i}_title_en`) } }
        : {}),
      status: v(`m${i}_status`) || 'planned',
      reason: { nl: text(`m${i}_reason_nl`), en: text(`m${i}_reason_en`) },
      description: { nl: text(`m${i}_description_nl`), en: text(`m${i}_description_en`) },
      lastChecked: v(`m${i}_lastChecked`) || null,
      checkedBy: { kind: v(`m${i}_checkedBy`) || 'internal', auditor: v(`m${i}_auditor`) || null },
      evidence: v(`m${i}_evidence`) || 'none',
      validUntil: v(`m${i}_validUntil`) || null,
    });
  }
  const commitmentRows: number[] = [];
  const commitments: unknown[] = [];
  for (let j = 0; j < count(form.ccount, 25); j++) {
    if (form[`c${j}_remove`]) continue;
    const hours = v(`c${j}_hours`);
    const texts = text(`c${j}_text_nl`) || text(`c${j}_text_en`);
    if (!v(`c${j}_id`) && !texts) continue;
    commitmentRows.push(j);
    commitments.push({
      id: v(`c${j}_id`) || slug(text(`c${j}_text_en`) || text(`c${j}_text_nl`)),
      kind: v(`c${j}_kind`) || 'customer-notice',
      hours: /^\d+$/.test(hours) ? Number(hours) : hours,
      text: { nl: text(`c${j}_text_nl`), en: text(`c${j}_text_en`) },
    });
  }
  return {
    content: {
      validUntil: v('validUntil'),
      intro: { nl: text('intro_nl'), en: text('intro_en') },
      measures,
      commitments,
    },
    measureRows,
    commitmentRows,
  };
}

function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'item'
  );
}

/**
 * The form field of a service error's field path (`measures[2].checkedBy.auditor` → `m5_auditor`
 * when the third kept measure was form row 5).
 */
export function formFieldOf(
  path: string,
  rows: { measureRows: number[]; commitmentRows: number[] },
): string {
  const m = /^measures\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (m) {
    const i = rows.measureRows[Number(m[1])] ?? Number(m[1]);
    const [, , a, b] = m;
    if (a === 'checkedBy') return `m${i}_${b === 'auditor' ? 'auditor' : 'checkedBy'}`;
    if (a === 'title' || a === 'reason' || a === 'description') return `m${i}_${a}_${b ?? 'nl'}`;
    return `m${i}_${a ?? 'id'}`;
  }
  const c = /^commitments\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (c) {
    const j = rows.commitmentRows[Number(c[1])] ?? Number(c[1]);
    const [, , a, b] = c;
    if (a === 'text') return `c${j}_text_${b ?? 'nl'}`;
    return `c${j}_${a ?? 'id'}`;
  }
  if (path.startsWith('intro')) return `intro_${path.split('.')[1] ?? 'nl'}`;
  return path === 'validUntil' ? 'validUntil' : '';
}
