// The optional queue dashboard (Bull Board) under /dashboard, on when DASHBOARD_TOKEN is set.
// Every request needs the token: as a bearer header, or once as `?token=` which trades it for a cookie
// so the browser UI's own asset and API requests pass too. Loaded only when on, so express stays out
// of a worker that does not serve it.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express, { type NextFunction, type Request, type Response } from "express";
import { DASHBOARD_PATH } from "./paths.js";

const COOKIE_NAME = "group_sync_dashboard";
/** A browser session lasts a working day; after that the operator opens the token link again. */
const COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;

export interface DashboardOptions {
  queue: Queue;
  /** DASHBOARD_TOKEN; never logged, never echoed. */
  token: string;
}

/** The dashboard as a plain request listener for every URL under DASHBOARD_PATH. */
export function makeDashboard(options: DashboardOptions): RequestListener {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(options.queue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: "SureCloud group sync" } },
  });
  const app = express();
  app.disable("x-powered-by");
  app.use(DASHBOARD_PATH, requireToken(options.token), serverAdapter.getRouter());
  app.use((_request: Request, response: Response) => {
    response.status(404).json({ error: "not found" });
  });
  return app as unknown as RequestListener;
}

/** Express middleware: lets a request through only if it carries the token, the session cookie, or `?token=`. */
export function requireToken(token: string) {
  // The cookie holds a value derived from the token, not the token: a leaked cookie does not
  // reveal it, and rotating the token ends every session.
  const session = createHmac("sha256", token).update("group-sync dashboard session").digest("hex");
  return (request: Request, response: Response, next: NextFunction): void => {
    const bearer = bearerOf(request);
    const cookie = cookieOf(request, COOKIE_NAME);
    if (
      (bearer !== undefined && sameSecret(bearer, token)) ||
      (cookie !== undefined && sameSecret(cookie, session))
    ) {
      next();
      return;
    }
    const url = new URL(request.originalUrl, "http://dashboard.invalid");
    const queryToken = url.searchParams.get("token");
    if (queryToken !== null && sameSecret(queryToken, token)) {
      // Redirect to the same page without the token, so it leaves the address bar and history.
      url.searchParams.delete("token");
      response.setHeader("set-cookie", sessionCookie(session, request));
      response.setHeader("referrer-policy", "no-referrer");
      response.setHeader("cache-control", "no-store");
      response.redirect(303, `${url.pathname}${url.search}`);
      return;
    }
    refuse(response);
  };
}

function sessionCookie(value: string, request: IncomingMessage): string {
  // Behind a TLS-terminating proxy the browser must only send the cookie over HTTPS. Lax, not
  // Strict: a link opened from chat or mail is a cross-site navigation, and browsers withhold
  // Strict cookies on its redirect, so the first page would be refused.
  const secure = request.headers["x-forwarded-proto"] === "https" ? "; Secure" : "";
  return `${COOKIE_NAME}=${value}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Lax; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure}`;
}

function refuse(response: ServerResponse): void {
  response.writeHead(401, {
    "content-type": "application/json",
    "www-authenticate": 'Bearer realm="group-sync dashboard"',
    "cache-control": "no-store",
  });
  response.end(JSON.stringify({ error: "the dashboard needs DASHBOARD_TOKEN as a bearer token" }));
}

function bearerOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Compares digests of equal length, so the time taken says nothing about the secret or its length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
