import { readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { AppError, isAppError } from "@beacon/core/errors";
import type { Command } from "./command.ts";

const commandsDir = new URL("./commands/", import.meta.url);

/** Command names are the files in commands/; each is loaded only when called, so start-up stays fast. */
function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<Command> {
  const mod = (await import(new URL(`${name}.ts`, commandsDir).href)) as { command: Command };
  return mod.command;
}

async function helpText(): Promise<string> {
  const lines = ["Usage: beacon <command> [options] [--json]", "", "Commands:"];
  for (const name of commandNames()) {
    const c = await loadCommand(name);
    lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  }
  lines.push("", "Run `beacon <command> --help` for a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const [name, ...rest] = argv;
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      process.stdout.write(`${await helpText()}\n`);
      return name ? 0 : 2;
    }
    if (!commandNames().includes(name)) {
      throw new AppError("INVALID_INPUT", `unknown command "${name}"; run \`beacon --help\` for the list`);
    }
    const command = await loadCommand(name);
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, json: { type: "boolean" } },
        allowPositionals: command.allowPositionals ?? false,
        strict: true,
      });
    } catch (e) {
      throw new AppError("INVALID_INPUT", `${(e as Error).message}\n\n${command.usage}`);
    }
    const result = await command.run(
      {
        values: parsed.values as Record<string, string | boolean | string[] | undefined>,
        positionals: parsed.positionals,
      },
      { json, log: (line) => process.stderr.write(`${line}\n`), env: process.env },
    );
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (command.render) process.stdout.write(`${command.render(result)}\n`);
    return command.exitCode ? command.exitCode(result) : 0;
  } catch (e) {
    return reportError(e, json);
  }
}

function reportError(e: unknown, json: boolean): number {
  if (isAppError(e)) {
    if (json)
      process.stdout.write(
        `${JSON.stringify({ error: { code: e.code, message: e.message, details: e.details } }, null, 2)}\n`,
      );
    process.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  if (json)
    process.stdout.write(
      `${JSON.stringify({ error: { code: "INTERNAL", message: err.message } }, null, 2)}\n`,
    );
  process.stderr.write(`unexpected failure: ${err.stack ?? err.message}\n`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
