import type { ParseArgsConfig } from "node:util";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  json: boolean;
  /** Progress and logs: always stderr, so stdout stays machine-readable. */
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** One CLI command. `run` returns a plain result; main prints it as JSON with --json, else via `render`. */
export interface Command<R = unknown> {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  allowPositionals?: boolean;
  run(input: CommandInput, ctx: CommandContext): Promise<R>;
  render?(result: R): string;
  /** Exit code for a completed run (e.g. 2 for a rejected submission); default 0. */
  exitCode?(result: R): number;
}

export function defineCommand<R>(command: Command<R>): Command<R> {
  return command;
}
