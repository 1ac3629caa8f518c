/**
 * The island marker, the one piece of the mechanism that runs on both sides.
 * `island(name, Component)` returns a component that, while the server renders
 * a page, wraps the output in `<div data-island data-props>` and records the
 * island as used; inside another island (or in the browser, where no scope is
 * provided) it renders the component unmarked, so nested islands are hydrated
 * once, by their outermost island.
 */
import { type ComponentType, createContext, h, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { serializeProps } from "./serialize.ts";

/** What the server render collects; absent in the browser. */
export interface IslandScope {
  /** Names of the islands this page needs, in first-use order. */
  readonly used: Set<string>;
  /** True while rendering inside an island (inner islands stay unmarked). */
  readonly inside: boolean;
}

export const IslandContext = createContext<IslandScope | null>(null);

/** An island component: callable as a component, and knows its name. */
export type Island<P> = ((props: P) => VNode) & { islandName: string };

/** Declares the default export of `islands/<name>.tsx` as an island. */
export function island<P extends object>(
  name: string,
  Component: ComponentType<P>,
): Island<P> {
  const Marked = (props: P): VNode => {
    const scope = useContext(IslandContext);
    if (!scope || scope.inside) return h(Component, props) as VNode;
    scope.used.add(name);
    return h(
      "div",
      {
        "data-island": name,
        "data-props": serializeProps(props as Record<string, unknown>),
        style: "display:contents",
      },
      h(
        IslandContext.Provider,
        { value: { used: scope.used, inside: true } },
        h(Component, props),
      ),
    ) as VNode;
  };
  return Object.assign(Marked, { islandName: name });
}
