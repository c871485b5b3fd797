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
