/** Free TCP ports on the loopback interface, for the local servers of dev/ and the tests. */

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Another process can
 * take it before it is bound again, which is rare enough for local servers.
 */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}
