// The Auth0 user CloudEvent builder for the demo, the benchmark and tests. It lives in the toolbox
// (toolbox/smoke/auth0UserEvent.ts), whose `send-event` smoke test sends the same events; dev/ may
// import the toolbox, the toolbox never dev/.
export * from "../toolbox/smoke/auth0UserEvent.js";
