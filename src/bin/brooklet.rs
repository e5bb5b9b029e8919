//! `brooklet`: the Brooklet console in a native terminal.
//!
//! On a terminal it is interactive (a `$ ` prompt, Ctrl-D ends a producer's input or the
//! session) and a console consumer follows as Kafka's does: it keeps polling (every 250 ms)
//! until `--max-messages`, `--timeout-ms` or Ctrl-C, which prints `Processed a total of N
//! messages` and returns to the prompt (Unix only: Ctrl-C is caught while a consumer runs; on
//! other systems consumers print what is there and stop). Lines typed meanwhile wait in the
//! terminal and run afterwards, as in a shell. With piped standard input it runs the text as a
//! script and prints exactly what the commands print, no prompts or echo; a script cannot
//! wait, so there a consumer prints what is there and stops, deterministically. Owns only the
//! terminal loop: every command is run by [`brooklet::console::Console`] over a one-broker
//! cluster on the system clock, with files read relative to the current directory. It must
//! not interpret commands itself.
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
    use brooklet::console::{Console, DirFiles, Output, Stream};

    pub fn main() {
        let clock: Rc<dyn Clock> = Rc::new(SystemClock);
        let seed = u64::try_from(clock.now_ms()).unwrap_or(0);
        let broker = Rc::new(RefCell::new(Broker::new(clock, seed)));
        let mut console = Console::new(broker, Box::new(DirFiles::new(".")), seed);
        let code = if std::io::stdin().is_terminal() {
            console.set_follow(ctrl_c::AVAILABLE);
            interactive(&mut console)
        } else {
            script(&mut console)
        };
        std::process::exit(code);
    }

    /// Prints an output, each run on its stream in the order the command wrote them (as
    /// Kafka's tools interleave stdout and stderr); returns true when the session should end.
    fn show(out: &Output) -> bool {
        for (stream, text) in out.pieces() {
            // Flushed run by run: a terminal shows both streams, and the order is the story.
            match stream {
                Stream::Stdout => {
                    let mut stdout = std::io::stdout().lock();
                    let _ = stdout.write_all(text.as_bytes());
                    let _ = stdout.flush();
                }
                Stream::Stderr => {
                    let mut stderr = std::io::stderr().lock();
                    let _ = stderr.write_all(text.as_bytes());
                    let _ = stderr.flush();
                }
            }
        }
        if out.clear_screen {
            // ANSI: clear the screen and move the cursor home.
            let mut stdout = std::io::stdout().lock();
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

    /// While a console consumer runs: polls it until it ends by itself or Ctrl-C stops it;
    /// returns its exit status.
    fn follow(console: &mut Console) -> i32 {
        let _caught = ctrl_c::Catch::new();
        loop {
            if ctrl_c::pressed() {
                println!();
                let out = console.interrupt();
                show(&out);
                return out.exit_code;
            }
            let out = console.poll_follow();
            show(&out);
            if !console.is_following() {
                return out.exit_code;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
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
            // Streaming queries of an interactive `pyspark` advance between lines: what their
            // console sinks print shows before the next prompt.
            show(&console.poll_pyspark());
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
                    if console.is_following() {
                        last = follow(console);
                    }
                }
                Err(e) => {
                    eprintln!("brooklet: {e}");
                    return 1;
                }
            }
        }
    }

    /// Ctrl-C while a console consumer runs: SIGINT is caught (only then) so the consumer can
    /// print its total, as Kafka's shutdown hook does, instead of ending the whole session.
    #[cfg(unix)]
    mod ctrl_c {
        use std::sync::atomic::{AtomicBool, Ordering};

        /// Whether Ctrl-C can be caught here.
        pub const AVAILABLE: bool = true;

        static PRESSED: AtomicBool = AtomicBool::new(false);
        const SIGINT: i32 = 2;

        /// A signal handler; `None` is `SIG_DFL` (the null pointer).
        type Handler = Option<extern "C" fn(i32)>;

        extern "C" {
            /// POSIX `signal(2)`, from the C library std already links.
            fn signal(signum: i32, handler: Handler) -> Handler;
        }

        extern "C" fn on_sigint(_: i32) {
            // Only an atomic store: async-signal-safe.
            PRESSED.store(true, Ordering::SeqCst);
        }

        /// Catches SIGINT until dropped; then Ctrl-C ends the program again.
        pub struct Catch;

        impl Catch {
            pub fn new() -> Self {
                PRESSED.store(false, Ordering::SeqCst);
                // SAFETY: installs a handler that only stores to a static atomic.
                unsafe { signal(SIGINT, Some(on_sigint)) };
                Self
            }
        }

        impl Drop for Catch {
            fn drop(&mut self) {
                // SAFETY: restores the default disposition.
                unsafe { signal(SIGINT, None) };
            }
        }

        /// True once Ctrl-C was pressed since the catch began.
        pub fn pressed() -> bool {
            PRESSED.swap(false, Ordering::SeqCst)
        }
    }

    /// Without a way to catch Ctrl-C, consumers do not follow.
    #[cfg(not(unix))]
    mod ctrl_c {
        pub const AVAILABLE: bool = false;
        pub struct Catch;
        impl Catch {
            pub fn new() -> Self {
                Self
            }
        }
        pub fn pressed() -> bool {
            false
        }
    }
}
