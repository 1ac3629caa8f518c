/**
 * The browser runtime (the `client.js` bundle): finds the outermost island
 * markers the server wrote and hydrates each with its deserialized props.
 * Inner islands have no marker, so nothing is hydrated twice.
 */
import { type ComponentType, h, hydrate } from "preact";
import { deserializeProps } from "./serialize.ts";

/** Hydrates every `[data-island]` element with the matching component. */
export function boot(islands: Record<string, ComponentType>): void {
  const markers = document.querySelectorAll<HTMLElement>("[data-island]");
  for (const el of markers) {
    const name = el.dataset.island ?? "";
    const component = islands[name];
    if (!component) {
      // deno-lint-ignore no-console
      console.error(
        `Cannot hydrate island "${name}": its bundle was not loaded`,
      );
      continue;
    }
    hydrate(h(component, deserializeProps(el.dataset.props ?? "{}")), el);
    el.dataset.hydrated = "true";
  }
}
