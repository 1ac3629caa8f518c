/** compose.yaml as a user's `docker compose` would read it: parsed, with the defaults of `${VAR:-default}` applied. */
import YAML from "yaml";

/** The repository root. */
export const root = new URL("../../", import.meta.url);
/** Reads a file of the repository. */
export const read = (path: string) => Deno.readTextFile(new URL(path, root));

// deno-lint-ignore no-explicit-any
export type Any = any;

/** compose.yaml, parsed with YAML merge keys. */
export const compose: Any = YAML.parse(await read("compose.yaml"), {
  merge: true,
});
export const services: Record<string, Any> = compose.services;
/** The services that run the app image. */
export const APP = ["processor", "generators", "web"];

/** A compose value with `${VAR:-default}` resolved to its default and `$$` to `$`. */
export function interpolate(s: string): string {
  return s.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _v, d) => d ?? "")
    .replaceAll("$$", "$");
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
    (services[service].ports ?? []).map((p: string) => {
      const [host, container] = interpolate(p).split(":").map(Number);
      return [host!, container!];
    }),
  );
}
