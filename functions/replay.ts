// POST /api/admin/replay?from=yyyy-mm-dd[&to=yyyy-mm-dd][&dryRun=true]: re-feeds dead-lettered
// events after a fix. Admin key only (authLevel admin); returns the replay summary.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { settings } from "../shared/config/index.js";
import { replayDeadLetters } from "../shared/normalize/index.js";
import { assertDay } from "../shared/normalize/dead-letter.js";
import { normalizeRuntime } from "../shared/runtime/normalizer.js";

export async function replayHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const from = request.query.get("from") ?? "";
  const to = request.query.get("to") ?? undefined;
  try {
    assertDay(from, "query parameter from");
    if (to !== undefined) assertDay(to, "query parameter to");
  } catch (error) {
    return { status: 400, jsonBody: { error: error instanceof Error ? error.message : "query parameters from/to: must be dates yyyy-mm-dd" } };
  }
  const dryRun = request.query.get("dryRun") === "true";
  const { normalizer, deadLetters } = await normalizeRuntime(settings());
  const summary = await replayDeadLetters(normalizer, deadLetters, { from, ...(to === undefined ? {} : { to }), dryRun });
  context.log(`replay from ${from}${to ? ` to ${to}` : ""}${dryRun ? " (dry run)" : ""}: examined ${summary.examined}, landed ${summary.landed}, still failing ${summary.stillFailing.length}`);
  return { status: 200, jsonBody: summary };
}

app.http("replay", { route: "admin/replay", methods: ["POST"], authLevel: "admin", handler: replayHandler });
