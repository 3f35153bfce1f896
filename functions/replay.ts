// POST /api/admin/replay?from=yyyy-mm-dd[&to=yyyy-mm-dd][&dryRun=true]: re-feeds dead-lettered
// events after a fix. Admin key only (authLevel admin); returns the replay summary.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { settings } from "../shared/config/index.js";
import { replayDeadLetters } from "../shared/normalize/index.js";
import { normalizeRuntime } from "../shared/runtime/normalizer.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function replayHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const from = request.query.get("from") ?? "";
  const to = request.query.get("to") ?? undefined;
  if (!DAY.test(from)) return { status: 400, jsonBody: { error: "query parameter from: required, a UTC day as yyyy-mm-dd" } };
  if (to !== undefined && !DAY.test(to)) return { status: 400, jsonBody: { error: "query parameter to: must be a UTC day as yyyy-mm-dd" } };
  const dryRun = request.query.get("dryRun") === "true";
  const { normalizer, deadLetters } = await normalizeRuntime(settings(), (line) => context.log(line));
  const summary = await replayDeadLetters(normalizer, deadLetters, { from, ...(to === undefined ? {} : { to }), dryRun });
  context.log(`replay from ${from}${to ? ` to ${to}` : ""}${dryRun ? " (dry run)" : ""}: examined ${summary.examined}, landed ${summary.landed}, still failing ${summary.stillFailing.length}`);
  return { status: 200, jsonBody: summary };
}

app.http("replay", { route: "admin/replay", methods: ["POST"], authLevel: "admin", handler: replayHandler });
