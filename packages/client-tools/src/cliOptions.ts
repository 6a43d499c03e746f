import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A command's options, or its exit code when there is nothing to run: 0 after `--help` (usage on
 * stdout), 2 for an unknown or malformed option (the error and the usage on stderr).
 */
export function cliOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[], options: T, usage: string,
): { values: ReturnType<typeof parseArgs<{ args: string[]; options: T }>>['values'] } | { exit: number } {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', default: false } } as T });
    if ((values as { help?: boolean }).help) {
      console.log(usage);
      return { exit: 0 };
    }
    return { values };
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return { exit: 2 };
  }
}
