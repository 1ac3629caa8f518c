/** What a pricing recommendation does to our price; written here once. */
export const ACTIONS = ["raise", "lower", "hold"] as const;

/** `raise`, `lower` or `hold`. */
export type Action = typeof ACTIONS[number];
