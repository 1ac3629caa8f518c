/** compose.yaml as a user's `docker compose` would read it: parsed, with the defaults of `${VAR:-default}` applied. */
import YAML from "yaml";

/** The repository root. */
export const root = new URL("../../", import.meta.url);
/** Reads a file of the repository. */
export const read = (path: string) => Deno.readTextFile(new URL(path, root));

// deno-lint-ignore no-explicit-any
export type Any = any;

/** compose.yaml as text and parsed with YAML merge keys. */
export const composeText = await read("compose.yaml");
export const compose: Any = YAML.parse(composeText, { merge: true });

/** Variables compose requires (`${VAR:?message}`): the secrets of .env. */
export const REQUIRED = new Set(
  [...composeText.matchAll(/\$\{(\w+):\?[^}]*\}/g)].map((m) => m[1]!),
);

/** `NAME=value` lines of an env file. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** .env.example with every required secret set, as a user's .env would be. */
export const dotEnv: Record<string, string> = Object.fromEntries(
  Object.entries(parseEnvFile(await read(".env.example"))).map(([k, v]) => [
    k,
    v === "" && REQUIRED.has(k) ? `test-${k.toLowerCase()}` : v,
  ]),
);
export const services: Record<string, Any> = compose.services;
/** The services that run the app image. */
export const APP = ["processor", "generators", "web"];

/**
 * A compose value as `docker compose` resolves it with `vars` as its .env:
 * `${VAR}`, `${VAR:-default}` and `${VAR:?message}` (which fails when VAR is
 * unset or empty), and `$$` to `$`.
 */
export function interpolate(
  s: string,
  vars: Record<string, string> = dotEnv,
): string {
  return s.replace(
    /\$\{(\w+)(?::?([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const v = vars[name];
      if (v !== undefined && v !== "") return v;
      if (op === "?") throw new Error(`compose: ${arg}`);
      return op === "-" ? arg ?? "" : "";
    },
  ).replaceAll("$$", "$");
}

/** A service's environment, interpolated. */
export function env(service: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(services[service].environment ?? {})) {
    out[k] = interpolate(String(v));
  }
  return out;
}

/** Host port → container port of a service, with the defaults applied. */
export function ports(service: string): Map<number, number> {
  return new Map(
    publishedOn(service).map(({ host, container }) => [host, container]),
  );
}

/** Each published port of a service: the host address, host port and container port. */
export function publishedOn(
  service: string,
): { address: string; host: number; container: number }[] {
  return (services[service].ports ?? []).map((p: string) => {
    const parts = interpolate(p).split(":");
    const [container, host, address = "0.0.0.0"] = parts.reverse();
    return { address, host: Number(host), container: Number(container) };
  });
}
