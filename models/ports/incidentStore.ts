import type { ChangeStore } from './changeStore.js';
import type { IncidentLookup } from './incidentLookup.js';
import type { IncidentRegistry } from './incidentRegistry.js';
import type { ProvisioningStore } from './provisioningStore.js';
import type { TimelineStore } from './timelineStore.js';

/** Everything the incident database offers (implemented in models/mongo/); each use case takes only the part it needs. */
export type IncidentStore = IncidentLookup & IncidentRegistry & ProvisioningStore & ChangeStore & TimelineStore;
