"""Streams an Azure Machine Learning workspace's events to a new Event Hub, from Python.

The twin of examples/yaml (and of the TypeScript program the tests compare both with): the same
EventHubStream with the same plain-data arguments. `pulumi package add ../../plugin` generates the
`pulumi_aml_events` module this program imports.
"""
import pulumi
import pulumi_aml_events as aml_events

WORKSPACE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml"
    "/providers/Microsoft.MachineLearningServices/workspaces/mlw-demo"
)

stream = aml_events.EventHubStream(
    "stream",
    workspace=aml_events.WorkspaceSourceArgs(
        workspace_id=WORKSPACE_ID,
        resource_group_name="rg-ml",
        location="westeurope",
    ),
    included_event_types=[
        "Microsoft.MachineLearningServices.ModelRegistered",
        "Microsoft.MachineLearningServices.RunStatusChanged",
    ],
    event_hub=aml_events.EventHubSettingsArgs(partition_count=8),
)

pulumi.export("eventHubId", stream.event_hub_id)
