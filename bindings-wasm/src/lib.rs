//! WebAssembly binding of minqing: conversion and error mapping only; every
//! rule lives in the core crate.
use wasm_bindgen::prelude::*;

/// The version of the binding (the workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_the_workspace_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
