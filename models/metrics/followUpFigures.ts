/**
 * Follow-through figures from the post-mortems' action items: how many are done (completion
 * rate) and how long they took (median time to done), overall, by incident type and by team, and
 * the list of overdue ones. "Team" is the owning team the on-call contact directory gives the
 * incident's component (ONCALL_FILE `directory`); an incident whose component has none counts
 * under "(no team)". The overdue list is made fit for its reader by forViewer: a private incident
 * the reader may not see is named by its number only, without its title, item or owner.
 */
import { incidentLabel, type Incident } from '../incident/incident.js';
import { daysOverdue } from '../followThrough/nudgePlan.js';
import { nearestRank } from './metrics.js';

const DAY = 86_400_000;
export const NO_TEAM = '(no team)';
/** The overdue list is long enough to act on, short enough for a page; the total says how many there are. */
const OVERDUE_LIMIT = 200;

/** An action item as the metrics read it from the stored post-mortem (anything may be missing in old documents). */
export interface ItemFigures {
  readonly id?: unknown;
  readonly description?: unknown;
  readonly owner?: unknown;
  readonly due?: unknown;
  readonly done?: unknown;
  readonly addedAt?: unknown;
  readonly doneAt?: unknown;
}

export interface FollowUpStats {
  readonly items: number;
  readonly done: number;
  /** done ÷ items, 0–1 (two decimals); absent without items. */
  readonly completionRate?: number;
  /** Median of done − added over the done items that have both times, in days (one decimal). */
  readonly medianDaysToDone?: number;
  /** How many done items the median is over (done items from before the times were kept have none). */
  readonly timed: number;
}

export interface OverdueItem {
  readonly incidentId: string;
  readonly itemId: string;
  readonly item: string;
  readonly owner: string;
  readonly due: string;
  readonly daysOverdue: number;
}

/** An overdue item as one reader gets it: the incident's number, and its title when they may see it. */
export interface OverdueForViewer extends OverdueItem {
  readonly incident: string;
  readonly title?: string;
}

export interface FollowUpReport extends FollowUpStats {
  readonly byType: readonly ({ readonly type: string } & FollowUpStats)[];
  readonly byTeam: readonly ({ readonly team: string } & FollowUpStats)[];
  /** Most overdue first, at most 200; `overdueTotal` counts them all. */
  readonly overdue: readonly OverdueItem[];
  readonly overdueTotal: number;
}

class Tally {
  items = 0;
  done = 0;
  readonly days: number[] = [];
  add(item: ItemFigures): void {
    this.items++;
    if (item.done !== true) return;
    this.done++;
    const added = typeof item.addedAt === 'string' ? Date.parse(item.addedAt) : NaN;
    const finished = typeof item.doneAt === 'string' ? Date.parse(item.doneAt) : NaN;
    if (!Number.isNaN(added) && !Number.isNaN(finished) && finished >= added) this.days.push((finished - added) / DAY);
  }
  stats(): FollowUpStats {
    const median = nearestRank([...this.days].sort((a, b) => a - b), 0.5);
    return {
      items: this.items,
      done: this.done,
      ...(this.items > 0 ? { completionRate: Math.round((this.done / this.items) * 100) / 100 } : {}),
      ...(median === undefined ? {} : { medianDaysToDone: Math.round(median * 10) / 10 }),
      timed: this.days.length,
    };
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export class FollowUps {
  private readonly all = new Tally();
  private readonly types = new Map<string, Tally>();
  private readonly teams = new Map<string, Tally>();
  private readonly overdue: OverdueItem[] = [];

  /** `teamOf`: component (lower case) → owning team, from the contact directory. */
  constructor(private readonly now: Date, private readonly teamOf: Readonly<Record<string, string>> = {}) {}

  add(incidentId: string, type: string, component: string | null, items: readonly ItemFigures[]): void {
    const team = (component && this.teamOf[component.trim().toLowerCase()]) || NO_TEAM;
    const today = this.now.toISOString().slice(0, 10);
    items.forEach((item, n) => {
      this.all.add(item);
      (this.types.get(type) ?? this.types.set(type, new Tally()).get(type)!).add(item);
      (this.teams.get(team) ?? this.teams.set(team, new Tally()).get(team)!).add(item);
      const due = text(item.due);
      if (item.done !== true && /^\d{4}-\d{2}-\d{2}$/.test(due) && due < today) {
        this.overdue.push({ incidentId, itemId: text(item.id) || `action-${n + 1}`, item: text(item.description), owner: text(item.owner), due, daysOverdue: daysOverdue(due, this.now) });
      }
    });
  }

  report(): FollowUpReport {
    const most = (a: [string, Tally], b: [string, Tally]) => b[1].items - a[1].items || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    const overdue = [...this.overdue].sort((a, b) => b.daysOverdue - a.daysOverdue || a.incidentId.localeCompare(b.incidentId) || a.itemId.localeCompare(b.itemId));
    return {
      ...this.all.stats(),
      byType: [...this.types].sort(most).map(([type, t]) => ({ type, ...t.stats() })),
      byTeam: [...this.teams].sort(most).map(([team, t]) => ({ team, ...t.stats() })),
      overdue: overdue.slice(0, OVERDUE_LIMIT),
      overdueTotal: overdue.length,
    };
  }
}

/** The components' owning teams from a contact directory, as FollowUps reads them. */
export const teamsByComponent = (directory: readonly { readonly component: string; readonly team: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((directory ?? []).map((entry) => [entry.component.trim().toLowerCase(), entry.team]));

/**
 * The overdue list for one reader: each item with its incident's number, and the title when the
 * reader may see the incident; of a private incident they may not see, nothing but the number, the
 * due date and how late it is (the metrics carry no titles or people of those).
 */
export async function overdueForViewer(
  overdue: readonly OverdueItem[],
  find: (incidentId: string) => Promise<Incident | undefined>,
  canSee: (incident: Incident) => Promise<boolean>,
): Promise<OverdueForViewer[]> {
  const seen = new Map<string, Promise<{ label: string; title?: string; visible: boolean }>>();
  const look = (id: string) => {
    const known = seen.get(id);
    if (known) return known;
    const found = (async () => {
      const incident = await find(id);
      if (!incident) return { label: '(removed)', visible: false };
      const visible = await canSee(incident);
      return { label: `${incidentLabel(incident)}${incident.private ? ' (private)' : ''}`, ...(visible ? { title: incident.title } : {}), visible };
    })();
    seen.set(id, found);
    return found;
  };
  const result: OverdueForViewer[] = [];
  for (const item of overdue) {
    const { label, title, visible } = await look(item.incidentId);
    result.push(visible ? { ...item, incident: label, ...(title ? { title } : {}) } : { ...item, incident: label, item: '', owner: '' });
  }
  return result;
}
