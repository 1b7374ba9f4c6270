import * as readline from "readline";
import { Command, InvalidArgumentError } from "commander";
import { SingleBar, Presets } from "cli-progress";
import type { TokenCredential } from "@azure/core-auth";
import { EventHubRedelivery, QueueRedelivery, RedeliveryDestination, WebhookRedelivery } from "./destinations";
import { explainDeadLetters } from "./explain";
import { BlobProblem, DeadLetteredEvent, FOREIGN_BLOB, Selection, groupDeadLetters, parseDeadLetterBlob, parseDeadLetterPath, selectEvents } from "./records";
import { redeliver, RedeliveryResult } from "./redeliver";
import { DeadLetterStore, StorageAccess } from "./storage";
import { safeJson, safeValue } from "./terminal";

/** Environment variable holding a storage connection string (for local testing against Azurite). */
export const CONNECTION_STRING_ENV = "AML_EVENTS_STORAGE_CONNECTION_STRING";
/** More events than this need `--yes` (or an answer at the prompt) before they are sent. */
export const CONFIRM_ABOVE = 5;

/** Where the command writes, how it asks, and how it gets Azure credentials (replaceable for embedding). */
export interface DeadletterIo {
  readonly out: (text: string) => void;
  readonly err: NodeJS.WriteStream;
  readonly confirm: (question: string) => Promise<boolean>;
  readonly credential: () => TokenCredential;
}

interface CommonOptions {
  accountUrl?: string;
  connectionString?: string;
  container: string;
  maxBlobs: number;
  maxBlobBytes: number;
  allowTokenHost?: string[];
  json?: boolean;
}

/** Prints one line of text output with every control character escaped (see `terminal.ts`). */
function line(io: DeadletterIo, text: string): void {
  io.out(safeValue(text));
}

function positiveInt(label: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${label} must be a whole number of at least 1; got ${JSON.stringify(value)}.`);
    return n;
  };
}

function defaultIo(): DeadletterIo {
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: process.stderr,
    confirm: async (question) => {
      if (!process.stdin.isTTY) return false;
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
      rl.close();
      return /^y(es)?$/i.test(answer.trim());
    },
    credential: () => {
      // Loaded lazily so the connection-string path needs no identity library at run time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
      return new DefaultAzureCredential();
    },
  };
}

function access(opts: CommonOptions, io: DeadletterIo): StorageAccess {
  const connectionString = opts.connectionString ?? process.env[CONNECTION_STRING_ENV];
  if (opts.accountUrl && connectionString) throw new Error("Give either --account-url (Microsoft Entra sign-in) or --connection-string, not both.");
  if (opts.accountUrl) return { kind: "accountUrl", accountUrl: opts.accountUrl, credential: io.credential(), container: opts.container, allowTokenHosts: opts.allowTokenHost ?? [] };
  if (connectionString) return { kind: "connectionString", connectionString, container: opts.container };
  throw new Error(`No storage account: pass --account-url https://<account>.blob.core.windows.net (signs in with DefaultAzureCredential; needs Storage Blob Data Reader, or Contributor to redeliver), or --connection-string / ${CONNECTION_STRING_ENV} for local testing.`);
}

function bar(io: DeadletterIo, total: number, what: string): SingleBar {
  const b = new SingleBar({ stream: io.err, format: `${what} [{bar}] {value}/{total}`, hideCursor: false, noTTYOutput: false }, Presets.shades_classic);
  b.start(total, 0);
  return b;
}

/** Reads the container: dead-lettered events of the selected subscription, and every blob it could not read. */
export async function loadDeadLetters(
  store: DeadLetterStore,
  opts: Pick<CommonOptions, "maxBlobs" | "maxBlobBytes">,
  subscription: string | undefined,
  io: DeadletterIo,
): Promise<{ events: DeadLetteredEvent[]; problems: BlobProblem[]; truncated: boolean }> {
  const { blobs, truncated } = await store.list(opts.maxBlobs);
  const problems: BlobProblem[] = [];
  const events: DeadLetteredEvent[] = [];
  const progress = bar(io, blobs.length, "reading dead letters");
  for (const blob of blobs) {
    const where = parseDeadLetterPath(blob.name);
    if (!where) problems.push({ blobName: blob.name, problem: FOREIGN_BLOB });
    else if (subscription && where.subscription.toUpperCase() !== subscription.toUpperCase()) {
      // another subscription's blob: not read
    } else if (blob.size > opts.maxBlobBytes) {
      problems.push({ blobName: blob.name, problem: `too large: ${blob.size} bytes > --max-blob-bytes ${opts.maxBlobBytes}; raise the limit to read it` });
    } else {
      const parsed = await readBlob(store, where);
      events.push(...parsed.events);
      problems.push(...parsed.problems);
    }
    progress.increment();
  }
  progress.stop();
  return { events, problems, truncated };
}

