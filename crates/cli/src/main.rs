use std::io::IsTerminal;

fn main() {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr();
    let mut io = palisade_cli::Io {
        stdout_tty: std::io::stdout().is_terminal(),
        stderr_tty: std::io::stderr().is_terminal(),
        stdout: &mut stdout,
        stderr: &mut stderr,
    };
    let code = palisade_cli::run(std::env::args_os(), &mut io);
    std::process::exit(code);
}
