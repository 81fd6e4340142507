/** A verdict of "not verified": thrown by a step at the first problem, with the 1-based line to blame. */
export class Failure extends Error {
  readonly line: number;
  constructor(line: number, reason: string) {
    super(reason);
    this.line = line;
  }
}
