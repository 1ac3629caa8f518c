/**
 * `Deno.serve` on a host and port, where a port another program holds is
 * refused in one sentence that names what wanted it and how to move it,
 * instead of Deno's "Address already in use (os error 98)".
 */
export function listen(
  opts: {
    host: string;
    port: number;
    /** What is served, as in "Cannot serve the dashboard on …". */
    what: string;
    /** How to get past a taken port, as in "set PORT to another port". */
    hint: string;
  },
  handler: Deno.ServeHandler<Deno.NetAddr>,
): Deno.HttpServer<Deno.NetAddr> {
  try {
    return Deno.serve({
      hostname: opts.host,
      port: opts.port,
      onListen: () => {},
    }, handler);
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new Error(
        `Cannot serve ${opts.what} on ${opts.host}:${opts.port}: the port is taken (${opts.hint})`,
      );
    }
    throw err;
  }
}