/** One blob's events; a blob that cannot be downloaded is a problem of that blob only. */
async function readBlob(store: DeadLetterStore, where: NonNullable<ReturnType<typeof parseDeadLetterPath>>): Promise<{ events: DeadLetteredEvent[]; problems: BlobProblem[] }> {
  let text: string;
  try {
    text = await store.read(where.blobName);
  } catch (e) {
    return { events: [], problems: [{ blobName: where.blobName, problem: `could not be read: ${(e as Error).message.split("\n")[0]}` }] };
  }
  return parseDeadLetterBlob(where, text);
}

function printProblems(io: DeadletterIo, problems: readonly BlobProblem[], truncated: boolean, maxBlobs: number): void {
  for (const p of problems) line(io, `! ${p.blobName}: ${p.problem}`);
  if (truncated) line(io, `! more than ${maxBlobs} blobs; only the first ${maxBlobs} were read (raise --max-blobs)`);
}

function listAction(io: DeadletterIo) {
  return async (opts: { subscription?: string; reason?: string }, cmd: Command): Promise<void> => {
    const common = cmd.optsWithGlobals<CommonOptions>();
    const store = new DeadLetterStore(access(common, io));
    const loaded = await loadDeadLetters(store, common, opts.subscription, io);
    const events = selectEvents(loaded.events, { ...(opts.subscription ? { subscription: opts.subscription } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
    const groups = groupDeadLetters(events);
    if (common.json) {
      io.out(safeJson({ groups, problems: loaded.problems, truncated: loaded.truncated }));
      return;
    }
    if (groups.length === 0) line(io, "No dead-lettered events.");
    for (const g of groups) {
      const outcomes = Object.entries(g.outcomes).map(([k, n]) => `${k} x${n}`).join(", ");
      line(io, `${g.subscription}  ${g.reason}  ${g.count} event(s)  ${g.eventTypes.join(", ")}  last outcomes: ${outcomes}  (${g.oldest} .. ${g.newest})`);
    }
    printProblems(io, loaded.problems, loaded.truncated, common.maxBlobs);
  };
}

function explainAction(io: DeadletterIo) {
  return async (opts: { subscription?: string; id?: string[]; program?: string; config?: string[] }, cmd: Command): Promise<void> => {
    const common = cmd.optsWithGlobals<CommonOptions>();
    const store = new DeadLetterStore(access(common, io));
    const loaded = await loadDeadLetters(store, common, opts.subscription, io);
    const events = selectEvents(loaded.events, { ...(opts.subscription ? { subscription: opts.subscription } : {}), ...(opts.id ? { ids: opts.id } : {}) });
    // The plan modules run the program on the mock engine; load them only when explaining.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createPlan } = require("../plan/plan") as typeof import("../plan/plan");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { defaultProgram, parseConfigEntries, resolveProgram } = require("../plan/cli") as typeof import("../plan/cli");
    // Same default as `aml-events plan`: the program of the working directory (Pulumi.yaml's main), never a
    // path inside this package (an installed package ships no example program).
    const program = resolveProgram(opts.program ?? defaultProgram(process.cwd()));
    const config = parseConfigEntries(opts.config ?? []);
    const plan = events.length > 0 ? await createPlan({ program, config, events: events.map((e) => e.original) }) : undefined;
    const explanations = plan ? explainDeadLetters(events, plan) : [];
    if (common.json) {
      io.out(safeJson({ explanations, problems: loaded.problems }));
      return;
    }
    for (const x of explanations) {
      line(io, `${x.eventId} ${x.eventType} dead-lettered by ${x.deadLetteredBy} (${x.deadLetterReason}): ${x.verdict} — ${x.detail}`);
      if (x.alsoDeliveredTo.length > 0) line(io, `    also delivered today to: ${x.alsoDeliveredTo.join(", ")}`);
    }
    printProblems(io, loaded.problems, loaded.truncated, common.maxBlobs);
  };
}

interface RedeliverCliOptions {
  subscription: string;
  id?: string[];
  reason?: string;
  limit?: number;
  webhook?: string;
  queue?: string;
  queueUrl?: string;
  eventHub?: string;
  function?: string;
  execute?: boolean;
  yes?: boolean;
  resendInDoubt?: boolean;
  delete?: boolean;
}

function destinationOf(opts: RedeliverCliOptions, common: CommonOptions, io: DeadletterIo): RedeliveryDestination {
  const chosen = [opts.webhook, opts.queue, opts.queueUrl, opts.eventHub, opts.function].filter((x) => x !== undefined);
  if (chosen.length !== 1) throw new Error(`Choose exactly one destination: --webhook <url>, --queue <name>, --queue-url <url>, --event-hub or --function (got ${chosen.length}).`);
  if (opts.function !== undefined) {
    // Event Grid trigger endpoint: "How to work with Event Grid triggers and bindings in Azure Functions" (Microsoft Learn).
    throw new Error(
      `--function is not supported yet: for an Event Grid-triggered Function pass --webhook "https://<app>.azurewebsites.net/runtime/webhooks/eventgrid?functionName=<name>&code=<eventgrid_extension system key>"; ` +
        `the model deployer's Function reads a storage queue: pass --queue-url.`,
    );
  }
  const allow = common.allowTokenHost ?? [];
  if (opts.eventHub !== undefined) return new EventHubRedelivery(opts.eventHub, io.credential(), undefined, allow);
  if (opts.webhook !== undefined) return new WebhookRedelivery(opts.webhook);
  if (opts.queueUrl !== undefined) return new QueueRedelivery({ kind: "url", queueUrl: opts.queueUrl, credential: io.credential(), allowTokenHosts: allow });
  const cs = common.connectionString ?? process.env[CONNECTION_STRING_ENV];
  if (!cs) throw new Error("--queue <name> needs --connection-string (or use --queue-url https://<account>.queue.core.windows.net/<queue> with Microsoft Entra sign-in).");
  return new QueueRedelivery({ kind: "connectionString", connectionString: cs, queue: opts.queue ?? "" });
}

function summarize(results: readonly RedeliveryResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function redeliverAction(io: DeadletterIo) {
  return async (opts: RedeliverCliOptions, cmd: Command): Promise<void> => {
    const common = cmd.optsWithGlobals<CommonOptions>();
    const destination = destinationOf(opts, common, io);
    const store = new DeadLetterStore(access(common, io));
    const loaded = await loadDeadLetters(store, common, opts.subscription, io);
    const selection: Selection = { subscription: opts.subscription, ...(opts.id ? { ids: opts.id } : {}), ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.limit ? { limit: opts.limit } : {}) };
    const selected = selectEvents(loaded.events, selection);
    const execute = opts.execute === true;
    if (execute && selected.length > CONFIRM_ABOVE && !opts.yes && !(await io.confirm(`Send ${selected.length} events to ${destination.label}?`))) {
      throw new Error(`Not confirmed: ${selected.length} events selected (more than ${CONFIRM_ABOVE}); answer yes at the prompt or pass --yes, or narrow with --id/--reason/--limit.`);
    }
    const progress = execute ? bar(io, selected.length, "redelivering") : undefined;
    const results = await redeliver(store, destination, selected, {
      execute,
      resendInDoubt: opts.resendInDoubt === true,
      deleteDelivered: opts.delete === true,
      allEvents: loaded.events,
      keepBlobs: loaded.problems.map((p) => p.blobName),
      onProgress: (n) => progress?.update(n),
    });
    progress?.stop();
    const counts = summarize(results);
    if (common.json) io.out(safeJson({ dryRun: !execute, destination: destination.label, counts, results, problems: loaded.problems }));
    else {
      for (const r of results) line(io, `${r.status.padEnd(17)} ${r.eventId}  ${r.blobName}${r.detail ? `  ${r.detail}` : ""}`);
      line(io, `${execute ? "" : "dry run (pass --execute to send): "}${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ") || "nothing selected"}`);
      printProblems(io, loaded.problems, loaded.truncated, common.maxBlobs);
    }
    const failed = ["refused", "no-answer", "in-doubt", "unsendable", "corrupt-mark", "error"].reduce((n, k) => n + (counts[k] ?? 0), 0);
    if (failed > 0) process.exitCode = 1;
  };
}

/**
 * The `deadletter` command (`list`, `explain`, `redeliver`) for the package's `aml-events` bin. Errors are
 * thrown from the actions; the caller decides how to print them (see `main.ts`).
 */
export function deadletterCommand(io: DeadletterIo = defaultIo()): Command {
  const cmd = new Command("deadletter")
    .description("Inspect, explain and redeliver events Event Grid dead-lettered into a blob container.")
    .option("--account-url <url>", "blob endpoint, e.g. https://<account>.blob.core.windows.net (signs in with DefaultAzureCredential)")
    .option("--connection-string <cs>", `storage connection string, for local testing against Azurite (or ${CONNECTION_STRING_ENV})`)
    .option("--container <name>", "dead-letter container", "deadletter")
    .option("--max-blobs <n>", "read at most this many blobs", positiveInt("--max-blobs"), 10000)
    .option("--max-blob-bytes <n>", "skip (and report) blobs larger than this", positiveInt("--max-blob-bytes"), 8 * 1024 * 1024)
    .option(
      "--allow-token-host <host...>",
      "also send the Microsoft Entra token to this host[:port] (an emulator or test server); by default only Azure Blob/Queue Storage and Event Hubs hosts of the public, China and US Government clouds receive it",
    )
    .option("--json", "machine-readable output");
  cmd
    .command("list")
    .description("Group dead-lettered events by subscription and reason.")
    .option("--subscription <name>", "only this event subscription")
    .option("--reason <reason>", "only this dead-letter reason, e.g. MaxDeliveryAttemptsExceeded")
    .action(listAction(io));
  cmd
    .command("explain")
    .description("Route each dead-lettered event through the program's offline plan: which subscription, which clause, what its workflow or Function would do today.")
    .option("--subscription <name>", "only this event subscription")
    .option("--id <id...>", "only these event ids")
    .option("--program <path>", "compiled Pulumi program to plan (a .js file, or a folder with index.js); default: Pulumi.yaml's main in the working directory, else the working directory")
    .option("--config <namespace:key=value>", "stack config the program reads (repeatable), as `pulumi config set` would set it", (v: string, all: string[] = []) => [...all, v])
    .action(explainAction(io));
  cmd
    .command("redeliver")
    .description("Send chosen events again to the subscription's destination. Dry run unless --execute; marks each event so a rerun sends nothing twice.")
    .requiredOption("--subscription <name>", "the event subscription whose dead letters to redeliver")
    .option("--id <id...>", "only these event ids")
    .option("--reason <reason>", "only this dead-letter reason")
    .option("--limit <n>", "at most this many events", positiveInt("--limit"))
    .option("--webhook <url>", "HTTPS endpoint, e.g. the Logic App's callback URL (POST, Event Grid schema array)")
    .option("--queue <name>", "storage queue in the account of --connection-string")
    .option("--queue-url <url>", "storage queue URL (Microsoft Entra sign-in)")
    .option("--event-hub <hub>", "Event Hubs: https://<namespace>.servicebus.windows.net/<hub> or <namespace>/<hub> (Microsoft Entra sign-in; needs Azure Event Hubs Data Sender)")
    .option("--function <id>", "Azure Function (not supported yet: use --webhook with its Event Grid trigger URL)")
    .option("--execute", "send for real (default: dry run)")
    .option("--yes", `do not ask before sending more than ${CONFIRM_ABOVE} events`)
    .option("--resend-in-doubt", "also send events an interrupted run may have sent (marked pending)")
    .option("--delete", "delete a dead-letter blob once every event in it is recorded as sent")
    .action(redeliverAction(io));
  return cmd;
}
