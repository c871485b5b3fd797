/** Boots the "My incidents" page (the personal static tab, and /tab/mine in a browser). */
import { bootStaticPage } from './staticPage.js';
import { MyIncidents } from './MyIncidents.js';

void bootStaticPage((host) => <MyIncidents host={host} />, 'The list of your incidents');
