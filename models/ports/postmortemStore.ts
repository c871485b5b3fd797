import type { Person } from '../incident/incident.js';
import type { PostmortemContent } from '../postmortem/postmortem.js';

export interface StoredPostmortem {
  readonly incidentId: string;
  readonly version: number;
  readonly content: PostmortemContent;
  readonly savedAt: Date;
  readonly savedBy: Person;
}

export type PostmortemSaveResult =
  | { readonly saved: StoredPostmortem }
  /** Someone saved since `expectedVersion`: nothing was written; here is what they saved. */
  | { readonly conflict: StoredPostmortem }
  /** This save (same key) was already applied: a retried request. */
  | { readonly duplicate: StoredPostmortem };

/** Versioned post-mortems: a head per incident and every version kept. */
export interface PostmortemStore {
  getPostmortem(incidentId: string): Promise<StoredPostmortem | undefined>;
  /** Saves if the head is still at `expectedVersion` (0: nothing saved yet) and `key` is new. */
  savePostmortem(incidentId: string, tenantId: string, expectedVersion: number, key: string, content: PostmortemContent, by: Person, at: Date): Promise<PostmortemSaveResult>;
  /** Copies the head into the version history if a crash left it out; idempotent. */
  recordVersion(postmortem: StoredPostmortem): Promise<void>;
  listPostmortemVersions(incidentId: string): Promise<Omit<StoredPostmortem, 'content'>[]>;
  getPostmortemVersion(incidentId: string, version: number): Promise<StoredPostmortem | undefined>;
}
