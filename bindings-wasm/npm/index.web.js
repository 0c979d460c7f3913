// Entry of the browser / bundler build (wasm-bindgen --target web): call the
// default export `init()` (or `initSync`) once before any other function.
export * from "./minqing.js";
export { default } from "./minqing.js";
export { MinqingError } from "@ERROR_JS@";
