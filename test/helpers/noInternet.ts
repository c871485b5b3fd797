/**
 * Preloaded (`--import`) into an app process that must talk only to local servers: every DNS
 * lookup of a name other than localhost (IP addresses need none) is refused with ENOTFOUND, as for
 * a name that does not exist, and reported on stderr. A request meant for a real host, Microsoft's
 * or anyone's, then fails at once and is named, instead of leaving the machine or hanging.
 */
import dns from 'node:dns';
import { isIP } from 'node:net';

/** The line's start, which test/helpers/realModeProcess.ts looks for (not imported there: importing this file installs the guard). */
const REFUSED_LOOKUP = 'no-internet: refused a DNS lookup of ';
const local = (hostname: string) => isIP(hostname) !== 0 || hostname.toLowerCase() === 'localhost';

function refusal(hostname: string): NodeJS.ErrnoException {
  process.stderr.write(`${REFUSED_LOOKUP}${hostname}\n`);
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
}

const lookup = dns.lookup;
dns.lookup = ((hostname: string, ...rest: unknown[]) => {
  if (local(hostname)) return (lookup as (...args: unknown[]) => void)(hostname, ...rest);
  const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
  process.nextTick(callback, refusal(hostname));
}) as typeof dns.lookup;

const lookupAsync = dns.promises.lookup;
dns.promises.lookup = ((hostname: string, ...rest: unknown[]) =>
  local(hostname) ? (lookupAsync as (...args: unknown[]) => Promise<unknown>)(hostname, ...rest) : Promise.reject(refusal(hostname))) as typeof dns.promises.lookup;
