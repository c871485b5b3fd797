/** `npm run bench`: every benchmark, printing figures and ratios (no pass/fail thresholds). */
import { benchDeclare } from './declare.js';

await benchDeclare();
process.exit(0);
