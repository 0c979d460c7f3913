// Entry of the Node build (wasm-bindgen --target experimental-nodejs-module):
// an ES module that loads the WebAssembly synchronously on import.
export * from "./minqing.js";
export { MinqingError } from "@ERROR_JS@";
