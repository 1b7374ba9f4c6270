/**
 * The upgrade test's program: config `phase` = `legacy` declares the stream with the previous release's
 * class, `current` with today's EventHubStream (new token, alias from the old one), `unaliased` the
 * control: the previous class under the new token without an alias. Same name, same args.
 */
import * as pulumi from "@pulumi/pulumi";
import { EventHubStream, SAMPLE_WORKSPACE_ID, WorkspaceEvents } from "aml-event-workflows";
import { LegacyEventHubStream } from "./legacyEventHubStream";

const phase = new pulumi.Config().require("phase");
const events = new WorkspaceEvents("ml", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml", location: "westeurope" });
const stream =
  phase === "legacy" ? new LegacyEventHubStream("stream", { events })
  : phase === "unaliased" ? new LegacyEventHubStream("stream", { events }, EventHubStream.__type)
  : new EventHubStream("stream", { events });
export const eventHubId = stream.eventHubId;
