/**
 * The local addresses on which this machine listens on a TCP port, read from Linux's socket
 * tables (`/proc/net/tcp` and `tcp6`): how a test proves a server binds loopback only, without
 * sending anything to another address.
 */
import { readFileSync } from 'node:fs';

const listenState = '0A';

/** `0100007F` -> `127.0.0.1`; IPv6 as its 32 hex digits, with the v4-mapped ones as IPv4. */
function addressOf(hex: string): string {
  const ipv4 = (word: string) =>
    (word.match(/../g) ?? [])
      .reverse()
      .map((byte) => Number.parseInt(byte, 16))
      .join('.');
  if (hex.length === 8) return ipv4(hex);
  if (hex.startsWith('0000000000000000FFFF0000')) return ipv4(hex.slice(24));
  return hex === '0'.repeat(32) ? '::' : hex;
}

export function listeningAddresses(port: number): string[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        ([, local, , state]) =>
          state === listenState && local?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`),
      )
      .map(([, local]) => addressOf(local?.split(':')[0] ?? '')),
  );
}
