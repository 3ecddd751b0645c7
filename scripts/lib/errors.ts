// Errors the scripts report as one line of JSON on stderr, without a stack trace. Pure (no Node
// APIs) so the argument parser that throws them can be tested inside workerd.

/** exitCode 2: the command line is wrong; 1: the command could not be carried out. */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string) => new CliError(message, 2);
