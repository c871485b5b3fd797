/**
 * A team holds at most 1,000 channels, counting those deleted in the last 30 days ("Limits and
 * specifications for Microsoft Teams"), and Graph lists only the live ones. Before each incident
 * channel is created the count is checked (cached for a few minutes, so a burst of declarations
 * costs one Graph call): at 80% everyone is warned, near the cap the channel is not attempted, and
 * the incident is still recorded and usable without it.
 */
import type { Clock } from '../ports/clock.js';
import type { Workspace } from '../ports/workspace.js';

export const TEAM_CHANNEL_LIMIT = 1000;
/** Warn from here on. */
export const WARN_AT = 0.8 * TEAM_CHANNEL_LIMIT;
/** Stop this short of the cap: channels deleted in the last 30 days count but cannot be seen. */
export const REFUSE_AT = TEAM_CHANNEL_LIMIT - 10;
const CACHE_MS = 5 * 60_000;

export type BudgetVerdict = { readonly count: number; readonly warning?: string } | { readonly count: number; readonly full: string };

const ADVICE = 'deleted channels keep counting for 30 days, so the lasting fix is a new incidents team (TEAMS_TEAM_ID) or fewer, longer-lived channels';

export class ChannelBudget {
  private known?: { count: number; until: number };

  constructor(private readonly deps: { readonly workspace: Pick<Workspace, 'countChannels'>; readonly clock: Clock }) {}

  async check(): Promise<BudgetVerdict> {
    const cached = this.cached();
    if (cached) return cached;
    const now = this.deps.clock.now().getTime();
    this.known = { count: await this.deps.workspace.countChannels(), until: now + CACHE_MS };
    return verdict(this.known.count);
  }

  /** The verdict from the count known, while it is fresh: no wait at all (the channel is the first call of a war room). */
  cached(): BudgetVerdict | undefined {
    return this.known && this.known.until > this.deps.clock.now().getTime() ? verdict(this.known.count) : undefined;
  }

  /** One more channel exists now (ours), without asking Graph again. */
  created(): void {
    if (this.known) this.known.count += 1;
  }
}

function verdict(count: number): BudgetVerdict {
  if (count >= REFUSE_AT) return { count, full: `the incidents team has ${count} of its ${TEAM_CHANNEL_LIMIT} channels; ${ADVICE}` };
  if (count >= WARN_AT) return { count, warning: `the incidents team has ${count} of its ${TEAM_CHANNEL_LIMIT} channels (${Math.round((count / TEAM_CHANNEL_LIMIT) * 100)}%); ${ADVICE}` };
  return { count };
}
