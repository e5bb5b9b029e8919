//! `brooklet`: the Brooklet console in a native terminal.
//!
//! On a terminal it is interactive (a `$ ` prompt, Ctrl-D ends a producer's input or the
//! session); with piped standard input it runs the text as a script and prints exactly what
//! the commands print, no prompts or echo. Owns only the terminal loop: every command is run
//! by [`brooklet::console::Console`] over a one-broker cluster on the system clock, with files
//! read relative to the current directory. It must not interpret commands itself.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The binary is native only; the web build has its own entry point (`brooklet-web`).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::cell::RefCell;
    use std::io::{BufRead, IsTerminal, Read, Write};
    use std::rc::Rc;

    use brooklet::broker::Broker;
    use brooklet::clock::{Clock, SystemClock};
    use brooklet::console::{Console, DirFiles, Output};

    pub fn main() {
        let clock: Rc<dyn Clock> = Rc::new(SystemClock);
        let seed = u64::try_from(clock.now_ms()).unwrap_or(0);
        let broker = Rc::new(RefCell::new(Broker::new(clock, seed)));
        let mut console = Console::new(broker, Box::new(DirFiles::new(".")), seed);
        let code = if std::io::stdin().is_terminal() {
            interactive(&mut console)
        } else {
            script(&mut console)
        };
        std::process::exit(code);
    }

    /// Prints an output; returns true when the session should end.
    fn show(out: &Output) -> bool {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.stdout.as_bytes());
        let _ = stdout.flush();
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(out.stderr.as_bytes());
        if out.clear_screen {
            // ANSI: clear the screen and move the cursor home.
            let _ = stdout.write_all(b"\x1b[2J\x1b[H");
            let _ = stdout.flush();
        }
        out.exit_requested
    }

    fn script(console: &mut Console) -> i32 {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("brooklet: cannot read standard input: {e}");
            return 1;
        }
        let mut last = 0;
        for line in text.lines() {
            if let Some(out) = console.feed_line(line) {
                last = out.exit_code;
                if show(&out) {
                    return last;
                }
            }
        }
        let out = console.end_of_input();
        if !out.stdout.is_empty() || !out.stderr.is_empty() || out.exit_code != 0 {
            last = out.exit_code;
        }
        show(&out);
        last
    }

    fn interactive(console: &mut Console) -> i32 {
        println!(
            "Brooklet console (Kafka {}). Type `help`; Ctrl-D exits.",
            brooklet::console::KAFKA_VERSION
        );
        let stdin = std::io::stdin();
        let mut lines = stdin.lock();
        let mut last = 0;
        loop {
            print!("{}", console.prompt().as_str());
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            match lines.read_line(&mut line) {
                Ok(0) => {
                    // Ctrl-D: ends a producer's input, else the session.
                    let reading = console.is_reading_stdin();
                    let out = console.end_of_input();
                    println!();
                    show(&out);
                    if !reading {
                        return last;
                    }
                }
                Ok(_) => {
                    let line = line.strip_suffix('\n').unwrap_or(&line);
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    if let Some(out) = console.feed_line(line) {
                        last = out.exit_code;
                        if show(&out) {
                            return last;
                        }
                    }
                }
                Err(e) => {
                    eprintln!("brooklet: {e}");
                    return 1;
                }
            }
        }
    }
}
