/** The error page: a sentence about what went wrong, no stack trace, no JavaScript. */
import { staticUrl } from "../lib/web/assets.ts";

export function ErrorPage(
  { status, message }: { status: number; message: string },
) {
  const title = status === 503
    ? "Service unavailable"
    : status === 404
    ? "Not found"
    : status >= 500
    ? "Server error"
    : "Bad request";
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {status === 503 && <meta http-equiv="refresh" content="10" />}
        <title>{`${status} ${title} · Pricing & Inventory`}</title>
        <link rel="stylesheet" href={staticUrl("style.css")} />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">◆</span>{" "}
            Pricing &amp; Inventory
          </a>
        </header>
        <main class="page">
          <div class={`error-box s${status}`} role="alert">
            <div class="error-code">{status}</div>
            <h1>{title}</h1>
            <p>{message}</p>
            {status === 503 && (
              <p class="muted">This page retries by itself every 10 seconds.</p>
            )}
            <p>
              <a class="btn" href="/">Back to the overview</a>
            </p>
          </div>
        </main>
      </body>
    </html>
  );
}
