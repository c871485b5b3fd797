/**
 * WebVTT as Graph's "Get callTranscript" content returns it (`text/vtt`, the default): a
 * `WEBVTT` header, then cues of `HH:MM:SS.mmm --> HH:MM:SS.mmm` followed by the words, with the
 * speaker in a voice tag (`<v Name>words</v>`). Cue identifiers, NOTE blocks and styling are
 * skipped; a cue without a voice tag has no speaker. Bad cues are dropped, never the whole file.
 */

export interface VttCue {
  /** Offsets from the start of the recording, in milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
  readonly speaker?: string;
  readonly text: string;
}

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;

/** `HH:MM:SS.mmm` or `MM:SS.mmm` → milliseconds. */
export function vttTime(value: string): number {
  const [clock, fraction = '0'] = value.split(/[.,]/);
  const parts = clock!.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  const [h, m, s] = parts as [number, number, number];
  return ((h * 60 + m) * 60 + s) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': ' ', '&lrm;': '', '&rlm;': '' };

/** The cue's words without tags, and the first voice tag's name. */
function cueText(lines: readonly string[]): { speaker?: string; text: string } {
  const raw = lines.join('\n');
  const voice = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(raw);
  const decode = (value: string) => value.replace(/&(?:amp|lt|gt|nbsp|lrm|rlm);/g, (entity) => ENTITIES[entity] ?? entity);
  const text = decode(raw.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
  const speaker = voice?.[1] && decode(voice[1]).trim();
  return speaker ? { speaker, text } : { text };
}

export function parseVtt(content: string): VttCue[] {
  const blocks = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const cues: VttCue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((line) => line.length > 0);
    const timingAt = lines.findIndex((line) => TIMING.test(line));
    // The header, NOTE, STYLE and REGION blocks carry no timing line.
    if (timingAt < 0) continue;
    const [, start, end] = TIMING.exec(lines[timingAt]!)!;
    const { speaker, text } = cueText(lines.slice(timingAt + 1));
    if (!text) continue;
    const startMs = vttTime(start!);
    const endMs = Math.max(startMs, vttTime(end!));
    cues.push(speaker ? { startMs, endMs, speaker, text } : { startMs, endMs, text });
  }
  return cues.sort((a, b) => a.startMs - b.startMs);
}

/** A VTT file from lines (the local world's transcripts, and tests). */
export function formatVtt(cues: readonly VttCue[]): string {
  const time = (ms: number) => {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor(ms / 60_000) % 60;
    const s = Math.floor(ms / 1000) % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
  };
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return ['WEBVTT', ...cues.map((c, i) => `${i + 1}\n${time(c.startMs)} --> ${time(c.endMs)}\n${c.speaker ? `<v ${escape(c.speaker)}>${escape(c.text)}</v>` : escape(c.text)}`)].join('\n\n') + '\n';
}
