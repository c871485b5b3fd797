/**
 * `action <text> @owner due:<date>` in the incident channel: a new post-mortem action item,
 * saved as a version of the post-mortem credited to the person (the tracker sync follows, as for
 * a save from the tab). Bad input is answered with what was typed and what to type instead.
 */
import type { Incident, Person } from '../incident/incident.js';
import { incidentLabel } from '../incident/incident.js';
import type { Postmortems } from '../postmortem/postmortems.js';
import { deterministicId } from '../support/ids.js';

export interface ActionItemInput {
  readonly description: string;
  readonly owner: string;
  /** The @mentioned owner's Entra object id: they are nudged (a name typed as @word has none). */
  readonly ownerId?: string;
  readonly due: string;
}

export const ACTION_USAGE = 'action <what to do> @owner due:YYYY-MM-DD';

/** `mentioned`: the people @mentioned in the message (Teams sends them as <at>Name</at> in the text). */
export function parseActionItem(typed: string, mentioned: readonly Person[]): ActionItemInput | { problem: string } {
  const echo = `“${typed.slice(0, 200)}”`;
  let rest = typed;
  const dueWord = /\bdue:\s*(\S*)/i.exec(rest);
  let due = '';
  if (dueWord) {
    due = dueWord[1] ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || Number.isNaN(Date.parse(due))) return { problem: `The due date in ${echo} is not a date: write it as due:2026-12-01 (year-month-day). Nothing was added.` };
    rest = rest.replace(dueWord[0], ' ');
  }
  const atMention = /<at>([^<]*)<\/at>/.exec(rest);
  const atWord = /(?:^|\s)@([^\s@]+)/.exec(rest);
  const person = atMention ? mentioned.find((p) => p.name === atMention[1]) : undefined;
  const owner = atMention ? (person?.name ?? atMention[1]!) : atWord ? atWord[1]! : '';
  const ownerId = person?.aadObjectId && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(person.aadObjectId) ? person.aadObjectId : undefined;
  rest = rest.replace(/<at>[^<]*<\/at>/g, ' ').replace(/(?:^|\s)@[^\s@]+/g, ' ');
  const description = rest.replace(/\s+/g, ' ').trim();
  if (!description) return { problem: `${echo} says no action: write what is to be done, e.g. \`${ACTION_USAGE}\`. Nothing was added.` };
  if (description.length > 500) return { problem: `The action in ${echo} is ${description.length} characters; keep it to 500 (details go in the tracker). Nothing was added.` };
  if (owner.length > 120) return { problem: `The owner in ${echo} is longer than 120 characters. Nothing was added.` };
  return { description, owner, ...(ownerId ? { ownerId } : {}), due };
}

/** Adds the item on top of the latest version (or the pre-filled draft); a save in between is no conflict for an addition. */
export async function addActionItem(postmortems: Pick<Postmortems, 'view' | 'save'>, incident: Incident, by: Person, item: ActionItemInput, key: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const view = await postmortems.view(incident);
    const id = `action-${deterministicId('chat-action', key).slice(0, 12)}`;
    const already = view.content.actionItems.some((a) => a.id === id);
    const content = already ? view.content : { ...view.content, actionItems: [...view.content.actionItems, { id, ...item, kind: 'proper fix' as const, link: '', done: false }] };
    const saved = await postmortems.save(incident, { by, baseVersion: view.version, key, content });
    if (saved.outcome === 'conflict') continue;
    if (saved.outcome === 'invalid') return `The action item was not added: ${saved.problems.map((p) => `${p.path} ${p.message}`).join('; ')}.`;
    if (saved.outcome === 'refused') return `The action item was not added: ${saved.message}`;
    const details = [item.owner && `owner ${item.owner}`, item.due && `due ${item.due}`].filter(Boolean).join(', ');
    return `Added the action item “${item.description}”${details ? ` (${details})` : ''} to the ${incidentLabel(incident)} post-mortem (version ${saved.view.version}).`;
  }
  return 'The post-mortem kept changing while adding the action item; nothing was added. Try again.';
}
