import * as assert from "assert";
import { AmlEventType, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { buildEmailAlertsDefinition, compileTemplate, EmailDefinitionOptions, escapeHtml, htmlEncodeExpression, previewEmails } from "../../lib/notifications";
import { evaluateExpression } from "../../lib/simulate/evaluate";

const WS = SAMPLE_WORKSPACE_ID;
const RECIPIENTS = ["ml-oncall@contoso.com"];

/** Names anyone who can create an experiment, tag a run or register a model could choose. */
const HOSTILE = [
  `<img src="https://tracker.example/p.gif?u=1" onerror='alert(1)'>`,
  `<a href="https://phish.example/login">Reset your password</a>`,
  `Tom & Jerry's "model" </td></table><script>x()</script>`,
  "line one\nline two\r\n<b>three</b>",
  "&lt;already-escaped&gt; &amp; &#39;",
];

function hostileEvents(name: string): Record<string, unknown>[] {
  const [registered, , , , statusChanged] = sampleEvents() as unknown as Record<string, Record<string, unknown>>[];
  return [
    { ...statusChanged, subject: name, data: { ...statusChanged.data, experimentName: name, runId: name, runStatus: "Failed", runTags: { owner: name } } },
    { ...registered, data: { ...registered.data, modelName: name, modelVersion: name, modelTags: { stage: name, [name]: "x" } } },
  ];
}

/** What a mail client shows for an HTML body of ours: `<br>` as line breaks, the five entities decoded. */
function shown(html: string): string {
  return html.replace(/<br>/g, "\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

const ALERTS: EmailDefinitionOptions["alerts"] = [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, AmlEventType.ModelRegistered];

describe("Office 365 (HTML) mail bodies under hostile event names", () => {
  for (const [i, name] of HOSTILE.entries()) {
    it(`encodes every event field in the workflow's expressions, ACS keeps plain text (name ${i})`, () => {
      const events = hostileEvents(name);
      const custom = { subjectTemplate: "{data.runId}", bodyTemplate: "Run <{data.runId}> & {subject}\nTags: {data.runTags} / {data.runTags.owner}\nRaw: @{items('For_each_event')?['data']?['experimentName']}" };
      for (const templates of [{}, custom]) {
        const alerts = templates === custom ? ALERTS.slice(0, 1) : ALERTS;
        const office = previewEmails({ recipients: RECIPIENTS, channel: "office365", alerts, ...templates }, events.slice(0, templates === custom ? 1 : 2), { workspaceId: WS });
        const acs = previewEmails({ recipients: RECIPIENTS, alerts, ...templates }, events.slice(0, templates === custom ? 1 : 2), { workspaceId: WS });
        assert.strictEqual(office.length, templates === custom ? 1 : 2);
        assert.strictEqual(office.length, acs.length);
        for (const [k, o] of office.entries()) {
          assert.ok(!/[<>]/.test(o.body.replace(/<br>/g, "")), `only <br> tags in the HTML body: ${o.body}`);
          assert.ok(!/&(?!amp;|lt;|gt;|quot;|#39;)/.test(o.body), `every & starts an entity of ours: ${o.body}`);
          assert.strictEqual(shown(o.body), acs[k].body.replace(/\r\n/g, "\n"), "the reader sees exactly the plain-text mail");
          assert.ok(acs[k].body.includes(name.split("\n")[0]), "ACS plain text keeps the name as written");
          assert.strictEqual(o.subject, acs[k].subject, "the subject is plain text in both channels");
        }
      }
    });
  }

  it("escapes the template's own literal text too, and never decodes an entity that came from an event", () => {
    const [event] = hostileEvents("&lt;b&gt;");
    const [o] = previewEmails({ recipients: RECIPIENTS, channel: "office365", alerts: ALERTS.slice(0, 1), bodyTemplate: "<i>{data.experimentName}</i>" }, [event], { workspaceId: WS });
    assert.strictEqual(o.body, "&lt;i&gt;&amp;lt;b&amp;gt;&lt;/i&gt;");
  });

  it("puts the encoding inside the workflow (the definition holds no event value), with functions the definition language has", () => {
    const definition = JSON.stringify(buildEmailAlertsDefinition({ recipients: RECIPIENTS, channel: "office365", alerts: ALERTS }));
    assert.match(definition, /replace\(replace\(replace\(replace\(replace\(replace\(replace\(string\(items\('For_each_event'\)/);
    const compiled = compileTemplate("{data.experimentName}", AmlEventType.RunCompleted, { html: true });
    assert.ok(compiled.ok);
    const functions = new Set([...compiled.value.matchAll(/([A-Za-z]+)\(/g)].map((m) => m[1].toLowerCase()));
    // Functions of the workflow definition language that the simulator implements (lib/simulate/functions.ts).
    const allowed = new Set(["coalesce", "decodeuricomponent", "items", "replace", "string"]);
    for (const f of functions) assert.ok(allowed.has(f), `${f} is not one of ${[...allowed].join(", ")}`);
    for (const f of ["replace", "string", "decodeuricomponent"]) assert.ok(functions.has(f), f);
    const plain = compileTemplate("{data.experimentName}", AmlEventType.RunCompleted);
    assert.ok(plain.ok && !plain.value.includes("replace("), "ACS plain text is not encoded");
  });

  it("htmlEncodeExpression matches escapeHtml on every character that matters, in the simulator", () => {
    const all = `&<>"'\n` + HOSTILE.join("");
    // The text as a definition-language literal: quotes doubled, line breaks through decodeUriComponent.
    const literal = `concat(${all.split("\n").map((s) => `'${s.replace(/'/g, "''")}'`).join(", decodeUriComponent('%0A'), ")})`;
    assert.strictEqual(evaluateExpression(`@${literal}`), all);
    assert.strictEqual(evaluateExpression(`@${htmlEncodeExpression(literal)}`), escapeHtml(all).replace(/\r?\n/g, "<br>"));
    assert.strictEqual(evaluateExpression(`@${htmlEncodeExpression("null")}`), "");
    assert.strictEqual(evaluateExpression(`@${htmlEncodeExpression("json('{\"a\":\"<b>\"}')")}`), "{&quot;a&quot;:&quot;&lt;b&gt;&quot;}");
  });
});
