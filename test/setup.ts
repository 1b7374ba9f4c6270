/**
 * Mocha setup: installs the Azure-shaped Pulumi mocks before any resource is constructed.
 * Tests read what was registered through `mockEngine.resources()`.
 */
import { installAzureMocks } from "../lib/plan/mocks";

export const mockEngine = installAzureMocks("aml-event-workflows", "test");
