/** What the sandbox page reads from /sandbox/api/state. */
/** A member of the incidents team, and the one 1:1 conversation they have with the bot. */
export interface Person { id: string; name: string; aadObjectId: string; email: string; chatId: string }
/** A message action from the app's manifest, offered in every message's "…" menu. */
export interface MessageAction { id: string; title: string; description: string }
/** A tab: where it loads from, and its entity id (the tab's page.id in its Teams context). */
export interface Tab { id: string; name: string; url: string; entityId?: string }
export interface Channel { id: string; name: string; description: string; tabs: Tab[] }
export interface Meeting { id: string; subject: string; joinUrl: string; joined: string[] }
export interface Activity {
  id: string; conversationId: string; replyToId?: string; from?: { id: string; name?: string }; text?: string;
  cards: object[]; createdAt: string; updatedAt?: string; deletedAt?: string; version: number;
}
/** A group chat the app made (a private incident's room), shown to its members. */
export interface GroupChat { id: string; topic: string; memberIds: string[]; tabs: Channel['tabs'] }
export interface State { fingerprint: string; bot: { id: string; name: string }; people: Person[]; messageActions: MessageAction[]; channels: Channel[]; groupChats: GroupChat[]; meetings: Meeting[]; activities: Activity[] }
export interface Conversation { id: string; name: string; description: string; kind: 'channel' | 'chat'; tabs: Channel['tabs'] }
