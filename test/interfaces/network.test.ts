import * as assert from "assert";
import { CMK_UNSUPPORTED, keyVaultUri, factoryEncryptionProps, storageEncryptionProps, validateCustomerManagedKey } from "../../lib/interfaces/customerManagedKey";
import { factoryIsolationProps } from "../../lib/retraining/isolation";
import { DriftRetrainTriggerArgs } from "../../lib/retraining/types";
import { validateIsolationArgs } from "../../lib/interfaces/isolation";
import { armIdProblems, effectiveAccess, monitorNetworkProps, storageNetworkProps, SUBNET_ID, validatePublicNetworkAccess } from "../../lib/interfaces/network";
import { privateEndpointNames, PrivateLinkOffer, validatePrivateEndpoints } from "../../lib/interfaces/privateEndpoints";

import { IDENTITY, SUB, SUBNET, VAULT, zone } from "./fixtures";

const OFFER: PrivateLinkOffer = { defaultService: "sites", services: { sites: "the app", blob: "its storage", queue: "its storage" } };

/** Asserts that `problems` has one entry containing every fragment. */
function assertOne(problems: string[], ...fragments: string[]): void {
  assert.ok(
    problems.some((p) => fragments.every((f) => p.includes(f))),
    `expected a problem containing ${JSON.stringify(fragments)}, got:\n${problems.join("\n")}`,
  );
}

