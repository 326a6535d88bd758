import { escaped } from "../../text/escape.js";
import { shortenUrl } from "../../text/shorten-url.js";
import { HttpError } from "./HttpError.js";

/**
 * 401 or 403: the credentials were refused, or may not do this. Never retried;
 * the message says where the credentials came from, so the user knows what to fix.
 */
export class AuthError extends HttpError {
  override name = "AuthError";
  constructor(
    method: string,
    url: string,
    status: 401 | 403,
    serverMessage: string,
    readonly endpoint: string,
    /** Where the credentials came from (`WAYLAY_API_KEY/WAYLAY_API_SECRET`, `profile "prod"`), or undefined when none were sent. */
    credentialsSource: string | undefined,
  ) {
    super(method, url, status, serverMessage);
    const said = serverMessage ? ` (the server said: ${escaped(serverMessage)})` : "";
    const advice =
      credentialsSource === undefined
        ? "no credentials were sent; set WAYLAY_API_KEY and WAYLAY_API_SECRET, or WAYLAY_TOKEN"
        : status === 401
          ? `the credentials from ${credentialsSource} were not accepted; check them`
          : `the credentials from ${credentialsSource} may not ${method} ${escaped(shortenUrl(new URL(url).pathname))}`;
    this.message = `${status === 401 ? "401 Unauthorized" : "403 Forbidden"} from ${escaped(endpoint)}: ${advice}${said}`;
  }
}
