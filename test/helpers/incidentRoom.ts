import { randomUUID } from 'node:crypto';
import type { Incident } from '../../models/incident/incident.js';
import type { StartOptions } from '../../server.js';
import { cardAction, mentionOf, toBot } from '../../local/teamsActivities.js';
import { ALEX, LEE, MEGAN, OUTSIDER, type TestPerson as Person } from './people.js';
import { activity, provisioned, startTestApp, TENANT, type TestApp } from './testApp.js';

export { ALEX, LEE, MEGAN, OUTSIDER };

/** A test app with one declared, fully provisioned incident, and helpers to act in its channel. */
export interface IncidentRoom {
  readonly t: TestApp;
  incident(): Promise<Incident>;
  /** Clicks a card button in the incident channel; returns the invoke response body. */
  click(verb: string, data?: Record<string, unknown>, options?: { from?: Person; id?: string; v?: number; incidentId?: string; conversationId?: string }): Promise<any>;
  /** A dialog from the card: `task/fetch` (a button opening it) or `task/submit` (its button); returns the task module response. */
  dialog(invoke: 'task/fetch' | 'task/submit', data: Record<string, unknown>, options?: { from?: Person; id?: string }): Promise<any>;
  /** Types a command in the incident channel (or another conversation); returns the bot's reply. */
  say(text: string, options?: { from?: Person; conversationId?: string; mentions?: Person[]; id?: string }): Promise<{ text?: string; markdown?: string; card?: any }>;
  close(): Promise<void>;
}

export async function openIncidentRoom(settings: Record<string, string> = {}, title = 'Checkout API returns 500s --sev P2', options: StartOptions = {}): Promise<IncidentRoom> {
  const t = await startTestApp(settings, options);
  await t.message(`declare ${title}`, { from: ALEX });
  const [declared] = await provisioned(t);
  const post = (body: unknown) => fetch(`${t.app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const incident = async () => (await t.app.database.store.findById(declared!.id))!;
  const channelConversation = (i: Incident) => ({ id: `${i.channel!.id};messageid=${i.card!.activityId}`, tenantId: TENANT, conversationType: 'channel', isGroup: true });
  return {
    t,
    incident,
    async click(verb, data = {}, o = {}) {
      const current = await incident();
      const response = await post(
        activity(t.app, t.local, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: o.id ?? randomUUID(),
          from: o.from ?? ALEX,
          replyToId: current.card!.activityId,
          conversation: o.conversationId ? { id: o.conversationId, tenantId: TENANT, conversationType: 'channel' } : channelConversation(current),
          value: cardAction(verb, { incidentId: o.incidentId ?? current.id, v: o.v ?? current.version, ...data }),
        }),
      );
      if (response.status !== 200) throw new Error(`invoke answered HTTP ${response.status}: ${await response.text()}`);
      const body = await response.json();
      await t.app.actions.drain(); // the timeline copy and everyone's card refresh follow the response
      return body;
    },
    async dialog(invoke, data, o = {}) {
      const current = await incident();
      const response = await post(
        activity(t.app, t.local, {
          type: 'invoke',
          name: invoke,
          id: o.id ?? randomUUID(),
          from: o.from ?? ALEX,
          replyToId: current.card!.activityId,
          conversation: channelConversation(current),
          value: { data, context: { theme: 'default' } },
        }),
      );
      if (response.status !== 200) throw new Error(`${invoke} answered HTTP ${response.status}: ${await response.text()}`);
      const body = await response.json();
      await t.app.actions.drain();
      return body;
    },
    async say(text, o = {}) {
      const current = await incident();
      const conversationId = o.conversationId ?? `${current.channel!.id};messageid=${randomUUID()}`;
      const before = t.local.world.activities.length;
      const addressed = toBot(`${text}${(o.mentions ?? []).map((p) => ` <at>${p.name}</at>`).join('')}`);
      const response = await post(
        activity(t.app, t.local, {
          type: 'message',
          id: o.id ?? randomUUID(),
          from: o.from ?? ALEX,
          conversation: { id: conversationId, tenantId: TENANT, conversationType: conversationId.startsWith('a:') ? 'personal' : 'channel' },
          text: addressed.text,
          entities: [...addressed.entities, ...(o.mentions ?? []).map(mentionOf)],
        }),
      );
      if (response.status !== 200) throw new Error(`message answered HTTP ${response.status}`);
      await t.app.actions.drain();
      const since = t.local.world.activities.slice(before);
      const reply = since.find((a) => a.conversationId === conversationId);
      if (!reply) {
        // A change announced in the incident channel gets no reply there: the announcement is the answer.
        const channelId = current.channel?.id;
        const announced = channelId ? since.find((a) => a.byBot && a.conversationId.split(';')[0] === channelId && !a.replyToId) : undefined;
        if (announced) {
          return { text: cardText(announced.attachments ?? []), markdown: JSON.stringify(announced.attachments ?? []), card: announced.attachments?.[0]?.content, announced: true };
        }
      }
      // The text as read (escapes resolved); `markdown` is what went over the wire.
      return { text: reply?.text === undefined ? undefined : asRead(reply.text), markdown: reply?.text, card: reply?.attachments?.[0]?.content };
    },
    close: () => t.close(),
  };
}

/**
 * Bot Markdown as a person reads it: the backslash escapes that keep people's words literal
 * (models/support/markdown.ts) resolved, as CommonMark does for any ASCII punctuation.
 */
export function asRead(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const shownDeep = (value: unknown): unknown =>
  typeof value === 'string' ? asRead(value) : Array.isArray(value) ? value.map(shownDeep) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shownDeep(v)])) : value;

/** All text of a card (or invoke response), for assertions that read like what a person sees. */
export function cardText(value: unknown): string {
  return JSON.stringify(shownDeep(value ?? ''));
}
