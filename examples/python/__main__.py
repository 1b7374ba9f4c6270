"""The platform program in Python: the twin of examples/platform (TypeScript).

One Azure Machine Learning workspace's events wired to email alerts, retraining on model monitor
breaches, tag-driven model deployment, an Event Hubs stream and monitoring, through the
`aml-events` component package (`pulumi package add ../../plugin` generates the `pulumi_aml_events`
module). Same config keys (namespace `platform`) and defaults as the TypeScript program, so both
declare the same resources:

    pulumi config set platform:workspaceId /subscriptions/…/workspaces/mlw-platform
    pulumi config set platform:location westeurope
    pulumi config set --path 'platform:alertRecipients[0]' ml-oncall@contoso.com
    pulumi config set --secret platform:failureWebhookUrl https://hooks.contoso.com/aml/run-failed
"""
import re

import pulumi
import pulumi_aml_events as aml

# The sample workspace the offline plan's events come from.
SAMPLE_WORKSPACE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform"
    "/providers/Microsoft.MachineLearningServices/workspaces/mlw-platform"
)

config = pulumi.Config("platform")
workspace_id = config.get("workspaceId") or SAMPLE_WORKSPACE_ID
group = re.search(r"resourceGroups/([^/]+)", workspace_id, re.IGNORECASE)
resource_group_name = config.get("resourceGroupName") or (group.group(1) if group else "rg-ml-platform")
location = config.get("location") or "westeurope"
alert_recipients = config.get_object("alertRecipients") or ["ml-oncall@contoso.com"]
model_reviewers = config.get_object("modelReviewers") or ["model-review@contoso.com"]
retrain_batch_endpoint = config.get("retrainBatchEndpoint") or "retrain-credit-default"
model_monitor_name = config.get("modelMonitorName") or "credit-default-monitor"
ops_recipients = config.get_object("opsRecipients") or ["ml-platform-ops@contoso.com"]
log_analytics_workspace_id = config.get("logAnalyticsWorkspaceId")
# The webhook URL usually carries its key: read it as a secret (set with `pulumi config set --secret`).
failure_webhook_url = config.get_secret("failureWebhookUrl")
arm_endpoint = config.get("armEndpoint")
scm_url = config.get("scmUrl")

platform = aml.MlEventWorkflows(
    "platform",
    workspace_id=workspace_id,
    resource_group_name=resource_group_name,
    location=location,
    tags={"workload": "ml-platform", "managedBy": "pulumi"},
    # Every subscription lives on the workspace's one system topic: keep it from being deleted by accident.
    lock=aml.TopicLockArgs(kind=aml.TopicLockKind.CAN_NOT_DELETE),
    email=aml.EmailOptionsArgs(
        recipients=alert_recipients,
        alerts=[
            aml.EmailAlertRuleArgs(event_type=aml.AmlEventType.RUN_STATUS_CHANGED, run_statuses=["failed"]),
            # Model monitor breaches: the signal and the features that breached.
            aml.EmailAlertRuleArgs(event_type=aml.AmlEventType.RUN_STATUS_CHANGED, kind=aml.EmailAlertRuleKind.MODEL_MONITOR_BREACH),
            # No mail for every finished run: over the Azure-managed domain's 10 emails/hour on its own.
            aml.EmailAlertRuleArgs(event_type=aml.AmlEventType.MODEL_REGISTERED, recipients=model_reviewers),
            aml.EmailAlertRuleArgs(event_type=aml.AmlEventType.MODEL_DEPLOYED),
        ],
    ),
    retrain=aml.RetrainOptionsArgs(
        # Model monitoring (v2) breaches of this monitor retrain, at most once per breach and once per signal every 6 hours.
        model_monitor=aml.ModelMonitorSourceArgs(monitor_names=[model_monitor_name]),
        cool_down_hours=6,
        # The retraining registers this model; its tag is what the deployer's classification rule deploys (the loop).
        retrained_model=aml.RetrainedModelArgs(name="credit-default", tags={"type": "classification", "trigger": "model-monitor-breach"}),
        create_pipeline=aml.CreateRetrainPipelineArgs(
            batch_endpoint=aml.BatchEndpointRetrainArgs(endpoint_name=retrain_batch_endpoint, region=location, experiment_name="retrain-on-breach"),
        ),
    ),
    deployer=aml.DeployerOptionsArgs(
        rules=[
            aml.DeployRuleArgs(models=["sklearn_regression_model"], tags={"type": ["regression"]}, endpoint_name="contoso-regression-4k9d2", instance_type="Standard_DS3_v2", instance_count=2, traffic_percent=100),
            aml.DeployRuleArgs(models=["credit-default"], tags={"type": ["classification"]}, endpoint_name="contoso-credit-7m3q8", instance_type="Standard_DS3_v2", instance_count=1, traffic_percent=100),
        ],
        arm_endpoint=arm_endpoint,
        scm_url=scm_url,
    ),
    streaming=aml.StreamingOptionsArgs(),
    # The platform team's own subscription on the same system topic: failed runs to the on-call tool. A
    # webhook must answer Event Grid's validation handshake when the subscription is created, so without a
    # real endpoint the subscription is skipped rather than failing `pulumi up`.
    subscriptions=[
        aml.WorkspaceSubscriptionArgs(
            name="run-failed-oncall",
            destination=aml.SubscriptionDestinationArgs(
                webhook=aml.WebhookTargetArgs(endpoint_url=failure_webhook_url, description="on-call webhook"),
            ),
            included_event_types=[aml.AmlEventType.RUN_STATUS_CHANGED],
            filter=aml.StreamFilterArgs(
                advanced_filters=[aml.StreamAdvancedFilterArgs(operator_type="StringIn", key="data.runStatus", values=["failed"])],
            ),
            max_delivery_attempts=10,
            event_time_to_live_in_minutes=120,
        )
    ]
    if failure_webhook_url
    else None,
    monitoring=aml.MonitoringOptionsArgs(
        recipients=ops_recipients,
        log_analytics=aml.ExistingLogAnalyticsArgs(workspace_id=log_analytics_workspace_id) if log_analytics_workspace_id else None,
    ),
)

if failure_webhook_url is None:
    pulumi.log.warn(
        "platform:failureWebhookUrl is not set, so the on-call webhook subscription run-failed-oncall is skipped. "
        "Set it with `pulumi config set --secret platform:failureWebhookUrl https://<your on-call endpoint>`."
    )

pulumi.export("outputs", platform.outputs)
