import * as assert from "assert";
import { FILTER_SEMANTICS, FILTER_SEMANTICS_MARKDOWN, FindingCode } from "../../lib/filters";

describe("filters: FILTER_SEMANTICS", () => {
  it("every chosen behaviour is in the README snippet, with the analyzer codes that flag filters depending on it", () => {
    const codes = new Set<string>(Object.values(FindingCode));
    for (const rule of FILTER_SEMANTICS) {
      assert.ok(FILTER_SEMANTICS_MARKDOWN.includes(`| ${rule.topic} |`), rule.topic);
      for (const code of rule.flaggedBy ?? []) {
        assert.ok(codes.has(code), `${rule.topic}: unknown code ${code}`);
        assert.ok(FILTER_SEMANTICS_MARKDOWN.includes(`\`${code}\``), code);
      }
    }
    assert.ok(FILTER_SEMANTICS.some((r) => r.source === "chosen" && r.topic === "data key case"));
    assert.ok(FILTER_SEMANTICS.some((r) => r.source === "chosen" && r.topic === "arrays with the flag off"));
    assert.ok(FILTER_SEMANTICS.some((r) => r.source === "chosen" && r.topic === "values of another type"));
  });
});
