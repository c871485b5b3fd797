/**
 * When Teams refreshes an Adaptive Card by itself for the person looking at it (Universal Actions,
 * "Work with Universal Actions for Adaptive Cards" and "User Specific Views"): the card must carry
 * `refresh.action` (an Action.Execute); with `refresh.userIds`, only the people listed (at most 60
 * MRIs) get an automatic refresh, and an empty list means manual refresh only; without `userIds`,
 * everyone does, but only in conversations of 60 members or fewer. Everyone else sees the card as
 * it was posted, so it must be right for them too.
 */
export const AUTO_REFRESH_MAX_MEMBERS = 60;

export interface RefreshRequest {
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

export function automaticRefresh(card: unknown, viewerId: string, conversationMembers: number): RefreshRequest | undefined {
  const refresh = (card as { refresh?: { action?: { type?: unknown; verb?: unknown; data?: unknown }; userIds?: unknown } } | null)?.refresh;
  const action = refresh?.action;
  if (!action || action.type !== 'Action.Execute' || typeof action.verb !== 'string') return undefined;
  const listed = Array.isArray(refresh.userIds) ? refresh.userIds.includes(viewerId) : conversationMembers <= AUTO_REFRESH_MAX_MEMBERS;
  if (!listed) return undefined;
  return { verb: action.verb, data: typeof action.data === 'object' && action.data ? (action.data as Record<string, unknown>) : {} };
}