describe("interfaces: publicNetworkAccess", () => {
  it("takes Azure's two values in Azure's case and refuses the rest, naming the value and the fix", () => {
    assert.deepStrictEqual(validatePublicNetworkAccess("X", "publicNetworkAccess", "Enabled"), []);
    assert.deepStrictEqual(validatePublicNetworkAccess("X", "publicNetworkAccess", "Disabled"), []);
    assert.deepStrictEqual(validatePublicNetworkAccess("X", "publicNetworkAccess", undefined), []);
    assertOne(validatePublicNetworkAccess("X", "publicNetworkAccess", "disabled"), 'X: publicNetworkAccess "disabled"', 'write "Disabled"', '"Enabled" or "Disabled"');
    assertOne(validatePublicNetworkAccess("X", "publicNetworkAccess", "Off"), '"Off" is not supported');
    assertOne(validatePublicNetworkAccess("X", "publicNetworkAccess", false), "false is not supported");
  });

  it("builds storage and Azure Monitor properties: Disabled keeps the trusted-services exception; unset changes nothing", () => {
    assert.deepStrictEqual(storageNetworkProps(undefined), {});
    assert.deepStrictEqual(storageNetworkProps("Enabled"), { publicNetworkAccess: "Enabled" });
    assert.deepStrictEqual(storageNetworkProps("Disabled"), { publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" } });
    assert.deepStrictEqual(monitorNetworkProps(undefined), {});
    assert.deepStrictEqual(monitorNetworkProps("Disabled"), { publicNetworkAccessForIngestion: "Disabled", publicNetworkAccessForQuery: "Disabled" });
    assert.strictEqual(effectiveAccess(undefined, 0), undefined);
    assert.strictEqual(effectiveAccess(undefined, 2), "Disabled");
    assert.strictEqual(effectiveAccess("Enabled", 0), "Enabled");
  });
});

describe("interfaces: ARM ids", () => {
  const cases: [string, unknown, string][] = [
    ["a virtual network, not a subnet", `${SUB}/Microsoft.Network/virtualNetworks/vnet-ml`, "is not a Microsoft.Network/virtualNetworks/subnets id"],
    ["a dot-dot segment", `${SUB}/Microsoft.Network/virtualNetworks/vnet-ml/subnets/../subnets/snet`, "has a '..' segment"],
    ["an encoded segment", `${SUB}/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet%2Fx`, "encoded"],
    ["a storage account", `${SUB}/Microsoft.Storage/storageAccounts/stml`, "is not a Microsoft.Network/virtualNetworks/subnets id"],
    ["a subnet's child", `${SUB}/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet/delegations/d`, "is not a Microsoft.Network/virtualNetworks/subnets id"],
    ["no leading slash", SUBNET.slice(1), "does not start with '/'"],
    ["a number", 42, "is not an ARM id"],
  ];
  for (const [label, value, fragment] of cases) {
    it(`refuses ${label} as a subnet id`, () => assertOne(armIdProblems("X", "virtualNetworkSubnetId", value, SUBNET_ID), "X: virtualNetworkSubnetId", fragment, "expected /subscriptions/"));
  }
  it("accepts a subnet id (any case of the type) and an unknown output", () => {
    assert.deepStrictEqual(armIdProblems("X", "s", SUBNET, SUBNET_ID), []);
    assert.deepStrictEqual(armIdProblems("X", "s", SUBNET.replace("Microsoft.Network/virtualNetworks", "microsoft.network/VIRTUALNETWORKS"), SUBNET_ID), []);
    assert.deepStrictEqual(armIdProblems("X", "s", { then: 1 }, SUBNET_ID), []);
  });
});

describe("interfaces: privateEndpoints", () => {
  it("accepts endpoints on offered services, with zones that resolve them, and names them `${name}-pe-${service}`", () => {
    const pes = [{ subnetResourceId: SUBNET }, { subnetResourceId: SUBNET, service: "blob", privateDnsZoneResourceIds: [zone("privatelink.blob.core.windows.net")] }, { subnetResourceId: SUBNET.replace("snet-pe", "snet-b"), service: "blob" }];
    assert.deepStrictEqual(validatePrivateEndpoints("X", "privateEndpoints", pes, OFFER), []);
    assert.deepStrictEqual(privateEndpointNames("d", pes, "sites"), ["d-pe-sites", "d-pe-blob", "d-pe-blob-2"]);
  });

  const cases: [string, unknown, string[], ("Enabled" | "Disabled")?][] = [
    ["a service the resource doesn't offer", [{ subnetResourceId: SUBNET, service: "namespace" }], ['privateEndpoints[0].service "namespace" is not a private-link sub-resource', '"sites" (the app)', '"blob" (its storage)']],
    ["a misspelt (case) service", [{ subnetResourceId: SUBNET, service: "Blob" }], ['service "Blob"', 'case-sensitive: "blob"']],
    ["a misspelt key", [{ subnetResourceID: SUBNET }], ["unknown argument 'privateEndpoints[0].subnetResourceID'; did you mean 'privateEndpoints[0].subnetResourceId'?"]],
    ["a missing subnet", [{ service: "sites" }], ["privateEndpoints[0].subnetResourceId is required"]],
    ["a hostile subnet id", [{ subnetResourceId: `${SUBNET}/../../x/subnets/y` }], ["privateEndpoints[0].subnetResourceId", "'..' segment"]],
    ["a zone id of the wrong type", [{ subnetResourceId: SUBNET, privateDnsZoneResourceIds: [`${SUB}/Microsoft.Network/dnsZones/contoso.com`] }], ["privateDnsZoneResourceIds[0]", "is not a Microsoft.Network/privateDnsZones id"]],
    ["a zone of another service", [{ subnetResourceId: SUBNET, service: "queue", privateDnsZoneResourceIds: [zone("privatelink.blob.core.windows.net")] }], ['service "queue" resolves in privatelink.queue.core.windows.net']],
    ["tags that are not strings", [{ subnetResourceId: SUBNET, tags: { team: 42 } }], ["privateEndpoints[0].tags must map tag names to strings"]],
    ["a bad endpoint name", [{ subnetResourceId: SUBNET, name: "pe with spaces" }], ['privateEndpoints[0].name "pe with spaces"']],
    ["the same service twice in one subnet", [{ subnetResourceId: SUBNET }, { subnetResourceId: SUBNET, service: "sites" }], ['service "sites" twice']],
    ["not a list", { subnetResourceId: SUBNET }, ["privateEndpoints must be a list"]],
    ["endpoints with public access forced on", [{ subnetResourceId: SUBNET }], ['privateEndpoints is set while publicNetworkAccess is "Enabled"', 'set it to "Disabled"'], "Enabled"],
  ];
  for (const [label, value, fragments, access] of cases) {
    it(`refuses ${label}`, () => assertOne(validatePrivateEndpoints("X", "privateEndpoints", value, OFFER, access), ...fragments));
  }

  it("refuses any endpoint where the component offers none, with its reason", () => {
    assertOne(validatePrivateEndpoints("X", "privateEndpoints", [{ subnetResourceId: SUBNET }], "no storage here."), "X: privateEndpoints is not supported: no storage here.");
    assert.deepStrictEqual(validatePrivateEndpoints("X", "privateEndpoints", undefined, "no storage here."), []);
  });
});

describe("interfaces: customerManagedKey", () => {
  const key = { keyVaultResourceId: VAULT, keyName: "cmk-ml", userAssignedIdentityResourceId: IDENTITY };

  it("accepts a vault, key, optional version and user-assigned identity", () => {
    assert.deepStrictEqual(validateCustomerManagedKey("X", "customerManagedKey", key), []);
    assert.deepStrictEqual(validateCustomerManagedKey("X", "customerManagedKey", { ...key, keyVersion: "0123456789abcdef0123456789ABCDEF" }), []);
  });

  const cases: [string, unknown, string[]][] = [
    ["no user-assigned identity", { keyVaultResourceId: VAULT, keyName: "k" }, ["customerManagedKey.userAssignedIdentityResourceId is required", "user-assigned identity"]],
    ["a system-assigned identity's resource instead", { ...key, userAssignedIdentityResourceId: `${SUB}/Microsoft.Web/sites/app` }, ["is not a Microsoft.ManagedIdentity/userAssignedIdentities id"]],
    ["a key vault id of the wrong type", { ...key, keyVaultResourceId: `${SUB}/Microsoft.Storage/storageAccounts/stml` }, ["customerManagedKey.keyVaultResourceId", "is not a Microsoft.KeyVault/vaults id"]],
    ["a key id passed as the vault id", { ...key, keyVaultResourceId: `${VAULT}/keys/cmk-ml` }, ["is not a Microsoft.KeyVault/vaults id"]],
    ["a vault id with '..'", { ...key, keyVaultResourceId: `${VAULT}/../vaults/other` }, ["'..' segment"]],
    ["a bad vault name", { ...key, keyVaultResourceId: `${SUB}/Microsoft.KeyVault/vaults/1kv` }, ['names the vault "1kv"']],
    ["a bad key name", { ...key, keyName: "cmk/ml" }, ['keyName "cmk/ml"']],
    ["a key version that is not one", { ...key, keyVersion: "latest" }, ['keyVersion "latest"', "32 hexadecimal"]],
    ["a misspelt key", { ...key, keyVaultId: VAULT }, ["unknown argument 'customerManagedKey.keyVaultId'", "keyVaultResourceId"]],
  ];
  for (const [label, value, fragments] of cases) {
    it(`refuses ${label}`, () => assertOne(validateCustomerManagedKey("X", "customerManagedKey", value), ...fragments));
  }

  it("refuses a key where the component can't apply one, with the reason", () => {
    assertOne(validateCustomerManagedKey("X", "customerManagedKey", key, CMK_UNSUPPORTED.eventHubsStandard), "not supported", "Premium and Dedicated");
  });

  it("builds storage and factory encryption exactly", () => {
    assert.strictEqual(keyVaultUri(VAULT), "https://kv-ml-keys.vault.azure.net/");
    const account = { enabled: true, keyType: "Account" };
    assert.deepStrictEqual(storageEncryptionProps({ ...key, keyVersion: "0123456789abcdef0123456789abcdef" }), {
      identity: { type: "UserAssigned", userAssignedIdentities: [IDENTITY] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "cmk-ml", keyVaultUri: "https://kv-ml-keys.vault.azure.net/", keyVersion: "0123456789abcdef0123456789abcdef" },
        encryptionIdentity: { encryptionUserAssignedIdentity: IDENTITY },
        services: { blob: account, file: account, queue: account, table: account },
      },
    });
    assert.deepStrictEqual(factoryEncryptionProps(key), { encryption: { vaultBaseUrl: "https://kv-ml-keys.vault.azure.net/", keyName: "cmk-ml", identity: { userAssignedIdentity: IDENTITY } } });
    // The factory keeps its system identity (its activities run as it) and carries the key's identity and
    // managedIdentities' ones, each once whatever its case.
    const trigger = (extra: Partial<DriftRetrainTriggerArgs>) => factoryIsolationProps({ createPipeline: {}, ...extra } as DriftRetrainTriggerArgs).identity;
    assert.deepStrictEqual(trigger({}), { type: "SystemAssigned" });
    assert.deepStrictEqual(trigger({ customerManagedKey: key }), { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [IDENTITY]: {} } });
    const other = IDENTITY.replace(/[^/]+$/, "id-ml-ops");
    assert.deepStrictEqual(trigger({ customerManagedKey: key, managedIdentities: { userAssignedResourceIds: [IDENTITY.toUpperCase(), other] } }), {
      type: "SystemAssigned,UserAssigned",
      userAssignedIdentities: { [IDENTITY.toUpperCase()]: {}, [other]: {} },
    });
    assert.deepStrictEqual(storageEncryptionProps(undefined), {});
  });
});

describe("interfaces: validateIsolationArgs", () => {
  it("refuses publicNetworkAccess where it applies to nothing, and passes an empty set", () => {
    assert.deepStrictEqual(validateIsolationArgs("X", {}, { privateEndpoints: "none." }), []);
    assertOne(validateIsolationArgs("X", { publicNetworkAccess: "Enabled" }, { privateEndpoints: "none.", publicNetworkAccess: "nothing here." }), "is not supported here: nothing here.");
    assertOne(validateIsolationArgs("", { publicNetworkAccess: "disabled" as never }, { privateEndpoints: OFFER }), 'publicNetworkAccess "disabled"');
  });
});
