/**
 * Two people edited the post-mortem from the same version and the other saved first. This works
 * out, section by section, what each of them changed since that common version: a section only
 * they changed comes from theirs, one only I changed stays mine, and one we both changed
 * differently is a conflict the person resolves — keep theirs, keep mine, or (for texts and
 * lists) keep both. Lists merge item by item by identity, never by position.
 *
 * Pure and dependency-free: the server plans the merge, the tab applies the person's choices.
 */
import type { PostmortemContent } from './postmortem.js';
import { SECTIONS, type PostmortemField, type SectionKind } from './sections.js';

export type MergeChoice = 'theirs' | 'mine' | 'both';
export type ChangedBy = 'nobody' | 'them' | 'me' | 'both';

export interface SectionMerge {
  readonly field: PostmortemField;
  readonly label: string;
  readonly kind: SectionKind;
  /** Who changed it since the version both started from (everything differing counts as both when that version is unknown). */
  readonly changedBy: ChangedBy;
  /** Both changed it, differently: the person has to choose. */
  readonly conflict: boolean;
  /** What the section becomes with no choice made (for a conflict: theirs until the person chooses). */
  readonly merged: unknown;
  /** For a conflict: what each choice gives; `both` only for texts and lists. */
  readonly options?: { readonly theirs: unknown; readonly mine: unknown; readonly both?: unknown };
}

export interface MergePlan {
  /** Every section, in form order. */
  readonly sections: readonly SectionMerge[];
}

type Item = { readonly id?: string };
type Times = PostmortemContent['times'];

/** Equal as data: key order does not matter (what the tab sends and what the store gives back differ in it). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, n) => sameValue(x, b[n]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k] ?? null, (b as Record<string, unknown>)[k] ?? null));
}

function whoChanged(base: unknown, theirs: unknown, mine: unknown, known: boolean): ChangedBy {
  if (!known) return sameValue(theirs, mine) ? 'nobody' : 'both';
  const them = !sameValue(base, theirs);
  const me = !sameValue(base, mine);
  return them && me ? 'both' : them ? 'them' : me ? 'me' : 'nobody';
}

/** Both texts: theirs, then the lines of mine that theirs does not have. */
export function bothTexts(theirs: string, mine: string): string {
  if (!theirs.trim()) return mine;
  if (!mine.trim()) return theirs;
  const have = new Set(theirs.split('\n').map((line) => line.trim()).filter(Boolean));
  const extra = mine.split('\n').filter((line) => line.trim() && !have.has(line.trim()));
  return extra.length === 0 ? theirs : `${theirs.trimEnd()}\n${extra.join('\n')}`;
}

/**
 * Both lists, by identity: everything either of us added; an item one of us changed in its
 * changed form; an item one of us removed stays removed unless the other changed it; an item we
 * both changed differently twice (theirs, then mine under a new identity). Theirs set the order;
 * my additions follow the item they follow in my list, after what they added there.
 */
export function bothLists<T extends Item>(base: readonly T[] | undefined, theirs: readonly T[], mine: readonly T[]): T[] {
  const ids = (list: readonly T[]) => new Map(list.map((item) => [item.id ?? '', item]));
  const before = ids(base ?? []);
  const mineById = ids(mine);
  const theirIds = new Set(theirs.map((item) => item.id ?? ''));
  const used = new Set([...theirIds, ...mineById.keys()]);
  const fresh = (id: string) => {
    let candidate = `${id}-mine`;
    for (let k = 2; used.has(candidate); k++) candidate = `${id}-mine-${k}`;
    used.add(candidate);
    return candidate;
  };
  const out: T[] = [];
  for (const item of theirs) {
    const id = item.id ?? '';
    const was = before.get(id);
    const mineNow = mineById.get(id);
    if (!mineNow) {
      // Gone from mine: removed by me if I had it before and they left it as it was.
      if (!(was && sameValue(was, item))) out.push(item);
    } else if (sameValue(item, mineNow) || (was && sameValue(was, mineNow))) out.push(item);
    else if (was && sameValue(was, item)) out.push(mineNow);
    else out.push(item, { ...mineNow, id: fresh(id) });
  }
  mine.forEach((item, n) => {
    const id = item.id ?? '';
    if (theirIds.has(id)) return;
    const was = before.get(id);
    if (was && sameValue(was, item)) return; // they removed it and I left it as it was
    const after = mine.slice(0, n).reverse().find((earlier) => out.some((o) => o.id === earlier.id));
    let at = after ? out.findIndex((o) => o.id === after.id) + 1 : out.length;
    // Past what they added there (and the twin of an item we both changed): theirs first, then mine.
    while (at < out.length && !mineById.has(out[at]!.id ?? '')) at++;
    out.splice(at, 0, item);
  });
  return out;
}

