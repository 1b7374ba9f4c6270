/**
 * Mocha setup: installs the Azure-shaped Pulumi mocks before any resource is constructed.
 * Tests read what was registered through `mockEngine.resources()`.
 */
import { appendFileSync } from "fs";
import { installAzureMocks } from "../lib/plan/mocks";

export const mockEngine = installAzureMocks("aml-event-workflows", "test");

/**
 * With AML_EVENTS_TEST_TIMES=<file>, each test file's wall time (from its first hook to its last) is
 * appended to <file> as one JSON line: how docs/testing.md's per-file table is measured inside the real
 * parallel run (`npm test`) rather than file by file.
 */
const timesFile = process.env.AML_EVENTS_TEST_TIMES;
let fileStart = 0;
export const mochaHooks = timesFile ? {
  beforeAll(): void { fileStart = Date.now(); },
  afterAll(this: Mocha.Context): void {
    const root = this.test?.parent;
    const files = [...new Set((root?.suites ?? []).map((s) => s.file).filter((f): f is string => !!f))];
    const line = JSON.stringify({ files, pid: process.pid, start: fileStart, ms: Date.now() - fileStart });
    appendFileSync(timesFile, `${line}\n`);
  },
} : {};
