import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import {
  csafProductId,
  productInputSchema,
  productStatusSchema,
  vulnerabilityInputSchema,
  type ProductInput,
  type ProductView,
  type VulnerabilityInput,
  type VulnerabilityView,
} from '../../domain/csaf/affected-products.js';
import { parseCvssV3 } from '../../domain/csaf/cvss.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import * as repo from '../../store/csaf.repository.js';
import { nowIso, readJson, type Executor } from '../../store/executor.js';
import { findPublication } from '../../store/publication.repository.js';
import type { CaseProductRow, CaseVulnerabilityRow } from '../../store/schema-csaf.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { recordPublicChange } from './publication.service.js';

type Deps = { database: Database };

/** A vulnerability's product statuses as stored (checked when written, by vulnerabilityInputSchema). */
const storedProductStatus = z.array(z.object({ product: z.number(), status: productStatusSchema }));
/** A stored product as the API shows it. */
export function toProductView(row: CaseProductRow): ProductView {
  const id = Number(row.id);
  return {
    id,
    productId: csafProductId(id),
    vendor: row.vendor,
    name: row.name,
    version: row.version,
    versionRange: row.version_range,
    cpe: row.cpe,
    purl: row.purl,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A stored vulnerability as the API (and the CSAF builder) sees it. */
export function toVulnerabilityView(row: CaseVulnerabilityRow): VulnerabilityView {
  const cvss = row.cvss_vector ? parseCvssV3(row.cvss_vector) : null;
  return {
    id: Number(row.id),
    cve: row.cve,
    title: row.title,
    description: row.description,
    cwe: row.cwe_id && row.cwe_name ? { id: row.cwe_id, name: row.cwe_name } : null,
    cvss: cvss
      ? { vector: cvss.vectorString, baseScore: cvss.baseScore, baseSeverity: cvss.baseSeverity }
      : null,
    remediation: {
      category: row.remediation_category as VulnerabilityView['remediation']['category'],
      details: row.remediation_details,
      url: row.remediation_url,
    },
    productStatus: readJson(row.product_status, storedProductStatus),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The products and vulnerabilities of a case (what the API lists). */
export async function listAffectedProducts(
  actor: Actor,
  caseRef: string,
  deps: Deps,
): Promise<{ products: ProductView[]; vulnerabilities: VulnerabilityView[] }> {
  authorize(actor, 'cases:read');
  const kase = await requireCase(deps.database.db, caseRef);
  const id = Number(kase.id);
  const [products, vulnerabilities] = await Promise.all([
    repo.listCaseProducts(deps.database.db, [id]),
    repo.listCaseVulnerabilities(deps.database.db, [id]),
  ]);
  return {
    products: products.map(toProductView),
    vulnerabilities: vulnerabilities.map(toVulnerabilityView),
  };
}

/** Adds a product to a case. */
export async function addProduct(
  actor: Actor,
  caseRef: string,
  input: ProductInput,
  deps: Deps,
): Promise<ProductView> {
  authorize(actor, 'publication:write');
  const data = productInputSchema.parse(input);
  return change(actor, caseRef, deps, 'csaf.product.add', async (tx, caseId, now) => {
    const existing = await repo.listCaseProducts(tx, [caseId]);
    if (existing.some((p) => sameProduct(p, data))) {
      throw new ConflictError(
        `the case already lists ${data.vendor} ${data.name} ${data.version ?? data.versionRange}`,
      );
    }
    const id = await repo.insertCaseProduct(tx, {
      case_id: caseId,
      vendor: data.vendor,
      name: data.name,
      version: data.version ?? null,
      version_range: data.versionRange ?? null,
      cpe: data.cpe ?? null,
      purl: data.purl ?? null,
      created_at: now,
      updated_at: now,
    });
    return toProductView((await repo.findCaseProduct(tx, caseId, id))!);
  });
}

/** Removes a product that no vulnerability refers to. */
export async function removeProduct(
  actor: Actor,
  caseRef: string,
  productId: number,
  deps: Deps,
): Promise<void> {
  authorize(actor, 'publication:write');
  await change(actor, caseRef, deps, 'csaf.product.remove', async (tx, caseId) => {
    if (!(await repo.findCaseProduct(tx, caseId, productId)))
      throw new NotFoundError(`no product ${productId} in this case`);
    const users = (await repo.listCaseVulnerabilities(tx, [caseId])).filter((v) =>
      toVulnerabilityView(v).productStatus.some((p) => p.product === productId),
    );
    if (users.length > 0) {
      throw new ConflictError(
        `product ${productId} is named by vulnerability ${users.map((v) => v.id).join(', ')}; change those first`,
      );
    }
    await repo.deleteCaseProduct(tx, productId);
    return { id: productId };
  });
}

/** Adds a vulnerability; every product it names must belong to the case. */
export async function addVulnerability(
  actor: Actor,
  caseRef: string,
  input: VulnerabilityInput,
  deps: Deps,
): Promise<VulnerabilityView> {
  authorize(actor, 'publication:write');
  const data = vulnerabilityInputSchema.parse(input);
  return change(actor, caseRef, deps, 'csaf.vulnerability.add', async (tx, caseId, now) => {
    await checkVulnerability(tx, caseId, data, null);
    const id = await repo.insertCaseVulnerability(tx, {
      case_id: caseId,
      ...vulnerabilityRow(data),
      created_at: now,
      updated_at: now,
    });
    return toVulnerabilityView((await repo.findCaseVulnerability(tx, caseId, id))!);
  });
}

/** Replaces a vulnerability's fields. */
export async function replaceVulnerability(
  actor: Actor,
  caseRef: string,
  vulnerabilityId: number,
  input: VulnerabilityInput,
  deps: Deps,
): Promise<VulnerabilityView> {
  authorize(actor, 'publication:write');
  const data = vulnerabilityInputSchema.parse(input);
  return change(actor, caseRef, deps, 'csaf.vulnerability.update', async (tx, caseId, now) => {
    if (!(await repo.findCaseVulnerability(tx, caseId, vulnerabilityId))) {
      throw new NotFoundError(`no vulnerability ${vulnerabilityId} in this case`);
    }
    await checkVulnerability(tx, caseId, data, vulnerabilityId);
    await repo.updateCaseVulnerability(tx, vulnerabilityId, {
      ...vulnerabilityRow(data),
      updated_at: now,
    });
    return toVulnerabilityView((await repo.findCaseVulnerability(tx, caseId, vulnerabilityId))!);
  });
}

/** Removes a vulnerability. */
export async function removeVulnerability(
  actor: Actor,
  caseRef: string,
  vulnerabilityId: number,
  deps: Deps,
): Promise<void> {
  authorize(actor, 'publication:write');
  await change(actor, caseRef, deps, 'csaf.vulnerability.remove', async (tx, caseId) => {
    if (!(await repo.findCaseVulnerability(tx, caseId, vulnerabilityId))) {
      throw new NotFoundError(`no vulnerability ${vulnerabilityId} in this case`);
    }
    await repo.deleteCaseVulnerability(tx, vulnerabilityId);
    return { id: vulnerabilityId };
  });
}

/**
 * One change in one transaction with its audit entry. On a published case the change is a
 * public one (the CSAF document changes), so it also gets a new public revision and an
 * outbox event, which re-renders the provider files and tells subscribers and webhooks.
 */
async function change<T extends { id: number }>(
  actor: Actor,
  caseRef: string,
  deps: Deps,
  action: string,
  run: (tx: Executor, caseId: number, now: string) => Promise<T>,
): Promise<T> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const caseId = Number(kase.id);
    const now = nowIso();
    const result = await run(tx, caseId, now);
    await appendAudit(tx, dialect, actor, {
      action,
      objectType: 'case',
      objectId: caseId,
      details: { ...result },
    });
    const publication = await findPublication(tx, caseId);
    if (publication && !publication.withdrawn_at) {
      await recordPublicChange(
        tx,
        caseId,
        'updated',
        'Affected products and vulnerabilities updated.',
        now,
      );
    }
    return result;
  });
}

async function checkVulnerability(
  tx: Executor,
  caseId: number,
  data: VulnerabilityInput,
  self: number | null,
): Promise<void> {
  const known = new Set((await repo.listCaseProducts(tx, [caseId])).map((p) => Number(p.id)));
  const errors = data.productStatus
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !known.has(p.product))
    .map(({ p, i }) => ({
      field: `productStatus.${i}.product`,
      message: `no product ${p.product} in this case`,
    }));
  if (errors.length > 0) throw new ValidationError('unknown products', errors);
  if (data.cve) {
    const others = await repo.listCaseVulnerabilities(tx, [caseId]);
    if (others.some((v) => v.cve === data.cve && Number(v.id) !== self)) {
      throw new ConflictError(`the case already lists ${data.cve}`);
    }
  }
}

function vulnerabilityRow(data: VulnerabilityInput) {
  const cvss = data.cvssVector ? parseCvssV3(data.cvssVector) : null;
  return {
    cve: data.cve ?? null,
    title: data.title,
    description: data.description ?? null,
    cwe_id: data.cwe?.id ?? null,
    cwe_name: data.cwe?.name ?? null,
    cvss_vector: cvss?.vectorString ?? null,
    cvss_score: cvss?.baseScore ?? null,
    remediation_category: data.remediation.category,
    remediation_details: data.remediation.details,
    remediation_url: data.remediation.url ?? null,
    product_status: JSON.stringify(data.productStatus),
  };
}

function sameProduct(row: CaseProductRow, p: ProductInput): boolean {
  return (
    row.vendor.toLowerCase() === p.vendor.toLowerCase() &&
    row.name.toLowerCase() === p.name.toLowerCase() &&
    (row.version ?? '') === (p.version ?? '') &&
    (row.version_range ?? '') === (p.versionRange ?? '')
  );
}
