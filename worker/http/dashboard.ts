// The optional queue dashboard (Bull Board) under /dashboard, on when DASHBOARD_TOKEN is set.
// Every request needs the token: as a bearer header, or once as `?token=` which trades it for a
// session cookie so the browser UI's own asset and API requests pass too. Loaded only when on, so
// express stays out of a worker that does not serve it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express, { type NextFunction, type Request, type Response } from "express";
import { DASHBOARD_PATH } from "./paths.js";

const COOKIE_NAME = "group_sync_dashboard";
/** A browser session lasts a working day; after that the operator opens the token link again. */
const SESSION_TTL_SECONDS = 8 * 60 * 60;
/** Sessions held at once; opening one more forgets the oldest. Only a token holder can open one. */
const MAX_SESSIONS = 1000;

export interface DashboardOptions {
  queue: Queue;
  /** DASHBOARD_TOKEN; never logged, never echoed. */
  token: string;
  /** Clock of session expiry, in ms. Default `Date.now`. */
  now?: () => number;
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
  app.use(DASHBOARD_PATH, requireToken(options.token, options.now), serverAdapter.getRouter());
  app.use((_request: Request, response: Response) => {
    response.status(404).json({ error: "not found" });
  });
  return app as unknown as RequestListener;
}

/** Express middleware: lets a request through only if it carries the token, a live session cookie, or `?token=`. */
export function requireToken(token: string, now: () => number = Date.now) {
  const sessions = makeSessions(now);
  return (request: Request, response: Response, next: NextFunction): void => {
    const bearer = bearerOf(request);
    const cookie = cookieOf(request, COOKIE_NAME);
    if ((bearer !== undefined && sameSecret(bearer, token)) || (cookie && sessions.isOpen(cookie))) {
      next();
      return;
    }
    const url = new URL(request.originalUrl, "http://dashboard.invalid");
    const queryToken = url.searchParams.get("token");
    if (queryToken !== null && sameSecret(queryToken, token)) {
      // Redirect to the same page without the token, so it leaves the address bar and history.
      response.setHeader("set-cookie", sessionCookie(sessions.open(), request));
      response.setHeader("referrer-policy", "no-referrer");
      response.setHeader("cache-control", "no-store");
      response.redirect(303, landingPath(url));
      return;
    }
    refuse(response);
  };
}

/**
 * Browser sessions, in this process's memory: each login gets its own random id, which lapses after
 * SESSION_TTL_SECONDS and with the process (so a restart, or a new token, ends every session). Ids
 * are kept as digests, so the map holds nothing a browser could present.
 */
function makeSessions(now: () => number) {
  const expiries = new Map<string, number>();
  const keyOf = (id: string) => createHash("sha256").update(id).digest("base64url");
  return {
    open(): string {
      const at = now();
      for (const [key, expires] of expiries) if (expires <= at) expiries.delete(key);
      const oldest = expiries.keys().next();
      if (expiries.size >= MAX_SESSIONS && !oldest.done) expiries.delete(oldest.value);
      const id = randomBytes(32).toString("base64url");
      expiries.set(keyOf(id), at + SESSION_TTL_SECONDS * 1000);
      return id;
    },
    isOpen(id: string): boolean {
      const key = keyOf(id);
      const expires = expiries.get(key);
      if (expires === undefined) return false;
      if (expires > now()) return true;
      expiries.delete(key);
      return false;
    },
  };
}

/**
 * Where a `?token=` link lands, without the token: the same page if it is a dashboard page, else the
 * dashboard's home. `/dashboard/..//evil.example/` once landed on `//evil.example/`, another site:
 * the URL parser has already resolved dot segments (plain or %2e) and backslashes, and folding
 * runs of slashes leaves no path that a browser could read as a host.
 */
function landingPath(url: URL): string {
  url.searchParams.delete("token");
  const path = url.pathname.replace(/\/{2,}/g, "/");
  const inside = path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
  return inside ? `${path}${url.search}` : `${DASHBOARD_PATH}/`;
}

function sessionCookie(id: string, request: IncomingMessage): string {
  // Behind a TLS-terminating proxy the browser must only send the cookie over HTTPS. Lax, not
  // Strict: a link opened from chat or mail is a cross-site navigation, and browsers withhold
  // Strict cookies on its redirect, so the first page would be refused.
  const secure = request.headers["x-forwarded-proto"] === "https" ? "; Secure" : "";
  return `${COOKIE_NAME}=${id}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}${secure}`;
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
