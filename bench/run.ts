/** `npm run bench`: every benchmark, printing figures and ratios (no pass/fail thresholds). Flags pick one: --only-declare, --only-card, --only-timeline, --only-alerts, --only-metrics, --only-search, --only-soak. */
import { benchCardAction } from './card-action.js';
import { benchDeclare } from './declare.js';
import { benchTimeline } from './timeline.js';
import { benchAlertStorm } from './alert-storm.js';
import { benchMetrics } from './metrics.js';
import { benchSoak } from './soak.js';
import { benchSearch } from './search.js';

const only = process.argv.find((a) => a.startsWith('--only-'))?.slice('--only-'.length);
if (!only || only === 'declare') await benchDeclare();
if (!only || only === 'card') await benchCardAction();
if (!only || only === 'timeline') await benchTimeline();
if (!only || only === 'alerts') await benchAlertStorm();
if (!only || only === 'metrics') await benchMetrics();
if (!only || only === 'search') await benchSearch();
if (!only || only === 'soak') await benchSoak();
process.exit(0);
