import type { OnCallSetup } from '../paging/oncall.js';

/** The on-call setup as changed in chat (the file is the starting point). */
export interface OnCallStore {
  getOnCall(tenantId: string): Promise<{ setup: OnCallSetup; version: number } | undefined>;
  /** Saves if the stored version is still `expectedVersion` (0: nothing stored yet); false otherwise. */
  saveOnCall(tenantId: string, setup: OnCallSetup, expectedVersion: number): Promise<boolean>;
}
