import type { PublicIncidentRef, PublicStatus } from '../incident/publicStatus.js';

export interface PublicPost {
  readonly name: string;
  readonly status: PublicStatus;
  readonly body: string;
  readonly impact: 'none' | 'minor' | 'major' | 'critical';
}

/** A status page service (Statuspage). */
export interface StatusPage {
  readonly name: string;
  /** The public incident created for this incident earlier (a crash may have lost our record of it). */
  find(incidentId: string): Promise<PublicIncidentRef | undefined>;
  create(incidentId: string, post: PublicPost): Promise<PublicIncidentRef>;
  update(ref: PublicIncidentRef, post: Pick<PublicPost, 'status' | 'body'>): Promise<void>;
}
