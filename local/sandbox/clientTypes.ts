/** What the sandbox page reads from /sandbox/api/state. */
export interface Person { id: string; name: string; aadObjectId: string }
export interface Channel { id: string; name: string; description: string; tabs: { id: string; name: string; url: string }[] }
export interface Meeting { id: string; subject: string; joinUrl: string; joined: string[] }
export interface Activity {
  id: string; conversationId: string; replyToId?: string; from?: { id: string; name?: string }; text?: string;
  cards: object[]; createdAt: string; updatedAt?: string; version: number;
}
export interface State { fingerprint: string; bot: { id: string; name: string }; people: Person[]; channels: Channel[]; meetings: Meeting[]; activities: Activity[] }
export interface Conversation { id: string; name: string; description: string; kind: 'channel' | 'chat'; tabs: Channel['tabs'] }
