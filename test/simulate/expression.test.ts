import * as assert from "assert";
import { ExpressionContext, evaluateExpression, validateTemplate } from "../../lib/simulate";
import { sampleEvents } from "../../lib/events";

/**
 * Examples from Microsoft's "Reference guide to workflow expression functions" (Azure Logic Apps),
 * with the documented result. Where the page is wrong, the comment says so and the row asserts
 * what the service really returns.
 */
const DOCUMENTED: ReadonlyArray<readonly [string, unknown]> = [
  ["@toLower('Hello')", "hello"],
  ["@concat('Sophia', 'Owen')", "SophiaOwen"],
  ["@concat('Hello', 'World')", "HelloWorld"],
  ["@add(1, 1.5)", 2.5],
  ["@addDays('2018-03-15T00:00:00Z', 10)", "2018-03-25T00:00:00.0000000Z"],
  ["@addDays('2018-03-15T00:00:00Z', -5)", "2018-03-10T00:00:00.0000000Z"],
  ["@addHours('2018-03-15T00:00:00Z', 10)", "2018-03-15T10:00:00.0000000Z"],
  ["@addHours('2018-03-15T15:00:00Z', -5)", "2018-03-15T10:00:00.0000000Z"],
  ["@addMinutes('2018-03-15T00:10:00Z', 10)", "2018-03-15T00:20:00.0000000Z"],
  ["@addMinutes('2018-03-15T00:20:00Z', -5)", "2018-03-15T00:15:00.0000000Z"],
  ["@addSeconds('2018-03-15T00:00:00Z', 10)", "2018-03-15T00:00:10.0000000Z"],
  ["@addSeconds('2018-03-15T00:00:30Z', -5)", "2018-03-15T00:00:25.0000000Z"],
  ["@addToTime('2018-01-01T00:00:00Z', 1, 'Day')", "2018-01-02T00:00:00.0000000Z"],
  ["@addToTime('2018-01-01T00:00:00Z', 1, 'Day', 'D')", "Tuesday, January 2, 2018"],
  ["@and(true, true)", true],
  ["@and(false, true)", false],
  ["@and(false, false)", false],
  ["@and(equals(1, 1), equals(2, 2))", true],
  ["@and(equals(1, 1), equals(1, 2))", false],
  ["@and(equals(1, 2), equals(1, 3))", false],
  ["@array('hello')", ["hello"]],
  ["@base64('hello')", "aGVsbG8="],
  ["@base64ToString('aGVsbG8=')", "hello"],
  ["@bool(1)", true],
  ["@bool(0)", false],
  ["@bool(-1)", true],
  ["@bool('true')", true],
  ["@bool('false')", false],
  ["@coalesce(null, true, false)", true],
  ["@coalesce(null, 'hello', 'world')", "hello"],
  ["@coalesce(null, null, null)", null],
  ["@contains('hello world', 'world')", true],
  ["@contains('hello world', 'universe')", false],
  ["@createArray('h', 'e', 'l', 'l', 'o')", ["h", "e", "l", "l", "o"]],
  ["@dataUri('hello')", "data:text/plain;charset=utf-8;base64,aGVsbG8="],
  ["@dataUriToString('data:text/plain;charset=utf-8;base64,aGVsbG8=')", "hello"],
  ["@dayOfMonth('2018-03-15T13:27:36Z')", 15],
  ["@dayOfWeek('2018-03-15T13:27:36Z')", 4],
  ["@dayOfYear('2018-03-15T13:27:36Z')", 74],
  ["@decodeUriComponent('https%3A%2F%2Fcontoso.com')", "https://contoso.com"],
  ["@div(10,5)", 2],
  ["@div(11,5)", 2],
  ["@div(11,5.0)", 2.2],
  ["@div(11.0,5)", 2.2],
  ["@encodeUriComponent('https://contoso.com')", "https%3A%2F%2Fcontoso.com"],
  ["@empty('')", true],
  ["@empty('abc')", false],
  ["@endsWith('hello world', 'world')", true],
  ["@endsWith('hello world', 'universe')", false],
  ["@equals(true, 1)", true],
  ["@equals('abc', 'abcd')", false],
  ["@first('hello')", "h"],
  ["@first(createArray(0, 1, 2))", 0],
  ["@float('10.333')", 10.333],
  ["@formatDateTime('03/15/2018 12:00:00', 'yyyy-MM-ddTHH:mm:ss')", "2018-03-15T12:00:00"],
  ["@formatNumber(1234567890, '0,0.00', 'en-us')", "1,234,567,890.00"],
  ["@formatNumber(17.35, 'C2')", "$17.35"],
  ["@greater(10, 5)", true],
  ["@greater('apple', 'banana')", false],
  ["@greaterOrEquals(5, 5)", true],
  ["@greaterOrEquals('apple', 'banana')", false],
  ["@if(equals(1, 1), 'yes', 'no')", "yes"],
  ["@indexOf('hello world', 'world')", 6],
  ["@int('10')", 10],
  ["@json('[1, 2, 3]')", [1, 2, 3]],
  ["@json('{\"fullName\": \"Sophia Owen\"}')", { fullName: "Sophia Owen" }],
  ["@intersection(createArray(1, 2, 3), createArray(101, 2, 1, 10), createArray(6, 8, 1, 2))", [1, 2]],
  ["@join(createArray('a', 'b', 'c'), '.')", "a.b.c"],
  ["@last('abcd')", "d"],
  ["@last(createArray(0, 1, 2, 3))", 3],
  ["@lastIndexOf('hello world hello world', 'world')", 18],
  ["@lastIndexOf('hello world hello world', '')", 22],
  ["@length('abcd')", 4],
  ["@length(createArray(0, 1, 2, 3))", 4],
  ["@less(5, 10)", true],
  ["@less('banana', 'apple')", false],
  ["@lessOrEquals(10, 10)", true],
  ["@lessOrEquals('apply', 'apple')", false],
  ["@max(1, 2, 3)", 3],
  ["@max(createArray(1, 2, 3))", 3],
  ["@min(1, 2, 3)", 1],
  ["@min(createArray(1, 2, 3))", 1],
  ["@mod(3, 2)", 1],
  ["@mul(1, 2)", 2],
  ["@mul(1.5, 2)", 3],
  ["@not(false)", true],
  ["@not(true)", false],
  ["@not(equals(1, 2))", true],
  ["@not(equals(1, 1))", false],
  ["@or(true, false)", true],
  ["@or(false, false)", false],
  ["@or(equals(1, 1), equals(1, 2))", true],
  ["@or(equals(1, 2), equals(1, 3))", false],
  ["@range(1, 4)", [1, 2, 3, 4]],
  ["@replace('the old string', 'old', 'new')", "the new string"],
  ["@removeProperty(json('{ \"firstName\": \"Sophia\", \"middleName\": \"Anne\", \"surName\": \"Owen\" }'), 'middleName')", { firstName: "Sophia", surName: "Owen" }],
  ["@setProperty(json('{ \"firstName\": \"Sophia\", \"surName\": \"Owen\" }'), 'surName', 'Hartnett')", { firstName: "Sophia", surName: "Hartnett" }],
  // The page shows the input with `lastName` but the result with `surName`; the function keeps the input's keys.
  ["@addProperty(json('{ \"firstName\": \"Sophia\", \"surName\": \"Owen\" }'), 'middleName', 'Anne')", { firstName: "Sophia", surName: "Owen", middleName: "Anne" }],
  ["@skip(createArray(0, 1, 2, 3), 1)", [1, 2, 3]],
  ["@split('a_b_c', '_')", ["a", "b", "c"]],
  ["@split('a_b_c', ' ')", ["a_b_c"]],
  ["@startOfDay('2018-03-15T13:30:30Z')", "2018-03-15T00:00:00.0000000Z"],
  ["@startOfHour('2018-03-15T13:30:30Z')", "2018-03-15T13:00:00.0000000Z"],
  ["@startOfMonth('2018-03-15T13:30:30Z')", "2018-03-01T00:00:00.0000000Z"],
  ["@startOfMonth('2018-03-15T13:30:30Z', 'yyyy-MM-dd')", "2018-03-01"],
  ["@startsWith('hello world', 'hello')", true],
  ["@startsWith('hello world', 'greetings')", false],
  ["@string(10)", "10"],
  ["@sub(10.3, .3)", 10],
  ["@substring('hello world', 6, 5)", "world"],
  ["@subtractFromTime('2018-01-02T00:00:00Z', 1, 'Day')", "2018-01-01T00:00:00.0000000Z"],
  // The page prints "Monday, January, 1, 2018"; .NET's "D" format (and addToTime's own example) has no comma after the month.
  ["@subtractFromTime('2018-01-02T00:00:00Z', 1, 'Day', 'D')", "Monday, January 1, 2018"],
  ["@take('abcde', 3)", "abc"],
  ["@take(createArray(0, 1, 2, 3, 4), 3)", [0, 1, 2]],
  ["@toLower('Hello World')", "hello world"],
  ["@toUpper('Hello World')", "HELLO WORLD"],
  ["@trim(' Hello World  ')", "Hello World"],
  ["@union(createArray(1, 2, 3), createArray(1, 2, 10, 101))", [1, 2, 3, 10, 101]],
  ["@uriComponent('https://contoso.com')", "https%3A%2F%2Fcontoso.com"],
  ["@uriComponentToString('https%3A%2F%2Fcontoso.com')", "https://contoso.com"],
  ["@uriHost('https://www.localhost.com:8080')", "www.localhost.com"],
  ["@uriPath('https://www.contoso.com/catalog/shownew.htm?date=today')", "/catalog/shownew.htm"],
  ["@uriPathAndQuery('https://www.contoso.com/catalog/shownew.htm?date=today')", "/catalog/shownew.htm?date=today"],
  ["@uriPort('https://www.localhost:8080')", 8080],
  ["@uriQuery('https://www.contoso.com/catalog/shownew.htm?date=today')", "?date=today"],
  // The page says "http" for this https URI; the scheme is "https".
  ["@uriScheme('https://www.contoso.com/catalog/shownew.htm?date=today')", "https"],
];

