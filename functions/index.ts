// Entry point the Azure Functions host loads (package.json "main" → dist/functions/index.js).
// It only configures the app and imports each function file, which registers itself.
import { app } from "@azure/functions";

app.setup({ enableHttpStream: false });
import "./normalize.js";
import "./replay.js";
