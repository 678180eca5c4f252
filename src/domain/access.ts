import { z } from 'zod';
import { ForbiddenError } from './errors.js';

/** The roles a user can hold; a user may hold several. */
export const ROLES = ['admin', 'responder', 'communicator', 'approver', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/**
 * What each role may do. Admin may do everything; the rest is least privilege: a viewer
 * reads, a communicator writes texts, an approver signs off, a responder runs the case.
 */
const GRANTS = {
  'customers:read': ['responder', 'communicator', 'approver', 'viewer'],
  'cases:read': ['responder', 'communicator', 'approver', 'viewer'],
  'cases:write': ['responder'],
  'affected:write': ['responder'],
  'notices:write': ['responder', 'communicator'],
  'notices:approve': ['approver'],
  'dispatch:start': ['responder'],
  'dispatch:control': ['responder'],
  'bounces:report': ['responder'],
  'customers:import': ['responder'],
  'customers:export': ['responder'],
  'users:manage': [],
  'settings:manage': [],
  'tokens:create-own': ['responder', 'communicator', 'approver', 'viewer'],
  'audit:read': ['responder', 'approver'],
  'audit:verify': ['responder', 'approver'],
  // The public record: public notices, press statements, updates, embargoes, publishing.
  'publication:write': ['responder', 'communicator'],
  'publication:publish': ['responder'],
  'subscribers:manage': [],
  'webhooks:manage': [],
  // Assessment, legal clocks, regulator reports and the breach register.
  'assessment:write': ['responder', 'approver'],
  'assessment:override': ['approver'],
  'reports:write': ['responder', 'approver'],
  'reports:approve': ['approver'],
  'reports:submit': ['responder', 'approver'],
  'register:read': ['responder', 'approver', 'viewer'],
  'register:export': ['responder', 'approver'],
  // The provider's customer portal: one customer's open notices, by external id. The answer
  // holds personal-page links, which act as the customer: not for read-only roles.
  'portal:read': ['responder'],
  // The security posture statement: written like a public notice, approved by a second person.
  'posture:write': ['responder', 'communicator'],
  'posture:approve': ['approver'],
  // Remedies: what customers must do (texts and completion rule), and the provider's systems
  // saying who has done it.
  'remedies:manage': ['responder', 'communicator'],
  'remedies:confirm': ['responder'],
  // Customer questions from the personal page: reply by email or close without a reply.
  'questions:answer': ['responder', 'communicator'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof GRANTS;

/** An authenticated principal: a user (via session or token) or the local operator (CLI). */
export interface Actor {
  kind: 'user' | 'system';
  userId: number | null;
  name: string;
  roles: readonly Role[];
  /** Where the action came from: an IP address, "cli", or "system". */
  source: string;
  /** A scoped API token's limit: it may use only these permissions (within its roles). */
  scope?: TokenScope | null;
}

/** What a scoped token is limited to. */
export const TOKEN_SCOPES = {
  portal: ['portal:read'],
} as const satisfies Record<string, readonly Permission[]>;
export const tokenScopeSchema = z.enum(Object.keys(TOKEN_SCOPES) as ['portal']);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

/** Whether a token scope (none: unlimited) lets its holder use a permission. */
export function scopeAllows(scope: TokenScope | null | undefined, permission: Permission): boolean {
  if (!scope) return true;
  return (TOKEN_SCOPES[scope] as readonly Permission[]).includes(permission);
}

/** The operator at the machine's shell: full rights, since they already hold the database. */
export function systemActor(name = 'cli'): Actor {
  return { kind: 'system', userId: null, name: `system:${name}`, roles: ['admin'], source: 'cli' };
}

/** Whether any of the roles grants the permission. */
export function can(roles: readonly Role[], permission: Permission): boolean {
  if (roles.includes('admin')) return true;
  const granted: readonly Role[] = GRANTS[permission];
  return roles.some((r) => granted.includes(r));
}

/** Every permission the roles grant, for display and for the API's /me. */
export function permissionsOf(roles: readonly Role[]): Permission[] {
  return (Object.keys(GRANTS) as Permission[]).filter((p) => can(roles, p));
}

/** Each permission as the words that finish "… may not": read in refusals and the README. */
export const PERMISSION_PHRASES: Record<Permission, string> = {
  'customers:read': 'read the customer registry',
  'cases:read': 'read cases',
  'cases:write': 'open or change cases',
  'affected:write': 'change affected lists',
  'notices:write': 'write notices',
  'notices:approve': 'approve notices',
  'dispatch:start': 'start a dispatch',
  'dispatch:control': 'pause, resume or cancel a dispatch',
  'bounces:report': 'report bounces',
  'customers:import': 'import customers',
  'customers:export': 'export customers',
  'users:manage': 'manage users',
  'settings:manage': 'change settings',
  'tokens:create-own': 'create API tokens',
  'audit:read': 'read the audit log',
  'audit:verify': 'verify the audit log',
  'publication:write': 'write public notices and press statements',
  'publication:publish': 'publish to the security page',
  'subscribers:manage': 'manage subscribers',
  'webhooks:manage': 'manage webhooks',
  'assessment:write': 'assess cases',
  'assessment:override': 'override an assessment',
  'reports:write': 'write regulator reports',
  'reports:approve': 'approve regulator reports',
  'reports:submit': 'record a regulator report as submitted',
  'register:read': 'read the breach register',
  'register:export': 'export the breach register',
  'portal:read': "read a customer's open notices (for the provider's portal)",
  'posture:write': 'write the security posture statement',
  'posture:approve': 'approve the security posture statement',
  'remedies:manage': 'manage remedies',
  'remedies:confirm': 'confirm remedies on behalf of customers',
  'questions:answer': 'answer customer questions',
};

/** The roles that hold a permission (admin holds every one). */
export function rolesGranting(permission: Permission): Role[] {
  return ['admin', ...GRANTS[permission]];
}

/** Throws ForbiddenError unless the actor holds the permission; services call this first. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor.roles, permission) || !scopeAllows(actor.scope, permission)) {
    throw new ForbiddenError(`${actor.name} may not ${PERMISSION_PHRASES[permission]}`, {
      permission,
    });
  }
}