describe("evaluateExpression: Microsoft's documented function examples", () => {
  for (const [template, expected] of DOCUMENTED) {
    it(`${template} → ${JSON.stringify(expected)}`, () => {
      assert.deepStrictEqual(evaluateExpression(template), expected);
    });
  }

  it("utcNow, getFutureTime and getPastTime read the injected clock (documented examples)", () => {
    assert.strictEqual(evaluateExpression("@utcNow()", { now: "2018-04-15T13:00:00Z" }), "2018-04-15T13:00:00.0000000Z");
    assert.strictEqual(evaluateExpression("@utcNow('D')", { now: "2018-04-15T13:00:00Z" }), "Sunday, April 15, 2018");
    assert.strictEqual(evaluateExpression("@getFutureTime(5, 'Day')", { now: "2018-03-01T00:00:00Z" }), "2018-03-06T00:00:00.0000000Z");
    assert.strictEqual(evaluateExpression("@getFutureTime(5, 'Day', 'D')", { now: "2018-03-01T00:00:00Z" }), "Tuesday, March 6, 2018");
    assert.strictEqual(evaluateExpression("@getPastTime(5, 'Day')", { now: "2018-02-01T00:00:00Z" }), "2018-01-27T00:00:00.0000000Z");
    assert.strictEqual(evaluateExpression("@getPastTime(5, 'Day', 'D')", { now: "2018-02-01T00:00:00Z" }), "Saturday, January 27, 2018");
  });

  it("parameters, variables, actions, body, outputs and item read the context (documented examples)", () => {
    const ctx: ExpressionContext = {
      parameters: { fullName: "Sophia Owen" },
      variables: { numItems: 20 },
      actions: { Get_user: { outputs: { statusCode: 200, body: { FullName: "Contoso Corporation", status: "Succeeded" } }, status: "Succeeded" } },
      item: { body: "message body" },
    };
    assert.strictEqual(evaluateExpression("@parameters('fullName')", ctx), "Sophia Owen");
    assert.strictEqual(evaluateExpression("@variables('numItems')", ctx), 20);
    assert.strictEqual(evaluateExpression("@actions('Get_user').outputs.body.status", ctx), "Succeeded");
    assert.deepStrictEqual(evaluateExpression("@body('Get_user')", ctx), { FullName: "Contoso Corporation", status: "Succeeded" });
    assert.strictEqual(evaluateExpression("@outputs('Get_user').statusCode", ctx), 200);
    assert.strictEqual(evaluateExpression("@item().body", ctx), "message body");
  });
});

