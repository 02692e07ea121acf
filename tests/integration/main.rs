//! One integration test binary: fixture sites under tests/fixtures/sites/ are copied to a
//! temporary folder, built, and their output checked.

mod support;

mod build;
mod cli;
mod errors;
mod hostile;
mod robust;
