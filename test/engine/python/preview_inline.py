"""Previews a Pulumi Python project through Pulumi's Automation API, as an inline program.

The tests cannot build Pulumi's Python language host (its Go module is not served by the module proxy
they reach), so the Python SDK serves the LanguageRuntime itself: with an inline program the Automation
API starts a language server in this process and runs the real `pulumi preview` with `--client`
(pulumi/automation/_local_workspace.py and _server.py in the `pulumi` package). The project's own
Pulumi.yaml (with its `packages:` entry) is kept, and its `__main__.py` runs unchanged.

    python preview_inline.py WORK_DIR STACK [--policy-pack DIR --policy-pack-config FILE]

Prints the preview's JSON (as `pulumi preview --json` does) on stdout; exits 1 when the preview fails.
"""
import argparse
import os
import runpy
import sys

from pulumi import automation as auto


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("work_dir")
    parser.add_argument("stack")
    parser.add_argument("--policy-pack", action="append", default=[])
    parser.add_argument("--policy-pack-config", action="append", default=[])
    args = parser.parse_args()
    work_dir = os.path.abspath(args.work_dir)

    def program() -> None:
        runpy.run_path(os.path.join(work_dir, "__main__.py"), run_name="__main__")

    stack = auto.create_or_select_stack(
        stack_name=args.stack,
        project_name=os.path.basename(work_dir),
        program=program,
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir),
    )
    try:
        result = stack.preview(
            policy_packs=args.policy_pack or None,
            policy_pack_configs=args.policy_pack_config or None,
            json=True,
        )
    except auto.CommandError as err:
        print(str(err), file=sys.stderr)
        return 1
    print(result.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