describe("evaluateExpression: template forms", () => {
  const [modelRegistered] = sampleEvents();
  const ctx: ExpressionContext = { triggerBody: [modelRegistered], triggerOutputs: { headers: { "aeg-event-type": "Notification" }, body: [modelRegistered] } };
  const table: ReadonlyArray<readonly [string, unknown]> = [
    ["plain text", "plain text"],
    ["@@literal", "@literal"],
    ["@@{not an interpolation}", "@{not an interpolation}"],
    ["mail me @ noon", "mail me @ noon"],
    ["@triggerBody()[0]?['data']?['modelVersion']", "20"],
    ["@triggerBody()[0].data.modelTags", { area: "diabetes", type: "regression" }],
    ["Model @{triggerBody()[0]?['data']?['modelName']} v@{triggerBody()[0]?['data']?['modelVersion']}", "Model sklearn_regression_model v20"],
    ["tags: @{triggerBody()[0]?['data']?['modelTags']}", 'tags: {"area":"diabetes","type":"regression"}'],
    ["@{triggerBody()[0]?['data']?['missing']}", ""],
    ["@triggerBody()[0]?['data']?['missing']?['deeper']", null],
    ["@triggerOutputs()['headers']['aeg-event-type']", "Notification"],
    ["@TRIGGERBODY()[0]?['eventType']", "Microsoft.MachineLearningServices.ModelRegistered"],
    ["@{true}", "True"],
    ["@{1.5}", "1.5"],
    ["@concat('it''s ', 'fine')", "it's fine"],
    ["@createArray(1, -2, 3.5, true, false, null)", [1, -2, 3.5, true, false, null]],
    ["@contains('Hello', 'hello')", false],
    ["@contains(createArray('a', 'b'), 'b')", true],
    ["@contains(json('{\"k\": 1}'), 'k')", true],
    ["@equals('abc', 'ABC')", false],
    ["@equals(null, '')", true],
    ["@startsWith('Experiments/x', 'experiments/')", true],
    ["@indexOf('Hello', 'LL')", 2],
    ["@length(triggerBody())", 1],
    ["@formatDateTime('2017-06-26T18:41:00.9584103Z', 'o')", "2017-06-26T18:41:00.9584103Z"],
    ["@formatDateTime('2019-07-04T00:00:00+00:00', 'yyyy-MM-dd HH:mm')", "2019-07-04 00:00"],
    ["@formatDateTime('2017-06-26T18:41:00Z', 'dddd d MMM yyyy h:mm tt')", "Monday 26 Jun 2017 6:41 PM"],
  ];
  for (const [template, expected] of table) {
    it(`${template} → ${JSON.stringify(expected)}`, () => {
      assert.deepStrictEqual(evaluateExpression(template, ctx), expected);
    });
  }

  it("guid() is deterministic per run and honours its format", () => {
    const a = evaluateExpression("@guid()", { guidState: { next: 0 } });
    const b = evaluateExpression("@guid()", { guidState: { next: 0 } });
    assert.strictEqual(a, b);
    assert.match(String(a), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.strictEqual(evaluateExpression("@guid('N')", { guidState: { next: 0 } }), String(a).replace(/-/g, ""));
  });
});

describe("evaluateExpression: errors name the problem and its position", () => {
  const cases: ReadonlyArray<readonly [string, RegExp]> = [
    ["@toLowr('A')", /unknown function 'toLowr' at position 1 in template "@toLowr\('A'\)"/],
    ["Run @{concat('a', 'b'} failed", /expected ',' or '\)' in call to 'concat' but found '}' at position 21/],
    ["@concat('a'", /unclosed call to 'concat'.* at position 11/],
    ["@concat('a)", /unterminated string literal.* at position 8/],
    ["Run @{triggerBody()", /unclosed '@\{'.* at position 19/],
    ["@triggerBody", /'triggerBody' is not a function call or literal.* at position 1/],
    ["@substring('abc', 2, 5)", /substring\(\): startIndex 2 plus length 5 must be within the string's length 3 at position 1/],
    ["@toLower(null)", /toLower\(\): expects parameter 1 to be a string, but the provided value is of type 'Null'/],
    ["@json('{}').missing", /property 'missing' doesn't exist.* at position 11/],
    ["@parameters('nope')", /the workflow parameter 'nope' doesn't exist/],
    ["@item()", /item\(\) can only be used inside a Foreach loop/],
    ["@concat()", /concat\(\) takes at least 1 argument/],
    ["@createArray()", /createArray\(\) takes at least 1 arguments?, got 0/],
    ["@xml('<a/>')", /'xml' is a real workflow function that this simulator does not implement/],
    ["@div(1, 0)", /divide by zero/],
  ];
  for (const [template, pattern] of cases) {
    it(`${template} fails with ${pattern}`, () => {
      assert.throws(() => evaluateExpression(template), pattern);
    });
  }
});

describe("validateTemplate", () => {
  it("accepts valid templates and lists what they read", () => {
    const v = validateTemplate("Run @{items('For_each')?['data']?['runId']} in @{last(split(item()?['topic'], '/'))} @{parameters('workspaceId')}");
    assert.strictEqual(v.ok, true);
    assert.deepStrictEqual(
      v.references?.map((r) => [r.root, r.path]),
      [
        ["items('For_each')", ["data", "runId"]],
        ["item()", ["topic"]],
        ["parameters('workspaceId')", []],
      ],
    );
  });

  it("stops a path at a dynamic key", () => {
    const v = validateTemplate("@item()?['data']?[parameters('field')]?['x']");
    assert.deepStrictEqual(
      v.references?.map((r) => [r.root, r.path]),
      [
        ["item()", ["data"]],
        ["parameters('field')", []],
      ],
    );
  });

  it("reports unknown functions, bad arity and syntax errors with positions, without evaluating", () => {
    assert.deepStrictEqual(
      { ...validateTemplate("Hi @{toLowr(item()?['x'])}"), references: undefined },
      { ok: false, error: "unknown function 'toLowr'", position: 5, references: undefined },
    );
    const arity = validateTemplate("@substring('a')");
    assert.strictEqual(arity.ok, false);
    assert.strictEqual(arity.error, "substring() takes 2 to 3 arguments, got 1");
    const syntax = validateTemplate("@equals(1,, 2)");
    assert.strictEqual(syntax.ok, false);
    assert.strictEqual(syntax.position, 10);
  });
});
