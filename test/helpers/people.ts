import type { Person } from '../../models/incident/incident.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';

/** The test people: the local incidents team's sample directory, and one person outside it. */
export const [ALEX, MEGAN, LEE] = SAMPLE_PEOPLE.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })) as [TestPerson, TestPerson, TestPerson];
export const OUTSIDER = { id: '29:mallory', name: 'Mallory', aadObjectId: '99999999-0000-0000-0000-000000000000' };
export type TestPerson = Person & { readonly aadObjectId: string };
