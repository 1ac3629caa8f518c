/** The error page: a sentence about what went wrong, no stack trace, no JavaScript. */
import { Document, TopBar } from "./Layout.tsx";

function titleOf(status: number): string {
  return status === 503
    ? "Service unavailable"
    : status === 404
    ? "Not found"
    : status === 414
    ? "Address too long"
    : status >= 500
    ? "Server error"
    : "Bad request";
}

export function ErrorPage(
  { status, message }: { status: number; message: string },
) {
  const title = titleOf(status);
  return (
    <Document
      title={`${status} ${title}`}
      head={status === 503 && <meta http-equiv="refresh" content="10" />}
    >
      <TopBar />
      <main class="page" id="main" tabindex={-1}>
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
    </Document>
  );
}
