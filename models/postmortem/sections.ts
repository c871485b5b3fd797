/**
 * The post-mortem's sections as people see them in the form: their names and what kind of value
 * each holds. Shared by the server (conflict answers, blameless warnings) and the tab, so both
 * name a section the same way; no runtime dependencies, so the tab bundle stays small.
 */

export type PostmortemField =
  | 'description' | 'times' | 'manifestation' | 'affected' | 'impact' | 'timeline'
  | 'rootCauses' | 'wentWell' | 'wentBadly' | 'actionItems' | 'fixWindowHours';

/** text: free text · list: items with an identity · times: several times merged one by one · choice: one value. */
export type SectionKind = 'text' | 'list' | 'times' | 'choice';

/** Form order, with the form's own labels. */
export const SECTIONS: readonly { readonly field: PostmortemField; readonly label: string; readonly kind: SectionKind }[] = [
  { field: 'times', label: 'Times', kind: 'times' },
  { field: 'description', label: 'What happened', kind: 'text' },
  { field: 'manifestation', label: 'How it showed itself', kind: 'text' },
  { field: 'affected', label: 'Who was affected', kind: 'text' },
  { field: 'impact', label: 'Impact', kind: 'text' },
  { field: 'timeline', label: 'Timeline', kind: 'text' },
  { field: 'wentWell', label: 'What went well', kind: 'text' },
  { field: 'wentBadly', label: 'What went badly', kind: 'text' },
  { field: 'rootCauses', label: 'Contributing causes', kind: 'list' },
  { field: 'actionItems', label: 'Action items', kind: 'list' },
  { field: 'fixWindowHours', label: 'Proper-fix window', kind: 'choice' },
];

export const POSTMORTEM_SECTIONS = Object.fromEntries(SECTIONS.map((s) => [s.field, s.label])) as Readonly<Record<PostmortemField, string>>;

const ITEM_NAMES: Readonly<Record<string, string>> = { rootCauses: 'Contributing cause', actionItems: 'Action item' };

/** Where a path like `rootCauses.1` or `wentBadly` is, in the form's words: "Contributing cause 2", "What went badly". */
export function whereIs(path: string): string {
  const [field, index] = path.split('.');
  const item = field ? ITEM_NAMES[field] : undefined;
  if (item && index !== undefined && /^\d+$/.test(index)) return `${item} ${Number(index) + 1}`;
  return POSTMORTEM_SECTIONS[field as PostmortemField] ?? path;
}
