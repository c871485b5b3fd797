import type { Person } from './person.js';

/** What customers read on the public status page, kept apart from the internal updates. */
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** The incident on the status page. */
export interface PublicIncidentRef {
  readonly id: string;
  readonly url?: string;
}

export interface PublicStatusState {
  readonly status: PublicStatus;
  readonly text: string;
  readonly at: Date;
  readonly by: Person;
  /** Set once the status page has it. */
  readonly page?: PublicIncidentRef;
  /** The last sync failed: why, and what to do. */
  readonly error?: string;
}
