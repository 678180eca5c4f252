import type { ColumnType, Generated, Selectable } from 'kysely';
import type { PostureState } from '../domain/posture/posture.js';
import type { JsonColumn } from './json-column.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** One version of the security posture statement (docs/posture.md). */
export interface PostureVersionsTable {
  id: Generated<number>;
  number: Nullable<number>;
  state: PostureState;
  content: JsonColumn;
  content_hash: string;
  /** JSON array of actor names who wrote part of this version. */
  authors: JsonColumn;
  created_at: string;
  updated_at: string;
  updated_by: string;
  approved_by: Nullable<string>;
  approved_at: Nullable<string>;
  approved_hash: Nullable<string>;
  published_by: Nullable<string>;
  published_at: Nullable<string>;
}

export interface PostureTables {
  posture_versions: PostureVersionsTable;
}

export type PostureVersionRow = Selectable<PostureVersionsTable>;
