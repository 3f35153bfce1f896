// Runs the functions host CLI as a child process so tests can SIGKILL it mid-invocation.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const cli = path.join(repoRoot, "dev/functions-host/cli.ts");

export interface HostProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: string[];
  kill(): Promise<void>;
  /** SIGTERM and wait for a graceful exit; returns the exit code, or the signal that ended it. */
  terminate(): Promise<number | string | null>;
}

export async function startHostProcess(options: { app: string; hostJson?: string; settingsFile?: string; settings: Record<string, string> }): Promise<HostProcess> {
  const args = ["--import", "tsx", cli, "--app", options.app];
  if (options.hostJson) args.push("--host-json", options.hostJson);
  if (options.settingsFile) args.push("--settings", options.settingsFile);
  for (const [k, v] of Object.entries(options.settings)) args.push("--set", `${k}=${v}`);
  // node --import tsx directly (not npx) so the pid we signal is the host itself.
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 30 s:\n${output.join("\n")}`)), 30_000);
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        output.push(line);
        const m = /^functions-host listening (\S+)$/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${String(code)} before it was ready:\n${output.join("\n")}`));
    });
  });
  return {
    url,
    child,
    output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
