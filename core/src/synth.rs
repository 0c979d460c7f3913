//! A seeded, deterministic synthetic township (feature `synth`).
