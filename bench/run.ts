/** `npm run bench`: every benchmark, printing figures and ratios (no pass/fail thresholds). */
import { benchCardAction } from './card-action.js';
import { benchDeclare } from './declare.js';

if (!process.argv.includes("--only-card")) await benchDeclare();
await benchCardAction();
process.exit(0);
