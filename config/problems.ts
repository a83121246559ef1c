/** A configuration problem names the variables it is about; ConfigError carries them all at once. */

export interface Problem {
  /** Every variable the message is about, the one to change first. */
  readonly variables: readonly string[];
  /** Starts with the variable's name, so an operator sees what to fix. */
  readonly message: string;
}

export const problem = (variables: string | readonly string[], message: string): Problem => ({
  variables: typeof variables === 'string' ? [variables] : variables,
  message,
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
