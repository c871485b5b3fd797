/**
 * A message as Teams hands it to a message extension's action (`value.messagePayload` of
 * `composeExtension/fetchTask` and `submitAction`): Graph's chatMessage shape, its body as HTML,
 * written by a person (`from.user`, their Entra id) or by an app (`from.application`). Shape from
 * Microsoft Learn, "Create and send dialogs" (message extension action commands).
 */
import { TeamsWorld, type FakeActivity } from './teamsWorld.js';

const CARD = 'application/vnd.microsoft.card.adaptive';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Teams sends a message's text as HTML: paragraphs, line breaks, and mentions as `<at id="n">Name</at>`. */
function htmlOf(text: string): string {
  let n = 0;
  const paragraphs = text.split(/\n{2,}/).map((paragraph) =>
    escapeHtml(paragraph)
      .replace(/&lt;at&gt;(.*?)&lt;\/at&gt;/g, (_match, name: string) => `<at id="${n++}">${name}</at>`)
      .replace(/\n/g, '<br>'),
  );
  return paragraphs.map((p) => `<p>${p}</p>`).join('');
}

export function messagePayloadOf(world: TeamsWorld, activity: FakeActivity, bot: { readonly name: string }) {
  const person = activity.from && !activity.byBot && !activity.byApp ? world.person(activity.from.id) : undefined;
  const cards = (activity.attachments ?? []).filter((a) => a.contentType === CARD);
  // A card message's body is a placeholder per attachment; the card itself travels in `attachments`.
  const body = activity.deletedAt ? '' : activity.text ? htmlOf(activity.text) : cards.map((_card, i) => `<attachment id="${i}"></attachment>`).join('');
  const channel = TeamsWorld.channelOf(activity.conversationId);
  return {
    id: activity.id,
    replyToId: activity.replyToId ?? null,
    createdDateTime: activity.createdAt,
    lastModifiedDateTime: activity.updatedAt ?? null,
    deleted: activity.deletedAt !== undefined,
    messageType: 'message',
    importance: 'normal',
    locale: 'en-us',
    subject: null,
    summary: null,
    // Local Teams' own page for the message (Teams links to teams.microsoft.com/l/message/…).
    linkToMessage: `${world.viewBaseUrl}/view/channels/${encodeURIComponent(channel)}#m${activity.id}`,
    from: person
      ? { user: { id: person.aadObjectId, displayName: person.name, userIdentityType: 'aadUser' }, application: null, device: null, conversation: null }
      : { user: null, application: { id: activity.byApp ?? world.botAppId, displayName: activity.byApp ? 'another app' : bot.name, applicationIdentityType: 'bot' }, device: null, conversation: null },
    body: { contentType: 'html', content: body },
    attachments: cards.map((card, i) => ({ id: String(i), contentType: CARD, content: JSON.stringify(card.content), contentUrl: null, name: null, thumbnailUrl: null })),
    mentions: (activity.entities ?? [])
      .filter((e) => e.type === 'mention' && e.mentioned)
      .map((e, i) => {
        const { id, name } = e.mentioned!;
        const mentioned = id.startsWith('28:')
          ? { user: null, application: { id: world.botAppId, displayName: name, applicationIdentityType: 'bot' } }
          : { user: { id: world.person(id)?.aadObjectId ?? id, displayName: name, userIdentityType: 'aadUser' }, application: null };
        return { id: i, mentionText: name, mentioned };
      }),
    reactions: [],
  };
}
