/** `npm run bench`: every benchmark, printing figures and ratios (no pass/fail thresholds). Flags pick one: --only-card, --only-timeline, --only-alerts. */
import { benchCardAction } from './card-action.js';
import { benchDeclare } from './declare.js';
import { benchTimeline } from './timeline.js';
import { benchAlertStorm } from './alert-storm.js';

const only = process.argv.find((a) => a.startsWith('--only-'))?.slice('--only-'.length);
if (!only) await benchDeclare();
if (!only || only === 'card') await benchCardAction();
if (!only || only === 'timeline') await benchTimeline();
if (!only || only === 'alerts') await benchAlertStorm();
process.exit(0);
