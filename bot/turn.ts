import type { ConversationAddress, Person } from '../models/incident/incident.js';
import type { Markdown } from '../models/support/markdown.js';

/** A message we send: Teams markdown (people's words in it escaped by md`…`), a card, or both. */
export interface OutgoingMessage {
  readonly text?: Markdown;
  readonly card?: object;
}

/**
 * One incoming Teams interaction, as the command and verb handlers see it. This is the seam
 * that keeps botbuilder inside incidentBot.ts: handlers speak this, not TurnContext.
 */
export interface BotTurn {
  readonly actor: Person;
  readonly tenantId: string;
  /** The Teams activity id: the idempotency key for what this turn declares or changes. */
  readonly activityId: string;
  /** Where this turn came from, to answer there later (after a restart, too). */
  readonly address: ConversationAddress;
  /** The channel (or chat) this came from, without the thread suffix. */
  readonly conversationRoot: string;
  /** A one-to-one chat with the bot (where `list` means "my incidents"). */
  readonly personal: boolean;
  /** People @mentioned in the message, other than the bot. */
  readonly mentions: readonly Person[];
  /** Replies in the same conversation (thread); returns the new message's id. */
  reply(message: OutgoingMessage): Promise<string | undefined>;
  /** Looks up a member of this team or chat by Teams id or Entra object id (people picker values). */
  resolveMember(id: string): Promise<Person | undefined>;
}
