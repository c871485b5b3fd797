/**
 * The sandbox acts as anyone in the local team with no sign-in, so only its own page may drive
 * it. Two checks, on every request that changes something and on the state it reads:
 *
 * - Host: the request must name the address the app listens on (a loopback name at its port, or
 *   PUBLIC_BASE_URL's host). A DNS-rebinding page (evil.example re-pointed at 127.0.0.1) reaches
 *   the port with its own name in Host, so it is refused even though the browser thinks it is
 *   same-origin.
 * - Origin: a browser names the page a POST comes from; one from another site (a cross-site form
 *   or fetch) is refused. No Origin at all is a client that is not a browser (curl, the tests),
 *   which no web page can make a visitor's browser be.
 */
import type { Request } from 'restify';

/** The origins the sandbox page is served from: this app's address under each loopback name, and the public base when it differs. */
export function sandboxOrigins(appUrl: string, publicBase: string): readonly string[] {
  const { port } = new URL(appUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].map((name) => `http://${name}${port ? `:${port}` : ''}`);
  return [...new Set([...loopback, new URL(appUrl).origin, new URL(publicBase).origin])];
}

/** Why this request is not from the sandbox's own page, or undefined when it is. */
export function foreignRequest(req: Request, origins: readonly string[]): string | undefined {
  const hosts = new Set(origins.map((origin) => new URL(origin).host));
  const host = (req.headers.host ?? '').toLowerCase();
  const where = origins[0];
  if (!hosts.has(host)) {
    return `Refused: this request names host ${JSON.stringify(host.slice(0, 100))}, not this app's address. The sandbox answers only at ${where}/ (a page on another name pointed at this machine, DNS rebinding, cannot drive it). Opening it under another name? Set PUBLIC_BASE_URL to that address.`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
    return `Refused: this request comes from another site (Origin ${JSON.stringify(origin.slice(0, 100))}). Only the sandbox's own page at ${where}/ may act in it.`;
  }
  return undefined;
}
