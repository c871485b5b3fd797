import { expect } from 'chai';
import { formatVtt, parseVtt, vttTime } from '../../models/record/vtt.js';

describe('WebVTT transcripts (Get callTranscript content, text/vtt)', () => {
  it('reads cue times, the <v Speaker> voice tag and the words', () => {
    const vtt = 'WEBVTT\r\n\r\n0f3b2c1e-1\r\n00:00:03.120 --> 00:00:05.900\r\n<v Megan Bowen>The error rate is climbing.</v>\r\n\r\n00:01:02.5 --> 00:01:04.000\r\n<v.loud Lee Gu>Rolling back &amp; watching.</v>\r\n';
    expect(parseVtt(vtt)).to.deep.equal([
      { startMs: 3120, endMs: 5900, speaker: 'Megan Bowen', text: 'The error rate is climbing.' },
      { startMs: 62500, endMs: 64000, speaker: 'Lee Gu', text: 'Rolling back & watching.' },
    ]);
  });

  it('skips the header, NOTE blocks and empty cues; a cue without a voice tag has no speaker; bad timings are dropped, not the file', () => {
    const vtt = 'WEBVTT - meeting\n\nNOTE written by Teams\n\n00:00:01.000 --> 00:00:02.000\nno speaker here\n\n00:00:03.000 --> 00:00:04.000\n\n\n00:0x:03.000 --> later\n<v A>broken</v>\n\n1:02:03.004 --> 1:02:04.000\n<v A>multi\nline</v>';
    expect(parseVtt(vtt)).to.deep.equal([
      { startMs: 1000, endMs: 2000, text: 'no speaker here' },
      { startMs: 3_723_004, endMs: 3_724_000, speaker: 'A', text: 'multi line' },
    ]);
  });

  it('parses hours and minute-only times', () => {
    expect(vttTime('01:00:00.001')).to.equal(3_600_001);
    expect(vttTime('02:03.4')).to.equal(123_400);
  });

  it('writes what it reads (the local world’s transcripts)', () => {
    const cues = [{ startMs: 1500, endMs: 4000, speaker: 'Alex <ops>', text: 'a < b & c' }, { startMs: 3_600_000, endMs: 3_601_000, text: 'later' }];
    expect(parseVtt(formatVtt(cues))).to.deep.equal(cues);
  });
});
