/**
 * Incident channel names: a configurable pattern rendered from the incident, then made legal
 * for Teams. Rules from Teams' limits page: ≤ 50 characters; none of ~ # % & * { } + / \ : < > ? | ' " ,
 * no "..", no control characters, no reserved names, no leading "_" or "." and no trailing ".".
 */
export const MAX_CHANNEL_NAME = 50;
export const DEFAULT_CHANNEL_PATTERN = 'inc-{number}-{slug}';
const PLACEHOLDERS = ['number', 'slug', 'sev', 'dd', 'mm', 'yyyy'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const FORBIDDEN = /[~#%&*{}+/\\:<>?|'",\u0000-\u001f\u007f-\u009f]/g;
const RESERVED = /^(forms|con|conin\$|conout\$|prn|aux|nul|com[1-9]|lpt[1-9]|desktop\.ini|_vti_)$/i;

export interface ChannelNameInput {
  readonly number: number;
  readonly title: string;
  readonly severity: string;
  readonly declaredAt: Date;
}

/** Returns an error message for a pattern that cannot produce a unique, legal name. */
export function checkChannelPattern(pattern: string): string | undefined {
  const used = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const unknown = used.filter((name) => !PLACEHOLDERS.includes(name as Placeholder));
  if (unknown.length > 0) return `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;
  if (!used.includes('number')) return 'the pattern must contain {number}, or two incidents could want the same channel name';
  return undefined;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Strips what Teams forbids. Pure; used on the rendered name and on user-chosen text. */
export function sanitizeChannelName(name: string): string {
  let clean = name.replace(FORBIDDEN, '').replace(/\.{2,}/g, '.').replace(/\s+/g, ' ').trim();
  clean = clean.replace(/^[_.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED.test(clean)) clean = `${clean}-channel`;
  return clean;
}

/**
 * Renders the pattern. The slug is the part that gives way when the name is too long, so the
 * number (what makes the name unique) always survives. `attempt` > 1 appends `-N` for the rare
 * clash with an existing or recently deleted channel.
 */
export function channelName(pattern: string, input: ChannelNameInput, attempt = 1): string {
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const d = input.declaredAt;
  const values: Record<Placeholder, string> = {
    number: String(input.number),
    slug: '',
    sev: input.severity.toLowerCase(),
    dd: String(d.getUTCDate()).padStart(2, '0'),
    mm: String(d.getUTCMonth() + 1).padStart(2, '0'),
    yyyy: String(d.getUTCFullYear()),
  };
  const render = (slug: string) =>
    sanitizeChannelName(pattern.replace(/\{(\w+)\}/g, (_, key: Placeholder) => (key === 'slug' ? slug : values[key])));
  const withoutSlug = render('');
  const room = MAX_CHANNEL_NAME - withoutSlug.length - suffix.length;
  const slug = slugify(input.title).slice(0, Math.max(0, room)).replace(/-+$/, '');
  let name = render(slug).replace(/-{2,}/g, '-').replace(/-+$/, '');
  name = name.slice(0, MAX_CHANNEL_NAME - suffix.length).replace(/[-.\s]+$/, '');
  return name + suffix;
}
