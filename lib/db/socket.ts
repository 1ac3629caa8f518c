/**
 * The TCP connection postgres.js talks over, with Nagle's algorithm off.
 * postgres.js writes a COPY's data and its CopyDone in two socket writes;
 * with Nagle on, the kernel holds the 5-byte CopyDone until the data is
 * acknowledged, and the server delays that acknowledgement (40 ms on Linux),
 * so every COPY took ~50 ms however small (measured: 20 COPYs of 2,000 rows
 * in 1.1 s against 0.2 s for the same rows through unnest). Every other
 * message postgres.js sends fits one write, which is why only COPY showed it.
 */
import net from "node:net";

/** What postgres.js passes to its `socket` option. */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/** Connects to the first host (or the Unix socket path) with TCP_NODELAY set. */
export function noDelaySocket(o: SocketTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = o.path
      ? net.connect(o.path)
      : net.connect(o.port[0] ?? 5432, o.host[0] ?? "localhost");
    s.once("error", reject);
    s.once("connect", () => {
      s.off("error", reject);
      if (!o.path) s.setNoDelay(true);
      resolve(s);
    });
  });
}
