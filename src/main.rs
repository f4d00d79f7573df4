//! The `hindsight` binary: parse the command line, run one command, map the
//! outcome to an exit code (0 ok, 1 content errors, 2 usage or fatal error).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

// A build allocates and frees millions of small strings across threads;
// glibc's allocator spent a sixth of the build's CPU time doing that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            ExitCode::from(2)
        }
    }
}
