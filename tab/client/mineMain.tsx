/** Boots the "My incidents" page (the personal static tab, and /tab/mine in a browser). */
import { bootStaticPage } from './staticPage.js';
import { MyIncidents } from './MyIncidents.js';

void bootStaticPage((host) => <MyIncidents host={host} />, 'Your incidents are shown for your Teams account, so this page only opens inside Teams (or in local mode).');
