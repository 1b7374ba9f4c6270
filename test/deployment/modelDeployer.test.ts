import * as assert from "assert";
import { leastPrivilegeRoleGuid } from "../../lib/rbac/customRoles";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { DeployRule, ModelDeployer, modelDeployerFilter, validateModelDeployerArgs, DEFAULT_DEPLOYER_PACKAGE } from "../../lib/deployment";
import { AmlEventType } from "../../lib/events";
import { BuiltInRole } from "../../lib/rbac";
import { WorkspaceEvents } from "../../lib/workspace";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";

const PACKAGE = join(mkdtempSync(join(tmpdir(), "deployer-pkg-")), "function-app.zip");
writeFileSync(PACKAGE, "PK\u0005\u0006" + "\u0000".repeat(18));

/** Resources whose parent is the ModelDeployer named `name` (its direct children). */
async function children(name: string) {
  const rs = await registered(name);
  return rs.filter((r) => r.parent?.endsWith(`aml-events:index:ModelDeployer::${name}`));
}

const RULES: DeployRule[] = [
  { models: ["sklearn_regression_model"], tags: { stage: ["production"], team: ["churn"] }, endpointName: "ep-churn-prod", instanceType: "Standard_F4s_v2", instanceCount: 2 },
];

function deployer(name: string, extra: Partial<ConstructorParameters<typeof ModelDeployer>[1]> = {}): { ws: string; events: WorkspaceEvents; md: ModelDeployer } {
  const ws = workspaceId(name);
  const events = new WorkspaceEvents(`${name}-events`, { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
  const md = new ModelDeployer(name, { events, rules: RULES, resourceGroupName: "rg-ml", location: "westeurope", packagePath: PACKAGE, ...extra });
  return { ws, events, md };
}

describe("ModelDeployer", () => {
  it("creates a Flex Consumption function app with identity-based storage, App Insights and hardened settings", async () => {
    const { ws } = deployer("mda");
    const rs = await children("mda");
    const byType = (t: string) => rs.filter((r) => r.type === t);
    assert.deepStrictEqual(
      rs.filter((r) => r.custom).map((r) => r.type).sort(),
      [
        "azure-native:applicationinsights:Component",
        "azure-native:authorization:RoleAssignment",
        "azure-native:authorization:RoleAssignment",
        "azure-native:authorization:RoleAssignment",
        "azure-native:authorization:RoleAssignment",
        "azure-native:authorization:RoleAssignment", // one per queue
        "azure-native:authorization:RoleDefinition",
        "azure-native:monitor:ScheduledQueryRule",
        "azure-native:operationalinsights:Workspace",
        "azure-native:storage:BlobContainer",
        "azure-native:storage:BlobContainer", // the endpoint leases
        "azure-native:storage:Queue",
        "azure-native:storage:Queue", // the poison queue
        "azure-native:storage:StorageAccount",
        "azure-native:web:AppServicePlan",
        "azure-native:web:WebApp",
        "pulumi-nodejs:dynamic:Resource",
        "pulumi-nodejs:dynamic:Resource", // the custom role's replication wait
        "random:index/randomString:RandomString",
      ],
    );
    const plan = byType("azure-native:web:AppServicePlan")[0].inputs;
    assert.deepStrictEqual(plan.sku, { name: "FC1", tier: "FlexConsumption" });
    assert.strictEqual(plan.reserved, true);
    const app = byType("azure-native:web:WebApp")[0].inputs as Record<string, unknown> & { siteConfig: Record<string, unknown>; functionAppConfig: Record<string, unknown> };
    assert.strictEqual(app.kind, "functionapp,linux");
    assert.strictEqual(app.httpsOnly, true);
    assert.deepStrictEqual(app.identity, { type: "SystemAssigned" });
    assert.strictEqual(app.siteConfig.minTlsVersion, "1.2");
    // Flex Consumption rejects these (ARM error 51021); azure-native injects netFrameworkVersion "v4.6" by default.
    for (const key of ["ftpsState", "netFrameworkVersion", "use32BitWorkerProcess", "linuxFxVersion", "preWarmedInstanceCount"]) {
      assert.ok(!(key in app.siteConfig), `siteConfig.${key} must not reach ARM, got ${JSON.stringify(app.siteConfig[key])}`);
    }
    assert.strictEqual(app.siteConfig.scmMinTlsVersion, "1.2");
    const settings = Object.fromEntries((app.siteConfig.appSettings as { name: string; value: string }[]).map((s) => [s.name, s.value]));
    const accountName = byType("azure-native:storage:StorageAccount")[0].inputs.accountName as string;
    assert.match(accountName, /^stmda[0-9a-z]{8}$/);
    // Globally unique names end with a random suffix kept in state (not a hash two organisations would share).
    const suffix = byType("random:index/randomString:RandomString")[0];
    assert.deepStrictEqual(suffix.inputs, { length: 8, lower: true, upper: false, numeric: true, special: false });
    const appName = app.name as string;
    assert.strictEqual(accountName.slice(-8), appName.slice(-8), "one suffix for both global names");
    assert.strictEqual(settings.AzureWebJobsStorage__accountName, accountName);
    assert.strictEqual(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING, "Authorization=AAD");
    assert.strictEqual(settings.AML_WORKSPACE_ID, ws);
    assert.strictEqual(settings.AML_WORKSPACE_LOCATION, "westeurope");
    assert.deepStrictEqual(JSON.parse(settings.DEPLOY_RULES), RULES);
    assert.ok(!("FUNCTIONS_WORKER_RUNTIME" in settings) && !("WEBSITE_RUN_FROM_PACKAGE" in settings), "not allowed on Flex Consumption");
    assert.deepStrictEqual(app.functionAppConfig, {
      deployment: {
        storage: { type: "blobContainer", value: `https://${accountName}.blob.core.windows.net/app-package`, authentication: { type: "SystemAssignedIdentity" } },
      },
      runtime: { name: "node", version: "22" },
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 },
    });
    const account = byType("azure-native:storage:StorageAccount")[0].inputs;
    assert.strictEqual(account.allowSharedKeyAccess, false, "no shared keys: the code goes through one deploy");
    const publish = byType("pulumi-nodejs:dynamic:Resource").find((r) => r.inputs.functionName !== undefined);
    assert.ok(publish, "the code publish");
    assert.strictEqual(publish.inputs.functionName, "deployOnModelRegistered");
    assert.strictEqual(publish.inputs.armEndpoint, "https://management.azure.com");
    assert.match(publish.inputs.packageHash as string, /^[0-9a-f]{64}$/);
    assert.ok(!("token" in publish.inputs), "no token among the publish inputs (obtained at run time, never stored)");
    assert.deepStrictEqual(publish.secretPaths, [], "nothing secret is an input of the publish");
    assert.strictEqual(account.allowBlobPublicAccess, false);
    assert.strictEqual(account.minimumTlsVersion, "TLS1_2");
    const ai = byType("azure-native:applicationinsights:Component")[0].inputs;
    assert.strictEqual(ai.disableLocalAuth, true);
    assert.strictEqual(ai.ingestionMode, "LogAnalytics");
  });

  it("creates endpoints in the workspace's region (the events component's), not the Function App's, unless told otherwise", async () => {
    const events = new WorkspaceEvents("mdr-events", { workspaceId: workspaceId("mdr"), resourceGroupName: "rg-ml", location: "westeurope" });
    new ModelDeployer("mdr", { events, rules: RULES, resourceGroupName: "rg-fn", location: "swedencentral", packagePath: PACKAGE });
    new ModelDeployer("mds", { events, rules: RULES, resourceGroupName: "rg-fn", location: "swedencentral", workspaceLocation: "northeurope", packagePath: PACKAGE, subscriptionName: "mds-deploy" });
    for (const [name, expected] of [
      ["mdr", "westeurope"],
      ["mds", "northeurope"],
    ]) {
      const app = (await children(name)).find((r) => r.type === "azure-native:web:WebApp");
      assert.ok(app, `${name}: a WebApp`);
      assert.strictEqual(app.inputs.location, "swedencentral");
      const settings = Object.fromEntries(((app.inputs.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings).map((x) => [x.name, x.value]));
      assert.strictEqual(settings.AML_WORKSPACE_LOCATION, expected, name);
    }
  });

  it("grants each role on exactly one resource to the app's identity", async () => {
    const { ws, md } = deployer("mdb");
    const rs = await children("mdb");
    const principal = await promiseOf(md.principalId);
    assert.match(principal, /^[0-9a-f-]{36}$/);
    const grants = rs
      .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
      .map((r) => ({ role: String(r.inputs.roleDefinitionId).split("/").pop(), scope: r.inputs.scope, principal: r.inputs.principalId }))
      .sort((a, b) => `${a.role} ${String(a.scope)}`.localeCompare(`${b.role} ${String(b.scope)}`));
    const account = rs.find((r) => r.type === "azure-native:storage:StorageAccount");
    const ai = rs.find((r) => r.type === "azure-native:applicationinsights:Component");
    const queueId = (q: string) => rs.find((r) => r.type === "azure-native:storage:Queue" && r.inputs.queueName === q)?.id;
    assert.match(String(queueId("model-registered")), /\/storageAccounts\/[^/]+\/queueServices\/default\/queues\/model-registered$/);
    // Queue data roles sit on each queue (the narrowest scope Azure supports); blob data stays account-wide
    // because the Functions host storage needs the account.
    const expected = [
      { role: leastPrivilegeRoleGuid("modelDeployer", ws), scope: ws, principal },
      { role: BuiltInRole.StorageBlobDataOwner, scope: account?.id, principal },
      { role: BuiltInRole.StorageQueueDataContributor, scope: queueId("model-registered"), principal },
      { role: BuiltInRole.StorageQueueDataContributor, scope: queueId("model-registered-poison"), principal },
      { role: BuiltInRole.MonitoringMetricsPublisher, scope: ai?.id, principal },
    ].sort((a, b) => `${a.role} ${String(a.scope)}`.localeCompare(`${b.role} ${String(b.scope)}`));
    assert.deepStrictEqual(grants, expected);
    assert.ok(!grants.some((g) => g.role === BuiltInRole.StorageQueueDataContributor && g.scope === account?.id), "no account-wide queue role");
    // The deployer role's assignment waits for the definition's replication.
    const wait = rs.find((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.inputs.roleDefinitionId !== undefined);
    const amlGrant = rs.find((r) => r.type === "azure-native:authorization:RoleAssignment" && String(r.inputs.roleDefinitionId).endsWith(leastPrivilegeRoleGuid("modelDeployer", ws)));
    assert.ok(wait && amlGrant?.dependencies?.includes(wait.urn), "the assignment depends on the replication wait");
  });

  it("queues ModelRegistered (identity delivery) with the rules' tags as advanced filters, after the function is indexed", async () => {
    const { md } = deployer("mdc", { maxDeliveryAttempts: 10 });
    const rs = await registered("mdc-events");
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.ok(sub);
    assert.strictEqual(sub.inputs.eventSubscriptionName, "mdc-model-registered");
    assert.deepStrictEqual(sub.inputs.filter, {
      includedEventTypes: [AmlEventType.ModelRegistered],
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
      advancedFilters: [
        { operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model"] },
        { operatorType: "StringIn", key: "data.modelTags.stage", values: ["production"] },
        { operatorType: "StringIn", key: "data.modelTags.team", values: ["churn"] },
      ],
    });
    const own = await children("mdc");
    const account = own.find((r) => r.type === "azure-native:storage:StorageAccount");
    const queue = own.find((r) => r.type === "azure-native:storage:Queue");
    assert.strictEqual(queue?.inputs.queueName, "model-registered");
    assert.strictEqual(sub.inputs.destination, undefined, "identity delivery only");
    assert.deepStrictEqual(sub.inputs.deliveryWithResourceIdentity, {
      identity: { type: "SystemAssigned" },
      destination: { endpointType: "StorageQueue", resourceId: account?.id, queueName: "model-registered" },
    });
    const sender = (await registered("mdc-events")).find((r) => r.type === "azure-native:authorization:RoleAssignment" && String(r.inputs.roleDefinitionId).endsWith(BuiltInRole.StorageQueueDataMessageSender));
    assert.strictEqual(sender?.inputs.scope, queue?.id, "the topic may only send to this queue");
    const publish = own.find((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.inputs.functionName !== undefined);
    assert.ok(publish && sub.dependencies?.includes(publish.urn), "the subscription waits for the code deployment and its indexing check");
    const alert = own.find((r) => r.type === "azure-native:monitor:ScheduledQueryRule");
    assert.match(JSON.stringify(alert?.inputs.criteria), /model-registered-poison/);
    assert.deepStrictEqual(sub.inputs.retryPolicy, { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 1440 });
    assert.ok(sub.inputs.deadLetterWithResourceIdentity, "dead-lettered");
    assert.deepStrictEqual(md.filter, modelDeployerFilter(RULES));
  });

  it("rejects bad arguments before creating anything, naming each problem", () => {
    const events = new WorkspaceEvents("mdd-events", { workspaceId: workspaceId("mdd"), resourceGroupName: "rg-ml", location: "westeurope" });
    assert.throws(
      () =>
        new ModelDeployer("mdd_x", {
          events,
          rules: [{ models: ["sklearn_regression_model"], tags: {}, endpointName: "x", trafficPercent: 120 }],
          resourceGroupName: "rg ml",
          location: "westeurope",
          maximumInstanceCount: 5,
          packagePath: "/nonexistent/function-app.zip",
        }),
      (e: unknown) => {
        assert.ok(e instanceof pulumi.ResourceError);
        for (const part of [/name "mdd_x" is used in Azure resource names/, /resourceGroupName "rg ml" is not a valid resource group name/, /rules\[0\]\.tags/, /rules\[0\]\.endpointName "x".*unique within the Azure region/, /trafficPercent: got 120/, /maximumInstanceCount: got 5/, /npm run build/]) {
          assert.match(e.message, part);
        }
        return true;
      },
    );
    assert.deepStrictEqual(
      validateModelDeployerArgs({ events, rules: RULES, resourceGroupName: "rg", location: "westeurope", packagePath: PACKAGE, instanceMemoryMB: 1024 as 2048, storageAccountName: "Bad_Name" }),
      [
        "instanceMemoryMB: got 1024; Flex Consumption instances have 512, 2048 or 4096 MB.",
        'storageAccountName: got "Bad_Name"; use 3–24 lowercase letters and digits.',
      ],
    );
    assert.ok(DEFAULT_DEPLOYER_PACKAGE.endsWith(join("dist", "lib", "deployment", "function-app.zip")));
  });

  it("refuses endpoints that would carry the deploying identity's token in clear or are not URLs", () => {
    const events = new WorkspaceEvents("mde-events", { workspaceId: workspaceId("mde"), resourceGroupName: "rg-ml", location: "westeurope" });
    const base = { events, rules: RULES, resourceGroupName: "rg", location: "westeurope", packagePath: PACKAGE };
    assert.deepStrictEqual(validateModelDeployerArgs({ ...base, armEndpoint: "http://arm.contoso.com", scmUrl: "not a url" }), [
      'armEndpoint: got "http://arm.contoso.com"; the deploying identity\'s token is sent there, so use https:// (http:// only for a loopback test server).',
      'scmUrl: got "not a url"; expected an absolute URL such as https://management.azure.com.',
    ]);
    assert.deepStrictEqual(validateModelDeployerArgs({ ...base, armEndpoint: "https://management.chinacloudapi.cn", scmUrl: "http://127.0.0.1:8080" }), []);
  });
});
