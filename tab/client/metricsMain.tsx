/** Boots the metrics page (the static "Incident metrics" tab, and /tab/metrics in a browser). */
import { bootStaticPage } from './staticPage.js';
import { Metrics } from './Metrics.js';

// Charts read their colours from the theme, so a theme change renders them again.
void bootStaticPage((host) => <Metrics host={host} theme={document.documentElement.dataset.theme ?? 'default'} />, 'The metrics page', true);
