// The public part of config-file support: the error type and its problems.
export { ConfigFileError } from "./load";
export type { ConfigProblem } from "./load";
