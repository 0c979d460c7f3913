// The browser build needs `init` (or `initSync`) before any call.
import init, { initSync, version } from "minqing";

export async function start(): Promise<string> {
  await init();
  return version();
}

export function startSync(bytes: BufferSource): string {
  initSync({ module: bytes });
  return version();
}
