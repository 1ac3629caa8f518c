/**
 * The data engineer's page (`/pipeline`): offsets, log end and lag per
 * partition, events per second, rejections by reason with the latest rows,
 * quality and job runs, the lake's watermark; live. `GET /api/pipeline` is
 * its JSON twin. Everything comes from the database, so a web role alone
 * shows it too.
 */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { pipelineStatus } from "../lib/pipeline/mod.ts";
import { page } from "../lib/web/page.ts";
import { Layout } from "../components/Layout.tsx";
import PipelineBoard from "../islands/PipelineBoard.tsx";

export function pipelineRoutes(ctx: AppContext): Hono {
  const read = () => pipelineStatus(ctx.sql, ctx.config.topicPrefix);
  return new Hono()
    .get("/api/pipeline", async (c) => c.json(await read()))
    .get("/pipeline", async (c) =>
      page(
        c,
        <Layout title="Pipeline" active="pipeline">
          <PipelineBoard initial={await read()} url="/api/pipeline" />
        </Layout>,
      ));
}
