import { escapeHtml } from '../../models/support/html.js';
import { TeamsWorld, type FakeActivity, type FakeChannel, type FakeMeeting } from './teamsWorld.js';

/**
 * Plain pages that show what the local "Teams" received, so a person can look at the war room
 * without a tenant. Escaped throughout: card text is user input.
 */
const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem;color:#242424}a{color:#5b5fc7}.banner{background:#fff4ce;padding:.5rem 1rem;border-radius:4px}
.msg{border:1px solid #ddd;border-radius:6px;padding:.75rem;margin:.75rem 0}.reply{margin-left:2rem;border-left:3px solid #c7c8f0}
pre{white-space:pre-wrap;font-size:12px;background:#f5f5f5;padding:.5rem}small{color:#616161}</style></head>
<body><p class="banner">Local simulation of Microsoft Teams (incident-room local mode). Nothing here reaches a real tenant.</p>${body}</body></html>`;

/** The visible text of an Adaptive Card, for a quick read without a renderer. */
function cardText(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') texts.push(element.text);
    if (element.type === 'Fact' || ('title' in element && 'value' in element && typeof element.value === 'string')) texts.push(`${element.title}: ${element.value}`);
    for (const value of Object.values(element)) if (typeof value === 'object') walk(value);
  };
  walk(card);
  return texts;
}

function renderActivity(activity: FakeActivity, reply = false): string {
  const cards = (activity.attachments ?? []).map(
    (a) => `<ul>${cardText(a.content).map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul><details><summary>card JSON</summary><pre>${escapeHtml(JSON.stringify(a.content, null, 2))}</pre></details>`,
  );
  const edited = activity.updatedAt ? ` · edited (v${activity.version})` : '';
  return `<div class="msg${reply ? ' reply' : ''}" id="m${escapeHtml(activity.id)}"><small>${escapeHtml(activity.createdAt)}${edited}</small>
${activity.text ? `<p>${escapeHtml(activity.text)}</p>` : ''}${cards.join('')}</div>`;
}

export function renderHomePage(world: TeamsWorld): string {
  const channels = world.liveChannels().map((c) => `<li><a href="/view/channels/${encodeURIComponent(c.id)}">${escapeHtml(c.displayName)}</a> <small>${c.tabs.length} tab(s)</small></li>`);
  const meetings = [...world.meetings.values()].map((m) => `<li><a href="/view/meetings/${encodeURIComponent(m.id)}">${escapeHtml(m.subject)}</a></li>`);
  const others = [...new Set(world.activities.map((a) => TeamsWorld.channelOf(a.conversationId)))].filter((id) => !world.channels.has(id));
  return page(
    'Local Teams',
    `<h1>Incidents team <small>(${escapeHtml(world.teamId)})</small></h1><h2>Channels</h2><ul>${channels.join('')}</ul>
<h2>Meetings</h2><ul>${meetings.join('') || '<li>none yet</li>'}</ul>
<h2>Other conversations</h2><ul>${others.map((id) => `<li><a href="/view/channels/${encodeURIComponent(id)}">${escapeHtml(id)}</a></li>`).join('') || '<li>none yet</li>'}</ul>`,
  );
}

export function renderChannelPage(world: TeamsWorld, channel: FakeChannel): string {
  const activities = world.activitiesIn(channel.id);
  const roots = activities.filter((a) => !a.replyToId);
  const threads = roots.map((root) => renderActivity(root) + activities.filter((a) => a.replyToId === root.id).map((a) => renderActivity(a, true)).join(''));
  const tabs = channel.tabs.map((t) => `<a href="${escapeHtml(t.webUrl)}">${escapeHtml(t.displayName)} tab</a>`).join(' · ');
  return page(channel.displayName, `<p><a href="/">← team</a></p><h1># ${escapeHtml(channel.displayName)}</h1><p>${escapeHtml(channel.description ?? '')}</p><p>${tabs}</p>${threads.join('') || '<p>No messages yet.</p>'}`);
}

export function renderMeetingPage(meeting: FakeMeeting, you?: string): string {
  const joined = meeting.joined.map((name) => `<li>${escapeHtml(name)}${name === you ? ' (you)' : ''}</li>`).join('') || '<li>nobody yet</li>';
  return page(
    meeting.subject,
    `<p><a href="/">← team</a></p><h1>${escapeHtml(meeting.subject)}</h1><p>A local placeholder for the Teams meeting (${escapeHtml(meeting.via)}), ${escapeHtml(meeting.startDateTime)} – ${escapeHtml(meeting.endDateTime)}.</p>
${you ? `<p>You joined as <strong>${escapeHtml(you)}</strong>.</p>` : ''}<h2>On the bridge</h2><ul id="joined">${joined}</ul>
<form method="post" action="/view/meetings/${encodeURIComponent(meeting.id)}/end"><button type="submit">End the meeting for everyone</button></form>`,
  );
}
