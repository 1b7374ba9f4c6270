/**
 * A stack for the live-stack policy tests: deployed with `pulumi up` and no policy pack, then checked
 * from its state with `pulumi policy analyze` and with the `pulumi stack export` recipe. It holds a
 * dead-letter container grant that a subscription without dead-lettering depends on (so the state
 * records the grant first), an http webhook (mandatory), a breach filter no breach can match and a
 * custom role assignable at one resource (both advisory).
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyResourceInput } from "../../../../policy/api";
import { AmlEventType } from "../../../../lib/events/types";
import { BREACH_HEAD_FRAGMENT } from "../../../../lib/monitoring/breachFilter";
import { BREACH_TAG } from "../../../../lib/monitoring/breachTag";
import { RG, roleAssignment, STORAGE, subscription, topic } from "../../../policy/fixtures";
import { packageVersion } from "../../providers/urn";

/** Any azure-native resource by type token (the offline provider plugin answers for every token). */
class AzureResource extends pulumi.CustomResource {}

const version = packageVersion("@pulumi/azure-native");
const declare = (r: PolicyResourceInput, dependsOn: pulumi.Resource[] = []): AzureResource => new AzureResource(r.type, r.name, r.props, { version, dependsOn });

const events = declare(topic("mlw-live-events"));
const grant = declare(roleAssignment("dead-letter-writer", "StorageBlobDataContributor", `${STORAGE}/blobServices/default/containers/deadletter`), [events]);
declare(subscription("run-failed", { deadLetterWithResourceIdentity: undefined }), [events, grant]);
declare(subscription("http-alerts", { destination: { endpointType: "WebHook", endpointUrl: "http://alerts.contoso.com/api/aml" } }), [events, grant]);
declare(
  subscription("drift-breach", {
    filter: {
      includedEventTypes: [AmlEventType.RunStatusChanged],
      advancedFilters: [{ operatorType: "StringIn", key: `data.runTags.${BREACH_TAG}`, values: [BREACH_HEAD_FRAGMENT] }],
    },
  }),
  [events, grant],
);
declare({
  type: "azure-native:authorization:RoleDefinition",
  name: "acs-sender-role",
  props: {
    roleName: "acs-sender",
    roleType: "CustomRole",
    scope: RG.split("/resourceGroups/")[0],
    assignableScopes: [`${RG}/providers/Microsoft.Communication/communicationServices/acs-mail`],
    permissions: [{ actions: ["Microsoft.Communication/CommunicationServices/Read"] }],
  },
});
