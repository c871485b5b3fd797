/** The sample directory of the local Teams: who is in the incidents team. */
export interface FakePerson {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly email: string;
}

const person = (slug: string, name: string, n: number): FakePerson => ({
  id: `29:${slug}`,
  aadObjectId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  name,
  email: `${slug}@contoso.example`,
});

export const SAMPLE_PEOPLE: readonly FakePerson[] = [
  person('alex', 'Alex Wilber', 1),
  person('megan', 'Megan Bowen', 2),
  person('lee', 'Lee Gu', 3),
  person('adele', 'Adele Vance', 4),
  person('nestor', 'Nestor Wilke', 5),
];
