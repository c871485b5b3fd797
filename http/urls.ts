/**
 * Where people and Teams reach this app: settled once, when the server listens (PUBLIC_BASE_URL
 * in real mode, the listening address locally), and passed to whatever builds links.
 */
export interface Urls {
  /** The public base, without a trailing slash. */
  readonly base: string;
  /** The incident tab's page for one incident (channel tab, meeting tab, links on cards). */
  incidentTab(incidentId: string): string;
  /** The personal "Incident metrics" tab. */
  readonly metricsTab: string;
  /** The personal "My incidents" tab. */
  readonly myIncidentsTab: string;
}

export function appUrls(base: string): Urls {
  const clean = base.replace(/\/+$/, '');
  return {
    base: clean,
    incidentTab: (incidentId) => `${clean}/tab/incidents/${incidentId}`,
    metricsTab: `${clean}/tab/metrics`,
    myIncidentsTab: `${clean}/tab/mine`,
  };
}
