import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { decide, type OpenAlert } from "./decide.ts";
import type { Rule } from "./rules.ts";
import { backoffMs, MAX_BACKOFF_MS } from "./deliver.ts";

const NOW = new Date("2026-11-25T12:00:00Z");
const rule = (over: Partial<Rule> = {}): Rule => ({
  rule: "stock_out_risk",
  title: "Stock-out risk",
  unit: "days",
  severity: "warning",
  when: "",
  threshold: 2,
  enabled: true,
  cooldown_minutes: 60,
  daily_cap: 20,
  channels: ["ops"],
  changed: [],
  updated_by: null,
  ...over,
});
const cond = (key: string) => ({ key, subject: key, message: key, value: 1 });
const open = (key: string, over: Partial<OpenAlert> = {}): OpenAlert => ({
  alert_id: 1,
  alert_key: key,
  rule: "stock_out_risk",
  subject: key,
  message: key,
  value: 1,
  threshold: 2,
  fired_at: new Date(NOW.getTime() - 120 * 60_000),
  last_notified_at: new Date(NOW.getTime() - 120 * 60_000),
  notified_count: 1,
  acknowledged_at: null,
  ...over,
});
const kinds = (ds: ReturnType<typeof decide>) =>
  ds.map((d) => `${d.kind}${d.notify ? "+notify" : ""}`);

Deno.test("alert lifecycle - an acknowledged alert is not repeated after its cooldown, but is resolved with a message", () => {
  const acked = open("a", { acknowledged_at: NOW });
  const still = decide({
    rules: [rule()],
    found: new Map([["stock_out_risk", [cond("a")]]]),
    open: [acked],
    sentToday: new Map(),
    now: NOW,
  });
  assertEquals(kinds(still), ["seen"]);
  const gone = decide({
    rules: [rule()],
    found: new Map([["stock_out_risk", []]]),
    open: [acked],
    sentToday: new Map(),
    now: NOW,
  });
  assertEquals(kinds(gone), ["resolve+notify"]);
});

Deno.test("alert lifecycle - a rule that could not be read keeps its alerts; a disabled rule resolves them", () => {
  const a = open("a");
  const unread = decide({
    rules: [rule()],
    found: new Map(),
    open: [a],
    sentToday: new Map(),
    now: NOW,
  });
  assertEquals(kinds(unread), []);
  const off = decide({
    rules: [rule({ enabled: false })],
    found: new Map(),
    open: [a],
    sentToday: new Map(),
    now: NOW,
  });
  assertEquals(kinds(off), ["resolve+notify"]);
});

Deno.test("alert lifecycle - the cap counts what was sent today; held messages are marked", () => {
  const ds = decide({
    rules: [rule({ daily_cap: 3 })],
    found: new Map([["stock_out_risk", [cond("b"), cond("a"), cond("c")]]]),
    open: [open("a")],
    sentToday: new Map([["stock_out_risk", 1]]),
    now: NOW,
  });
  assertEquals(kinds(ds), ["seen+notify", "fire+notify", "fire"]);
  ok(ds[2]!.kind === "fire" && ds[2]!.held);
});

Deno.test("alert retries - the wait doubles from the base, its upper half random, and is capped", () => {
  assertEquals([1, 2, 3].map((n) => backoffMs(n, 1000, () => 0)), [
    500,
    1000,
    2000,
  ]);
  assertEquals([1, 2, 3].map((n) => backoffMs(n, 1000, () => 0.999999)), [
    1000,
    2000,
    4000,
  ]);
  assertEquals(backoffMs(40, 1000, () => 0.999999), MAX_BACKOFF_MS);
});
