import { LOCAL } from '../defaults.js';

/** The sample directory of the local Teams: who is in the incidents team. */
export interface FakePerson {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly email: string;
}

/** People from names (LOCAL_PEOPLE): ids from the first name, made unique; stable across restarts. */
export function peopleFrom(names: readonly string[]): FakePerson[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const base = name.split(' ')[0]!.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '') || 'person';
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}${n}`;
    used.add(slug);
    return { id: `29:${slug}`, aadObjectId: `00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}`, name, email: `${slug}@contoso.example` };
  });
}

export const SAMPLE_PEOPLE: readonly FakePerson[] = peopleFrom(LOCAL.people.split(',').map((n) => n.trim()));

/** What is wrong with a LOCAL_PEOPLE list, if anything: 1 to 100 plain, unique names (more than 60 models a large team: see autoRefresh.ts). */
export function peopleListProblems(names: readonly string[]): string[] {
  const problems: string[] = [];
  if (names.length === 0 || names.length > 100) problems.push('list 1 to 100 names, separated by commas');
  const bad = names.find((name) => !/^[\p{L}][\p{L} .'-]{0,63}$/u.test(name));
  if (bad) problems.push(`"${bad}" is not a plain name (letters, spaces, . ' -; at most 64)`);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) problems.push('names must be unique');
  return problems;
}
