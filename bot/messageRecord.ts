/**
 * What the bot needs to put messages on the record: the message actions ("Declare incident",
 * "Add to timeline") and the channel conversation kept as chat entries. Wired here, not in
 * server.ts, from the stores and use cases the server already has.
 */
import type { Access } from '../models/access/access.js';
import type { IncidentActions } from '../models/actions/incidentActions.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';
import type { Clock } from '../models/ports/clock.js';
import type { IncidentLookup } from '../models/ports/incidentLookup.js';
import type { ChatEntryStore, KeyMessageStore } from '../models/ports/recordStore.js';
import { ChannelConversation } from '../models/record/chatEntries.js';
import { keyMessageKey } from '../models/record/keyMessages.js';
import type { DeclareFlow } from './declareFlow.js';
import { KeyMessageFlow } from './keyMessageFlow.js';
import { MessageExtension } from './messageExtension.js';

export interface MessageRecordDeps {
  readonly incidents: Pick<IncidentLookup, 'findByChannel' | 'findByMeetingChat'>;
  readonly record: ChatEntryStore & KeyMessageStore;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly access: Pick<Access, 'refusal'>;
  readonly profiles: TenantProfiles;
  readonly clock: Clock;
  readonly declare: DeclareFlow;
}

export function messageRecord(deps: MessageRecordDeps) {
  const keyMessages = new KeyMessageFlow({
    incidents: deps.incidents,
    store: deps.record,
    clock: deps.clock,
    refusal: (incident, actor, input) => deps.access.refusal('addKeyMessage', { incidentId: incident.id, key: keyMessageKey(input.message), actor }, incident, input),
    run: (request, input) => deps.actions.run('addKeyMessage', request, input),
  });
  return {
    messageExtension: new MessageExtension(deps.declare, keyMessages),
    conversation: new ChannelConversation({ incidents: deps.incidents, entries: deps.record, profiles: deps.profiles }),
    now: () => deps.clock.now(),
  };
}
