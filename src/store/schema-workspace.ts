// The tables of the workspace (sessions, login throttling, TOTP, preferences).
import type { Selectable } from 'kysely';

/** One logged-in (or half logged-in) browser. Only the SHA-256 of the cookie value is kept. */
export interface WorkspaceSessionsTable {
  token_hash: string;
  user_id: number;
  /**
   * 'full': logged in. 'totp': password accepted, waiting for the second factor.
   * 'enrol': password accepted, the user must enrol TOTP before anything else.
   */
  stage: string;
  /** Per-session random token every state-changing request must echo. */
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute end of the session (created_at + max lifetime). */
  expires_at: string;
  ip: string;
  user_agent: string;
}

/** Failed attempts per key ("user:<name>|<ip>", "ip:<ip>"), so every process sees the same. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  /** Start of the window failures are counted in (per-IP limit). */
  window_start: string;
  locked_until: string | null;
  updated_at: string;
}

/** A user's TOTP secret (encrypted) and the last time step used, so a code works once. */
export interface UserTotpTable {
  user_id: number;
  secret_enc: string;
  /** null until the user confirmed enrolment with a valid code. */
  confirmed_at: string | null;
  last_step: number;
  created_at: string;
}

/** Workspace preferences beyond users.language. */
export interface UserPreferencesTable {
  user_id: number;
  time_zone: string;
  updated_at: string;
}

/** TOTP recovery codes: an HMAC of each code (key from the installation secret), single use. */
export interface UserRecoveryCodesTable {
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface WorkspaceTables {
  workspace_sessions: WorkspaceSessionsTable;
  login_throttle: LoginThrottleTable;
  user_totp: UserTotpTable;
  user_preferences: UserPreferencesTable;
  user_recovery_codes: UserRecoveryCodesTable;
}

export type WorkspaceSessionRow = Selectable<WorkspaceSessionsTable>;
export type LoginThrottleRow = Selectable<LoginThrottleTable>;
export type UserTotpRow = Selectable<UserTotpTable>;
