// Timer triggers: 6-field NCRONTAB ({second} {minute} {hour} {day} {month} {day-of-week})
// or a TimeSpan interval, runOnStartup, and the TimerInfo input the host sends.
import { CronExpressionParser } from "cron-parser";
import { parseTimeSpan } from "./config.js";
import type { RegisteredFunction } from "./core.js";
import { invokeWithRetries, sleep, type HostLog, type Invoker } from "./invoker.js";

// An invocation that starts this much after its scheduled time is reported as past due.
const PAST_DUE_TOLERANCE_MS = 1_000;
// setTimeout cannot wait longer than ~24.8 days; longer waits are re-armed.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Schedule {
  next(after: Date): Date;
  previous(before: Date): Date | undefined;
}

function parseSchedule(expression: string, fnName: string): Schedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length === 1 && /^\d/.test(expression.trim())) {
    const interval = parseTimeSpan(expression, `function ${fnName} schedule`);
    if (interval <= 0) throw new Error(`function ${fnName}: schedule interval must be positive`);
    return { next: (after) => new Date(after.getTime() + interval), previous: () => undefined };
  }
  if (fields.length !== 6) {
    throw new Error(`function ${fnName}: schedule "${expression}" must be a 6-field NCRONTAB expression (with seconds) or a TimeSpan`);
  }
  // Validate once at start-up so a bad expression fails the host, not the first tick.
  CronExpressionParser.parse(expression, { tz: "UTC" });
  return {
    next: (after) => CronExpressionParser.parse(expression, { currentDate: after, tz: "UTC" }).next().toDate(),
    previous: (before) => CronExpressionParser.parse(expression, { currentDate: before, tz: "UTC" }).prev().toDate(),
  };
}

export class TimerListener {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly schedule: Schedule;
  private readonly useMonitor: boolean;
  private last: Date | undefined;

  constructor(
    private readonly fn: RegisteredFunction,
    expression: string,
    private readonly runOnStartup: boolean,
    useMonitor: boolean | undefined,
    private readonly invoker: Invoker,
    private readonly log: HostLog,
  ) {
    this.schedule = parseSchedule(expression, fn.metadata.name);
    // As in Azure, schedules that recur more often than once a minute are not monitored
    // unless asked, so they get no scheduleStatus.
    const first = this.schedule.next(new Date());
    this.useMonitor = useMonitor ?? this.schedule.next(first).getTime() - first.getTime() >= 60_000;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    if (this.runOnStartup) await this.fire(new Date(), false);
    // Like the host, the next occurrence is computed after the previous run ended, so
    // invocations of one timer never overlap.
    while (!signal.aborted) {
      const due = this.schedule.next(new Date());
      let aborted = false;
      while (!aborted && Date.now() < due.getTime()) {
        aborted = await sleep(Math.min(MAX_TIMEOUT_MS, due.getTime() - Date.now()), signal);
      }
      if (aborted) return;
      await this.fire(due, Date.now() - due.getTime() > PAST_DUE_TOLERANCE_MS);
    }
  }

  private async fire(scheduled: Date, isPastDue: boolean): Promise<void> {
    const now = new Date();
    const next = this.schedule.next(now);
    const last = this.last ?? this.schedule.previous(scheduled) ?? scheduled;
    this.last = scheduled;
    // The host serialises TimerInfo with PascalCase keys; the library camel-cases them.
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: this.useMonitor ? { Last: last.toISOString(), Next: next.toISOString(), LastUpdated: now.toISOString() } : null,
      IsPastDue: isPastDue,
    };
    const result = await invokeWithRetries(this.invoker, this.fn, { inputData: { json: JSON.stringify(timerInfo) } }, this.stopping.signal);
    if (!result.ok) this.log(`timer ${this.fn.metadata.name}: invocation failed; next run at ${next.toISOString()}`);
  }
}