/** The times, one by one: each comes from whoever changed it; those both set differently are the conflict. */
function mergeTimes(base: Times | undefined, theirs: Times, mine: Times): { merged: Times; conflicting: (keyof Times)[] } {
  const merged = { ...theirs };
  const conflicting: (keyof Times)[] = [];
  for (const key of Object.keys(theirs) as (keyof Times)[]) {
    const changedBy = whoChanged(base?.[key], theirs[key], mine[key], base !== undefined);
    if (changedBy === 'me') merged[key] = mine[key];
    if (changedBy === 'both' && !sameValue(theirs[key], mine[key])) conflicting.push(key);
  }
  return { merged, conflicting };
}

function section(field: PostmortemField, base: PostmortemContent | undefined, theirs: PostmortemContent, mine: PostmortemContent): Omit<SectionMerge, 'label' | 'kind'> {
  const kind = SECTIONS.find((s) => s.field === field)!.kind;
  if (kind === 'times') {
    const { merged, conflicting } = mergeTimes(base?.times, theirs.times, mine.times);
    const changedBy = whoChanged(base?.times, theirs.times, mine.times, base !== undefined);
    if (conflicting.length === 0) return { field, changedBy, conflict: false, merged };
    const pick = (from: Times) => ({ ...merged, ...Object.fromEntries(conflicting.map((key) => [key, from[key]])) });
    return { field, changedBy, conflict: true, merged, options: { theirs: pick(theirs.times), mine: pick(mine.times) } };
  }
  const [was, their, my] = [base?.[field], theirs[field], mine[field]];
  const changedBy = whoChanged(was, their, my, base !== undefined);
  if (changedBy !== 'both' || sameValue(their, my)) return { field, changedBy, conflict: false, merged: changedBy === 'me' ? my : their };
  const both =
    kind === 'text' ? bothTexts(their as string, my as string)
    : kind === 'list' ? bothLists(was as Item[] | undefined, their as Item[], my as Item[])
    : undefined;
  return { field, changedBy, conflict: true, merged: their, options: { theirs: their, mine: my, ...(both === undefined ? {} : { both }) } };
}

/**
 * The merge of `mine` onto `theirs`, from `base`, the version both started from (undefined when
 * it is not known, e.g. both started from an unsaved draft: then every difference is a conflict).
 */
export function planMerge(base: PostmortemContent | undefined, theirs: PostmortemContent, mine: PostmortemContent): MergePlan {
  return { sections: SECTIONS.map(({ field, label, kind }) => ({ label, kind, ...section(field, base, theirs, mine) })) };
}

export function conflictsOf(plan: MergePlan): SectionMerge[] {
  return plan.sections.filter((s) => s.conflict);
}

/** The merged post-mortem with the person's choices, or the conflicts still to decide. */
export function applyChoices(plan: MergePlan, choices: Partial<Record<PostmortemField, MergeChoice>>): { content: PostmortemContent } | { undecided: string[] } {
  const undecided = plan.sections.filter((s) => s.conflict && (!choices[s.field] || (choices[s.field] === 'both' && s.options?.both === undefined)));
  if (undecided.length > 0) return { undecided: undecided.map((s) => s.label) };
  const content = Object.fromEntries(plan.sections.map((s) => [s.field, s.conflict ? s.options![choices[s.field]!] : s.merged]));
  return { content: content as PostmortemContent };
}
