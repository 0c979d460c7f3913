// The error the minqing binding throws: a real `Error` subclass, so that
// callers can `catch (e) { if (e instanceof MinqingError) ... }` and read
// `e.code` (a stable machine code such as "json.syntax") and `e.problems`
// (every problem found, each with code, severity, location and a message in
// Chinese and English). Constructed from Rust through `makeError`.
export class MinqingError extends Error {
  constructor(code, message, problems) {
    super(message);
    this.name = "MinqingError";
    this.code = code;
    this.problems = problems;
  }
}

export function makeError(code, message, problems) {
  return new MinqingError(code, message, problems);
}
