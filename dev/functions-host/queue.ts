// Storage queue triggers: poll with @azure/storage-queue, invoke per message, delete on
// success; on failure make the message visible again after visibilityTimeout, and once
// it has been dequeued maxDequeueCount times move it to "<queue>-poison".
import type { QueueClient, DequeuedMessageItem } from "@azure/storage-queue";
import type { HostConfig } from "./config.js";
import type { RegisteredFunction, RpcTypedData } from "./core.js";
import { sleep, type HostLog, type Invoker, errorText } from "./invoker.js";

// The host holds a message invisible for 10 minutes while the function runs.
const LEASE_SECONDS = 600;

export class QueueListener {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly fn: RegisteredFunction,
    private readonly queue: QueueClient,
    private readonly poison: QueueClient,
    private readonly config: HostConfig["queues"],
    private readonly invoker: Invoker,
    private readonly log: HostLog,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops polling; in-flight messages finish (the invoker drains them). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let delay = 0;
    while (!this.stopping.signal.aborted) {
      let messages: DequeuedMessageItem[] = [];
      try {
        const response = await this.queue.receiveMessages({
          numberOfMessages: this.config.batchSize,
          visibilityTimeout: LEASE_SECONDS,
          abortSignal: this.stopping.signal,
        });
        messages = response.receivedMessageItems;
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        // A missing queue is "no messages" to the host: it keeps polling until someone creates it.
        if (statusOf(err) !== 404) this.log(`queue ${this.queue.name}: receive failed: ${errorText(err)}`);
      }
      if (messages.length > 0) {
        delay = 0;
        await Promise.all(messages.map((m) => this.process(m)));
        continue;
      }
      // Back off like the host's queue listener: quick first, up to maxPollingInterval.
      delay = Math.min(this.config.maxPollingIntervalMs, delay === 0 ? 100 : delay * 2);
      await sleep(delay, this.stopping.signal);
    }
  }

  private async process(message: DequeuedMessageItem): Promise<void> {
    const name = this.fn.metadata.name;
    if (message.dequeueCount > this.config.maxDequeueCount) {
      await this.moveToPoison(message);
      return;
    }
    let text: string;
    try {
      text = this.decode(message.messageText);
    } catch (err) {
      this.log(`queue ${this.queue.name}: message ${message.messageId}: ${errorText(err)}`);
      await this.failed(message);
      return;
    }
    const result = await this.invoker.invoke(this.fn, {
      inputData: { string: text },
      triggerMetadata: triggerMetadataFor(message, text),
    });
    try {
      if (result.ok) await this.queue.deleteMessage(message.messageId, message.popReceipt);
      else await this.failed(message);
    } catch (err) {
      this.log(`queue ${this.queue.name}: completing message ${message.messageId} for ${name} failed: ${errorText(err)}`);
    }
  }

  private decode(messageText: string): string {
    if (this.config.messageEncoding === "none") return messageText;
    const compact = messageText.replace(/\s/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      throw new Error("message is not valid base64 (host.json extensions.queues.messageEncoding is base64)");
    }
    return Buffer.from(compact, "base64").toString("utf8");
  }

  private async failed(message: DequeuedMessageItem): Promise<void> {
    if (message.dequeueCount >= this.config.maxDequeueCount) {
      await this.moveToPoison(message);
      return;
    }
    await this.queue.updateMessage(message.messageId, message.popReceipt, undefined, Math.floor(this.config.visibilityTimeoutMs / 1000));
  }

  private async moveToPoison(message: DequeuedMessageItem): Promise<void> {
    this.log(`queue ${this.queue.name}: message ${message.messageId} has reached MaxDequeueCount of ${this.config.maxDequeueCount}; moving it to ${this.poison.name}`);
    await this.poison.createIfNotExists();
    await this.poison.sendMessage(message.messageText);
    await this.queue.deleteMessage(message.messageId, message.popReceipt);
  }
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const status: unknown = Reflect.get(err, "statusCode");
  return typeof status === "number" ? status : undefined;
}

/** The host's queue binding data, in its PascalCase (the library lower-cases the first letter). */
function triggerMetadataFor(message: DequeuedMessageItem, text: string): Record<string, RpcTypedData> {
  const date = (d: Date): RpcTypedData => ({ json: JSON.stringify(d.toISOString()) });
  return {
    QueueTrigger: { string: text },
    DequeueCount: { int: message.dequeueCount },
    ExpirationTime: date(message.expiresOn),
    Id: { string: message.messageId },
    InsertionTime: date(message.insertedOn),
    NextVisibleTime: date(message.nextVisibleOn),
    PopReceipt: { string: message.popReceipt },
  };
}
