import type { ConversationAddress } from '../incident/incident.js';

/**
 * Where Teams conversations live. Real Teams uses regional service URLs; we learn them from
 * incoming activities and post proactively (new channel's card, later updates) to the same one.
 */
export interface ConversationStore {
  remember(address: ConversationAddress): Promise<void>;
  serviceUrlFor(tenantId: string, conversationId?: string): Promise<string | undefined>;
}
