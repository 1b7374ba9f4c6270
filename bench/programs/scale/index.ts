/**
 * The program `npm run bench -- --preview` previews with the real CLI: the composite for
 * AML_BENCH_WORKSPACES workspaces, or (AML_BENCH_SCALE_MODE=direct) the same resources declared directly,
 * replayed from the composite's recorded resources in AML_BENCH_RECORDED.
 */
import * as fs from "fs";
import { compositeProgram, directProgram } from "../../composite";
import { MockedResource } from "../../../lib/plan/mocks";

const count = Number(process.env.AML_BENCH_WORKSPACES ?? 1);
if (process.env.AML_BENCH_SCALE_MODE === "direct") {
  directProgram(JSON.parse(fs.readFileSync(String(process.env.AML_BENCH_RECORDED), "utf8")) as MockedResource[])();
} else {
  compositeProgram(count)();
}
