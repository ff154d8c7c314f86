// The Auth0 tenant host behind nock, as every Management API fake needs it: the client-credentials
// token endpoint, and every GET and POST under /api/v2 answered by the fake's own `respond`.
import nock from "nock";

/** A status, a body, and optional headers: what nock sends back. */
export type FakeReply = [number, unknown?, Record<string, string>?];

export function interceptManagementApi(
  domain: string,
  accessToken: string,
  respond: (request: Request) => FakeReply | Promise<FakeReply>,
): nock.Scope {
  return nock(`https://${domain}`)
    .persist()
    .post("/oauth/token")
    .reply(200, { access_token: accessToken, token_type: "Bearer", expires_in: 86400 })
    .get(/^\/api\/v2\//)
    .query(true)
    .reply((request: Request) => respond(request))
    .post(/^\/api\/v2\//)
    .query(true)
    .reply((request: Request) => respond(request));
}
