/**
 * A loopback peer answering as ARM's "Role Definitions - Get" for any GUID, so the custom-role
 * replication wait (lib/rbac/replication.ts) of a real-engine `pulumi up` completes offline. The engine
 * environment points AML_EVENTS_ARM_ENDPOINT at it (test/engine/cli.ts).
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

/** The role definition path of a request, or undefined. */
export const ROLE_DEFINITION_PATH = /\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;

/** The answer to one GET: the definition's `name` is its GUID, as ARM returns it. */
export function roleDefinitionAnswer(pathname: string): { status: number; body: unknown } {
  const m = ROLE_DEFINITION_PATH.exec(pathname);
  return m ? { status: 200, body: { id: pathname, name: m[1], type: "Microsoft.Authorization/roleDefinitions", properties: { type: "CustomRole" } } } : { status: 404, body: { error: { code: "NotFound" } } };
}

/** A started peer: its base URL, the paths it answered, and close(). */
export interface RoleDefinitionPeer {
  readonly base: string;
  readonly seen: string[];
  close(): Promise<void>;
}

/** Starts the peer on 127.0.0.1 with a free port. */
export async function startRoleDefinitionPeer(): Promise<RoleDefinitionPeer> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    seen.push(`${req.method} ${pathname}`);
    const { status, body } = req.headers.authorization?.startsWith("Bearer ") ? roleDefinitionAnswer(pathname) : { status: 401, body: { error: { code: "AuthenticationFailed" } } };
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The shared environment closes it only when the process exits; unref'd, it does not keep a lone
  // `mocha <file>` alive after its tests (the CLI's child process keeps the loop alive while it runs).
  server.unref();
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
